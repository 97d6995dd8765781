/// A promise one organisation (and a person in it) made to another, and
/// whether it was kept: following through is what warms a partnership.
public struct Commitment: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case open, kept, missed, withdrawn
        public var isFinal: Bool { self == .kept || self == .withdrawn }
    }
    /// Where the promise was made.
    public enum Context: String, Codable, Sendable, CaseIterable {
        case meeting, consultation, thread, referral, other
    }

    public var id: ID<Commitment>
    public var organizationId: ID<Organization>
    public var personId: ID<User>?
    public var toOrganizationId: ID<Organization>
    public var what: String
    public var context: Context
    public var contextId: String?
    public var dueOn: CalendarDate
    public var status: Status
    public var evidence: String?
    public var reason: String?
    /// How many times the due date was moved by agreement.
    public var renegotiations: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var version: Int

    public init(
        id: ID<Commitment>, organizationId: ID<Organization>, personId: ID<User>?, toOrganizationId: ID<Organization>,
        what: String, context: Context, contextId: String?, dueOn: CalendarDate, status: Status = .open,
        evidence: String? = nil, reason: String? = nil, renegotiations: Int = 0, createdAt: Timestamp,
        updatedAt: Timestamp, version: Int = 1
    ) {
        self.id = id; self.organizationId = organizationId; self.personId = personId; self.toOrganizationId = toOrganizationId
        self.what = what; self.context = context; self.contextId = contextId; self.dueOn = dueOn; self.status = status
        self.evidence = evidence; self.reason = reason; self.renegotiations = renegotiations
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.version = version
    }

    /// A commitment is missed once the day after its due date begins (UTC).
    public func isOverdue(at now: Timestamp) -> Bool { status == .open && now >= dueOn.startOfDay.adding(days: 1) }
}

/// What may happen to a commitment, checked before anything is written.
public enum CommitmentChange: Codable, Sendable, Equatable {
    case keep(evidence: String)
    case renegotiate(newDueOn: CalendarDate, reason: String)
    case withdraw(reason: String)

    public func check(_ commitment: Commitment, today: CalendarDate) throws {
        var v = Validator()
        switch self {
        case .keep(let evidence):
            v.requireText(evidence, "evidence", maxLength: 4000)
            v.require(
                commitment.status == .open || commitment.status == .missed, "status", "final",
                "a \(commitment.status.rawValue) commitment cannot be marked kept")
        case .renegotiate(let newDueOn, let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(newDueOn >= today, "dueOn", "not-in-past", "the new due date cannot be in the past")
            v.require(newDueOn != commitment.dueOn, "dueOn", "unchanged", "the new due date is the same as the old one")
            v.require(!commitment.status.isFinal, "status", "final", "a \(commitment.status.rawValue) commitment cannot be renegotiated")
        case .withdraw(let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(!commitment.status.isFinal, "status", "final", "a \(commitment.status.rawValue) commitment cannot be withdrawn")
        }
        if let status = v.violations.first(where: { $0.field == "status" }) {
            throw ThawError.conflict(code: "commitment-closed", message: status.message)
        }
        try v.check()
    }

    /// Applies a checked change.
    public func apply(to commitment: inout Commitment, at now: Timestamp) {
        switch self {
        case .keep(let evidence):
            commitment.status = .kept; commitment.evidence = evidence.trimmingWhitespace
        case .renegotiate(let newDueOn, let reason):
            commitment.status = .open; commitment.dueOn = newDueOn; commitment.reason = reason.trimmingWhitespace
            commitment.renegotiations += 1
        case .withdraw(let reason):
            commitment.status = .withdrawn; commitment.reason = reason.trimmingWhitespace
        }
        commitment.updatedAt = now
        commitment.version += 1
    }

    public var kind: String {
        switch self {
        case .keep: return "commitment.kept"
        case .renegotiate: return "commitment.renegotiated"
        case .withdraw: return "commitment.withdrawn"
        }
    }

    private enum Key: String, CodingKey { case action, evidence, dueOn, reason }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .action) {
        case "keep": self = .keep(evidence: try c.decode(String.self, forKey: .evidence))
        case "renegotiate":
            self = .renegotiate(newDueOn: try c.decode(CalendarDate.self, forKey: .dueOn), reason: try c.decode(String.self, forKey: .reason))
        case "withdraw": self = .withdraw(reason: try c.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .action, in: c, debugDescription: "action must be keep, renegotiate or withdraw")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .keep(let evidence): try c.encode("keep", forKey: .action); try c.encode(evidence, forKey: .evidence)
        case .renegotiate(let due, let reason):
            try c.encode("renegotiate", forKey: .action); try c.encode(due, forKey: .dueOn); try c.encode(reason, forKey: .reason)
        case .withdraw(let reason): try c.encode("withdraw", forKey: .action); try c.encode(reason, forKey: .reason)
        }
    }
}

public struct NewCommitment: Codable, Sendable {
    public var toOrganizationId: ID<Organization>
    public var personId: ID<User>?
    public var what: String
    public var context: Commitment.Context
    public var contextId: String?
    public var dueOn: CalendarDate
    public init(
        toOrganizationId: ID<Organization>, personId: ID<User>? = nil, what: String, context: Commitment.Context,
        contextId: String? = nil, dueOn: CalendarDate
    ) {
        self.toOrganizationId = toOrganizationId; self.personId = personId; self.what = what; self.context = context
        self.contextId = contextId; self.dueOn = dueOn
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(what, "what", maxLength: 2000)
        v.require(dueOn >= today, "dueOn", "not-in-past", "a commitment cannot be due in the past")
        v.limitText(contextId, "contextId", maxLength: 200)
        try v.check()
    }

    /// The channel a promise travelled through, for the ledger.
    public var channel: Channel {
        switch context {
        case .thread: return .informal
        case .referral: return .referral
        case .meeting, .consultation, .other: return .formal
        }
    }
}
