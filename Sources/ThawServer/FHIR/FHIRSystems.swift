import ThawCore

/// The code systems and profiles Thaw's FHIR resources name. Thaw's own systems
/// sit under one base, `FHIRSystems.thaw`, documented in docs/fhir.md.
enum FHIRSystems {
    static let thaw = "https://thaw.health/fhir"
    static let taskCode = "http://hl7.org/fhir/CodeSystem/task-code"
    static let sdohTemporary = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
    static let conditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category"
    static let conditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    static let conditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
    static let consentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
    static let consentCategory = "http://loinc.org"
    static let organizationType = "http://terminology.hl7.org/CodeSystem/organization-type"
    static let needCategory = thaw + "/CodeSystem/need-category"
    static let businessStatus = thaw + "/CodeSystem/business-status"
    static let outcome = thaw + "/CodeSystem/referral-outcome"
    static let declineReason = thaw + "/CodeSystem/decline-reason"
    static let consentScopeCode = thaw + "/CodeSystem/consent-scope"
    static let consentPurpose = thaw + "/CodeSystem/consent-purpose"
    static let sector = thaw + "/CodeSystem/sector"
    static let role = thaw + "/CodeSystem/role"
    static let clientIdentifier = thaw + "/client-id"

    static let profileBase = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/"
    static let taskProfile = profileBase + "SDOHCC-TaskForReferralManagement"
    static let patientTaskProfile = profileBase + "SDOHCC-TaskForPatient"
    static let serviceRequestProfile = profileBase + "SDOHCC-ServiceRequest"
    static let procedureProfile = profileBase + "SDOHCC-Procedure"
    static let conditionProfile = profileBase + "SDOHCC-Condition"
    static let consentProfile = profileBase + "SDOHCC-Consent"
}

extension NeedCategory {
    /// The IG's SDOH category (SDOHCC-ValueSetSDOHCategory) closest to the need; where
    /// none matches, `sdoh-category-unspecified`. Thaw's own code travels beside it.
    var sdohCategory: (code: String, display: String) {
        switch self {
        case .housing: ("housing-instability", "Housing Instability")
        case .food: ("food-insecurity", "Food Insecurity")
        case .transportation: ("transportation-insecurity", "Transportation Insecurity")
        case .utilities: ("utility-insecurity", "Utility Insecurity")
        case .employment: ("employment-status", "Employment Status")
        case .income: ("financial-insecurity", "Financial Insecurity")
        case .socialIsolation: ("social-connection", "Social Connection")
        // Personal safety is wider than the IG's violence codes, mental health than its stress code.
        case .childcare, .personalSafety, .mentalHealth: ("sdoh-category-unspecified", "SDOH Category Unspecified")
        }
    }

    /// The category as a FHIR concept: the IG's code and Thaw's.
    var concept: CodeableConcept {
        let sdoh = sdohCategory
        return CodeableConcept(
            coding: [
                Coding(system: FHIRSystems.sdohTemporary, code: sdoh.code, display: sdoh.display),
                Coding(system: FHIRSystems.needCategory, code: rawValue)
            ],
            text: rawValue)
    }

    /// A category named by either Thaw's code or the IG's (the IG's codes that map to one need).
    init?(fhirCode code: String) {
        if let own = NeedCategory(rawValue: code) {
            self = own
        } else if let match = NeedCategory.allCases.first(where: { $0.sdohCategory.code == code && code != "sdoh-category-unspecified" }) {
            self = match
        } else {
            return nil
        }
    }
}
