/// The channel an interaction went through; the climate's channel mix counts them.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case referral  // the referral workflow and its messages
    case formal  // committees, meetings, consultations
    case informal  // direct threads between people
    case system  // administration: accounts, directory, consent records
}

/// One line of the append-only activity ledger: who (and which organisation)
/// did what, toward which organisation, through which channel, when.
public struct ActivityEntry: Codable, Sendable, Equatable {
    public var seq: Int64
    public var at: Timestamp
    public var actorUserId: ID<User>?
    public var actorOrganizationId: ID<Organization>
    public var counterpartOrganizationId: ID<Organization>?
    public var kind: String
    public var subjectType: String
    public var subjectId: String
    public var channel: Channel
    public var detail: [String: String]

    public init(
        seq: Int64, at: Timestamp, actorUserId: ID<User>?, actorOrganizationId: ID<Organization>,
        counterpartOrganizationId: ID<Organization>?, kind: String, subjectType: String,
        subjectId: String, channel: Channel, detail: [String: String]
    ) {
        self.seq = seq; self.at = at; self.actorUserId = actorUserId; self.actorOrganizationId = actorOrganizationId
        self.counterpartOrganizationId = counterpartOrganizationId; self.kind = kind
        self.subjectType = subjectType; self.subjectId = subjectId; self.channel = channel; self.detail = detail
    }
}
