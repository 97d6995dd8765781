/// A navigator's follow-up on a referral, with the client or with the partner:
/// when it happened, how, what came of it, and when to follow up next.
public struct FollowUp: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        case phone, visit, message, email
    }
    public enum Party: String, Codable, Sendable, CaseIterable {
        case client  // the client, or someone speaking for them
        case partner  // the organisation the client was referred to
    }
    public enum Result: String, Codable, Sendable, CaseIterable {
        case reached
        case noAnswer = "no-answer"
        case needMet = "need-met"
        case needNotMet = "need-not-met"
        case newNeed = "new-need"
    }

    public var id: ID<FollowUp>
    public var referralId: ID<Referral>
    public var clientId: ID<Client>
    public var organizationId: ID<Organization>
    public var userId: ID<User>
    /// The colleague's name, as read back with the log.
    public var userName: String?
    /// When the follow-up happened (not when it was written down).
    public var happenedAt: Timestamp
    public var method: Method
    public var party: Party
    public var result: Result
    public var note: String?
    /// The referral's next follow-up date it set; nil: none planned.
    public var nextFollowUpDue: Timestamp?
    public var recordedAt: Timestamp

    public init(
        id: ID<FollowUp>, referralId: ID<Referral>, clientId: ID<Client>, organizationId: ID<Organization>,
        userId: ID<User>, happenedAt: Timestamp, method: Method, party: Party, result: Result, note: String?,
        nextFollowUpDue: Timestamp?, recordedAt: Timestamp
    ) {
        self.id = id; self.referralId = referralId; self.clientId = clientId; self.organizationId = organizationId
        self.userId = userId; self.happenedAt = happenedAt; self.method = method; self.party = party
        self.result = result; self.note = note; self.nextFollowUpDue = nextFollowUpDue; self.recordedAt = recordedAt
    }
}

/// A follow-up as it is recorded.
public struct NewFollowUp: Codable, Sendable, Equatable {
    /// When it happened; nil: now.
    public var happenedAt: Timestamp?
    public var method: FollowUp.Method
    public var party: FollowUp.Party
    public var result: FollowUp.Result
    public var note: String?
    /// The next follow-up date; nil: no further follow-up planned on this referral.
    public var nextFollowUpDue: Timestamp?

    public init(
        happenedAt: Timestamp? = nil, method: FollowUp.Method, party: FollowUp.Party, result: FollowUp.Result,
        note: String? = nil, nextFollowUpDue: Timestamp? = nil
    ) {
        self.happenedAt = happenedAt; self.method = method; self.party = party; self.result = result
        self.note = note; self.nextFollowUpDue = nextFollowUpDue
    }

    /// How far ahead of the server's clock a follow-up's time may be (a device's clock running fast).
    public static let clockSkewSeconds: Int64 = 300

    public func validate(referral: Referral, now: Timestamp) throws {
        var v = Validator()
        v.limitText(note, "note", maxLength: 4000)
        if let happenedAt {
            v.require(happenedAt <= now.adding(seconds: Self.clockSkewSeconds), "happenedAt", "not-in-future", "happenedAt cannot be in the future")
            v.require(happenedAt >= referral.createdAt, "happenedAt", "after-referral", "happenedAt cannot be before the referral was made")
        }
        if let nextFollowUpDue {
            v.require(nextFollowUpDue > now, "nextFollowUpDue", "not-in-past", "nextFollowUpDue must be in the future")
            v.require(
                !referral.status.isTerminal, "nextFollowUpDue", "closed",
                "the referral is \(referral.status.rawValue); record the follow-up without a next date, or follow up on the need")
        }
        try v.check()
    }
}
