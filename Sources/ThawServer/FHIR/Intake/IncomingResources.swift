// The resources a referral source sends, read for what Thaw records of them. Elements
// Thaw does not record (extensions, race and ethnicity, attachments) are read past: a
// referral is not refused for carrying more than Thaw needs, and Thaw keeps no more
// than it needs (see docs/fhir.md, "What Thaw keeps of a referral it receives").

struct IncomingPatient: Decodable, Sendable {
    var id: String?
    var identifier: [Identifier]?
    var name: [HumanName]?
    var telecom: [ContactPoint]?
    var birthDate: String?
    var address: [Address]?
    var communication: [Communication]?

    struct Communication: Decodable, Sendable {
        var language: CodeableConcept
        var preferred: Bool?
    }
}

struct IncomingConsent: Decodable, Sendable {
    var id: String?
    var status: String
    var patient: Reference?
    var dateTime: String?
    var provision: Provision?

    struct Provision: Decodable, Sendable {
        var type: String?
        var period: Period?
        var actor: [Actor]?
        var purpose: [Coding]?
        var code: [CodeableConcept]?
    }
    struct Actor: Decodable, Sendable {
        var role: CodeableConcept?
        var reference: Reference
    }
}

struct IncomingCondition: Decodable, Sendable {
    var id: String?
    var clinicalStatus: CodeableConcept?
    var verificationStatus: CodeableConcept?
    var category: [CodeableConcept]?
    var code: CodeableConcept?
    var subject: Reference
    var onsetDateTime: String?
    var onsetPeriod: Period?
    var recordedDate: String?
}

struct IncomingServiceRequest: Decodable, Sendable {
    var id: String?
    var status: String
    var intent: String
    var category: [CodeableConcept]?
    var priority: String?
    var code: CodeableConcept?
    var subject: Reference
    var requester: Reference?
    var performer: [Reference]?
    var reasonReference: [Reference]?
    var note: [Annotation]?
}

struct IncomingTask: Decodable, Sendable {
    var id: String?
    var identifier: [Identifier]?
    var status: String
    var intent: String
    var priority: String?
    var code: CodeableConcept?
    var focus: Reference?
    var `for`: Reference?
    var requester: Reference?
    var owner: Reference?
    var restriction: Restriction?
    var note: [Annotation]?

    struct Restriction: Decodable, Sendable { var period: Period? }
}

/// One resource of a transaction, by its `resourceType`.
enum IncomingResource: Decodable, Sendable {
    case patient(IncomingPatient)
    case consent(IncomingConsent)
    case condition(IncomingCondition)
    case serviceRequest(IncomingServiceRequest)
    case task(IncomingTask)

    private enum Key: String, CodingKey { case resourceType }

    init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .resourceType)
        switch type {
        case "Patient": self = .patient(try IncomingPatient(from: decoder))
        case "Consent": self = .consent(try IncomingConsent(from: decoder))
        case "Condition": self = .condition(try IncomingCondition(from: decoder))
        case "ServiceRequest": self = .serviceRequest(try IncomingServiceRequest(from: decoder))
        case "Task": self = .task(try IncomingTask(from: decoder))
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath + [Key.resourceType],
                    debugDescription: "a referral is sent as Patient, Consent, Condition, ServiceRequest and Task; Thaw does not take \(type) in it"))
        }
    }

    var typeName: String {
        switch self {
        case .patient: "Patient"
        case .consent: "Consent"
        case .condition: "Condition"
        case .serviceRequest: "ServiceRequest"
        case .task: "Task"
        }
    }

    var id: String? {
        switch self {
        case .patient(let r): r.id
        case .consent(let r): r.id
        case .condition(let r): r.id
        case .serviceRequest(let r): r.id
        case .task(let r): r.id
        }
    }
}

/// A transaction Bundle: the entries, each with the request that places it.
struct TransactionBundle: Decodable, Sendable {
    var resourceType: String
    var type: String
    var entry: [Entry]?

    struct Entry: Decodable, Sendable {
        var fullUrl: String?
        var resource: IncomingResource
        var request: Request?
    }
    struct Request: Decodable, Sendable {
        var method: String
        var url: String
    }
}

struct IncomingProcedure: Decodable, Sendable {
    var resourceType: String
    var status: String
    var basedOn: [Reference]?
    var outcome: CodeableConcept?
    var performedDateTime: String?
}
