import ThawCore
import ThawStorage

/// The IG's SDOHCC Consent: what the client agreed to disclose, to whom, for what.
struct FHIRConsent: FHIRResource {
    static let type = FHIRResourceType.consent
    var resourceType = "Consent"
    var id: String
    var meta: Meta?
    var status: String
    var scope: CodeableConcept
    var category: [CodeableConcept]
    var patient: Reference
    var dateTime: String
    var provision: Provision

    struct Provision: Encodable, Sendable {
        var type = "permit"
        var period: Period
        var actor: [Actor]
        var purpose: [Coding]
        var code: [CodeableConcept]
    }
    struct Actor: Encodable, Sendable {
        var role: CodeableConcept
        var reference: Reference
    }

    init(_ consent: Consent, now: Timestamp) {
        id = consent.id.fhir
        meta = Meta(versionId: nil, lastUpdated: (consent.revokedAt ?? consent.recordedAt).description, profile: [FHIRSystems.consentProfile])
        status = consent.isActive(at: now) ? "active" : (consent.revokedAt != nil ? "inactive" : (consent.validFrom > now ? "proposed" : "inactive"))
        scope = CodeableConcept(FHIRSystems.consentScope, "patient-privacy", display: "Privacy Consent")
        category = [CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IDSCL", display: "information disclosure")]
        patient = Reference(.patient, consent.clientId)
        dateTime = consent.recordedAt.description
        let recipient: Reference =
            switch consent.grantee {
            case .organization(let organization): Reference(.organization, organization)
            case .sector(let sector): Reference(reference: nil, display: "every \(sector.rawValue) organisation")
            }
        provision = Provision(
            period: Period(start: consent.validFrom.description, end: (consent.revokedAt ?? consent.validUntil)?.description),
            actor: [
                Actor(
                    role: CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", display: "information recipient"),
                    reference: recipient)
            ],
            purpose: [Coding(system: FHIRSystems.consentPurpose, code: consent.purpose.rawValue)],
            code: consent.scopes.map(\.rawValue).sorted().map { CodeableConcept(FHIRSystems.consentScopeCode, $0) })
    }
}

/// A screening as the IG's QuestionnaireResponse: one item per need domain asked.
struct FHIRQuestionnaireResponse: FHIRResource {
    static let type = FHIRResourceType.questionnaireResponse
    var resourceType = "QuestionnaireResponse"
    var id: String
    var meta: Meta?
    var questionnaire = FHIRSystems.thaw + "/Questionnaire/social-needs-screening"
    var status = "completed"
    var subject: Reference
    var authored: String
    var item: [Item]

    struct Item: Encodable, Sendable {
        var linkId: String
        var text: String
        var answer: [Answer]
    }
    struct Answer: Encodable, Sendable { var valueCoding: Coding }

    init(_ screening: Screening) {
        id = screening.id.fhir
        meta = Meta(versionId: nil, lastUpdated: nil, profile: nil)
        subject = Reference(.patient, screening.clientId)
        authored = screening.screenedOn.description
        item = NeedCategory.allCases.compactMap { category in
            screening.answers[category].map { Item(linkId: category.rawValue, text: category.question, answer: [Answer(valueCoding: $0.coding)]) }
        }
    }
}

/// One screening answer as the IG's screening-response Observation.
struct FHIRObservation: FHIRResource {
    static let type = FHIRResourceType.observation
    var resourceType = "Observation"
    var id: String
    var meta: Meta?
    var status = "final"
    var category: [CodeableConcept]
    var code: CodeableConcept
    var subject: Reference
    var effectiveDateTime: String
    var valueCodeableConcept: CodeableConcept
    var derivedFrom: [Reference]

    init(_ screening: Screening, _ category: NeedCategory, _ answer: ScreeningAnswer) {
        id = "\(screening.id.fhir)-\(category.rawValue)"
        meta = Meta(versionId: nil, lastUpdated: nil, profile: nil)
        self.category = [
            CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "social-history", display: "Social History"),
            CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", display: "Survey"),
            category.concept
        ]
        code = CodeableConcept(
            coding: [Coding(system: FHIRSystems.thaw + "/CodeSystem/screening-question", code: category.rawValue)], text: category.question)
        subject = Reference(.patient, screening.clientId)
        effectiveDateTime = screening.screenedOn.description
        valueCodeableConcept = CodeableConcept(coding: [answer.coding])
        derivedFrom = [Reference(.questionnaireResponse, screening.id)]
    }
}

/// A person's place in an organisation, as PractitionerRole: name and roles, no contact details.
struct FHIRPractitionerRole: FHIRResource {
    static let type = FHIRResourceType.practitionerRole
    var resourceType = "PractitionerRole"
    var id: String
    var active: Bool
    var practitioner: Reference
    var organization: Reference
    var code: [CodeableConcept]

    init(_ user: User) {
        id = user.id.fhir
        active = user.active
        practitioner = Reference(reference: nil, display: user.displayName)
        organization = Reference(.organization, user.organizationId)
        code = user.roles.map(\.rawValue).sorted().map { CodeableConcept(FHIRSystems.role, $0) }
    }
}

extension ScreeningAnswer {
    /// LOINC's answers (LA33-6 yes, LA32-8 no, LA30122-8 declined), as SDOH screening instruments use them.
    var coding: Coding {
        switch self {
        case .yes: Coding(system: "http://loinc.org", code: "LA33-6", display: "Yes")
        case .no: Coding(system: "http://loinc.org", code: "LA32-8", display: "No")
        case .declined: Coding(system: "http://loinc.org", code: "LA30122-8", display: "I choose not to answer this question")
        }
    }
}

extension NeedCategory {
    /// The screening question for the domain, in words.
    var question: String { "In the last year, has the client had a need for help with \(rawValue.replacingOccurrences(of: "-", with: " "))?" }
}
