import ThawCore

/// The IG's TaskForReferralManagement: the referral's workflow state.
struct FHIRTask: FHIRResource {
    static let type = FHIRResourceType.task
    var resourceType = "Task"
    var id: String
    var meta: Meta?
    var status: String
    var statusReason: CodeableConcept?
    var businessStatus: CodeableConcept?
    /// The Task this one was made from: a partner referring the client on (a sub-referral).
    var partOf: [Reference]?
    var intent: String
    var priority: String?
    var code: CodeableConcept?
    /// A task for the patient: what they are asked to do, in words.
    var description: String?
    var focus: Reference?
    var `for`: Reference?
    var authoredOn: String?
    var lastModified: String?
    var requester: Reference?
    var owner: Reference?
    var restriction: Restriction?
    var note: [Annotation]?
    /// A task for the patient: whom to contact (`contact-entity`).
    var input: [Output]?
    var output: [Output]?

    struct Restriction: Codable, Sendable { var period: Period? }
    struct Output: Codable, Sendable {
        var type: CodeableConcept
        var valueReference: Reference?
    }
}

/// The IG's SDOHCC ServiceRequest: what was asked for.
struct FHIRServiceRequest: FHIRResource {
    static let type = FHIRResourceType.serviceRequest
    var resourceType = "ServiceRequest"
    var id: String
    var meta: Meta?
    var status: String
    var intent: String
    var category: [CodeableConcept]?
    var priority: String?
    var code: CodeableConcept?
    var subject: Reference
    var authoredOn: String?
    var requester: Reference?
    var performer: [Reference]?
    var reasonReference: [Reference]?
    var supportingInfo: [Reference]?
    var note: [Annotation]?
}

/// The IG's SDOHCC Procedure: what the receiving organisation did, its outcome.
struct FHIRProcedure: FHIRResource {
    static let type = FHIRResourceType.procedure
    var resourceType = "Procedure"
    var id: String
    var meta: Meta?
    var status: String
    var category: CodeableConcept?
    var code: CodeableConcept?
    var subject: Reference
    var performedDateTime: String?
    var basedOn: [Reference]?
    var performer: [Performer]?
    var outcome: CodeableConcept?
    var reasonReference: [Reference]?

    struct Performer: Codable, Sendable { var actor: Reference }
}
