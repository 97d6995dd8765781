import Foundation
import ThawCore
import ThawStorage

/// A referral as a transaction Bundle for a partner's own FHIR server (the IG's referral-source
/// side): Patient, Consent, Conditions, ServiceRequest and Task, holding only what the partner
/// may see here — the client's name, contact details only under `contact`, needs only under
/// `needs`, the note only under `notes`. The Task carries this referral's id as its identifier,
/// so a retried send makes one referral there.
enum ReferralBundleWriter {
    static func bundle(_ outbound: OutboundReferral, ownBase: String) -> [String: Any] {
        let referral = outbound.referral, client = outbound.client, remote = outbound.endpoint.remoteOrganizationId
        let patientURL = "urn:uuid:\(UUID().uuidString.lowercased())", requestURL = "urn:uuid:\(UUID().uuidString.lowercased())"
        var patient: [String: Any] = [
            "resourceType": "Patient",
            "identifier": [["system": FHIRSystems.clientIdentifier, "value": client.id.raw]],
            "name": [["family": client.familyName, "given": [client.givenName]]]
        ]
        if let birthDate = client.birthDate { patient["birthDate"] = birthDate.description }
        let telecom = [client.phone.map { ["system": "phone", "value": $0] }, client.email.map { ["system": "email", "value": $0] }].compactMap { $0 }
        if !telecom.isEmpty { patient["telecom"] = telecom }
        if let address = client.address { patient["address"] = [["text": address]] }
        if let language = client.preferredLanguage { patient["communication"] = [["language": ["text": language]]] }

        var entries: [(String, [String: Any])] = [(patientURL, patient)]
        if let consent = outbound.consent {
            var period: [String: Any] = [:]
            if let until = consent.validUntil { period["end"] = until.description }
            var provision: [String: Any] = [
                "type": "permit", "actor": [["reference": ["reference": "Organization/\(remote)"]]],
                "purpose": [["system": FHIRSystems.consentPurpose, "code": consent.purpose.rawValue]],
                "code": outbound.scopes.map(\.rawValue).sorted().map { ["coding": [["system": FHIRSystems.consentScopeCode, "code": $0]]] }
            ]
            if !period.isEmpty { provision["period"] = period }
            entries.append(
                (
                    "urn:uuid:\(UUID().uuidString.lowercased())",
                    [
                        "resourceType": "Consent", "status": "active",
                        "scope": ["coding": [["system": FHIRSystems.consentScope, "code": "patient-privacy"]]],
                        "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IDSCL"]]]],
                        "patient": ["reference": patientURL], "dateTime": consent.recordedAt.description, "provision": provision
                    ]
                ))
        }
        var reasons: [[String: Any]] = []
        for need in outbound.needs {
            let url = "urn:uuid:\(UUID().uuidString.lowercased())"
            reasons.append(["reference": url])
            entries.append(
                (
                    url,
                    [
                        "resourceType": "Condition",
                        "clinicalStatus": ["coding": [["system": FHIRSystems.conditionClinical, "code": "active"]]],
                        "category": [["coding": [["system": FHIRSystems.needCategory, "code": need.category.rawValue]]]],
                        "code": ["coding": [["system": FHIRSystems.needCategory, "code": need.category.rawValue]]],
                        "subject": ["reference": patientURL], "onsetDateTime": need.identifiedOn.description
                    ]
                ))
        }
        var request: [String: Any] = [
            "resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": referral.priority.rawValue,
            "category": [["coding": [["system": FHIRSystems.needCategory, "code": referral.needCategory.rawValue]]]],
            "subject": ["reference": patientURL]
        ]
        if !reasons.isEmpty { request["reasonReference"] = reasons }
        if let note = referral.note { request["note"] = [["text": note]] }
        entries.append((requestURL, request))
        entries.append(
            (
                "urn:uuid:\(UUID().uuidString.lowercased())",
                [
                    "resourceType": "Task", "status": "requested", "intent": "order", "priority": referral.priority.rawValue,
                    "identifier": [["system": ownBase + "/Task", "value": referral.id.raw]],
                    "code": ["coding": [["system": FHIRSystems.taskCode, "code": "fulfill"]]],
                    "focus": ["reference": requestURL], "for": ["reference": patientURL],
                    "owner": ["reference": "Organization/\(remote)"],
                    "restriction": ["period": ["end": referral.firstResponseDue.description]]
                ]
            ))
        return [
            "resourceType": "Bundle", "type": "transaction",
            "entry": entries.map { url, resource in
                ["fullUrl": url, "resource": resource, "request": ["method": "POST", "url": resource["resourceType"] as? String ?? ""]]
            }
        ]
    }
}
