/// A promise one organisation (and a person in it) made to another, and
/// whether it was kept: following through is what warms a partnership.
///
/// It is the organisation promised that judges: the promiser marks it kept,
/// and it is kept once the other confirms, or has not disputed it within
/// `confirmationDays`. A new due date is proposed by the promiser and takes
/// effect only when the other agrees; until then the original date stands.
/// A promise to several organisations is one commitment to each (sharing a
/// `groupId`), each judged by its own recipient.
public struct Commitment: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        /// Marked kept by the promiser; the organisation promised has not yet confirmed or disputed it.
        case awaitingConfirmation = "awaiting-confirmation"
        case kept, missed, withdrawn
        public var isFinal: Bool { self == .kept || self == .withdrawn }
    }
    /// Days the organisation promised has to dispute a commitment marked kept; silence confirms it.
    public static let confirmationDays = 14
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
    /// When the promiser marked it kept (while it awaits confirmation).
    public var keptMarkedAt: Timestamp?
    /// A new due date the promiser proposed, with why, waiting for the other's agreement.
    public var proposedDueOn: CalendarDate?
    public var proposedReason: String?
    /// Shared by the commitments of one promise made to several organisations.
    public var groupId: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var version: Int

    public init(
        id: ID<Commitment>, organizationId: ID<Organization>, personId: ID<User>?, toOrganizationId: ID<Organization>,
        what: String, context: Context, contextId: String?, dueOn: CalendarDate, status: Status = .open,
        evidence: String? = nil, reason: String? = nil, renegotiations: Int = 0, keptMarkedAt: Timestamp? = nil,
        proposedDueOn: CalendarDate? = nil, proposedReason: String? = nil, groupId: String? = nil, createdAt: Timestamp,
        updatedAt: Timestamp, version: Int = 1
    ) {
        self.id = id; self.organizationId = organizationId; self.personId = personId; self.toOrganizationId = toOrganizationId
        self.what = what; self.context = context; self.contextId = contextId; self.dueOn = dueOn; self.status = status
        self.evidence = evidence; self.reason = reason; self.renegotiations = renegotiations
        self.keptMarkedAt = keptMarkedAt; self.proposedDueOn = proposedDueOn; self.proposedReason = proposedReason; self.groupId = groupId
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.version = version
    }

    /// A commitment is missed once the day after its due date begins (UTC).
    public func isOverdue(at now: Timestamp) -> Bool { status == .open && now >= dueOn.startOfDay.adding(days: 1) }
}

/// What may happen to a commitment, checked before anything is written. The
/// promiser keeps (marks kept), proposes a new date or withdraws; the
/// organisation promised confirms or disputes a keep, and agrees to or declines
/// a new date.
public enum CommitmentChange: Codable, Sendable, Equatable {
    case keep(evidence: String)
    case renegotiate(newDueOn: CalendarDate, reason: String)
    case withdraw(reason: String)
    case confirm(note: String?)
    case dispute(reason: String)
    case agree
    case decline(reason: String)

    /// Whether the organisation promised makes this change (otherwise the promiser does).
    public var byRecipient: Bool {
        switch self {
        case .keep, .renegotiate, .withdraw: return false
        case .confirm, .dispute, .agree, .decline: return true
        }
    }

    public func check(_ commitment: Commitment, today: CalendarDate) throws {
        var v = Validator()
        let status = commitment.status
        switch self {
        case .keep(let evidence):
            v.requireText(evidence, "evidence", maxLength: 4000)
            v.require(status == .open || status == .missed, "status", "final", "a commitment \(Self.describe(status)) cannot be marked kept")
        case .renegotiate(let newDueOn, let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(newDueOn >= today, "dueOn", "not-in-past", "the new due date cannot be in the past")
            v.require(newDueOn != commitment.dueOn, "dueOn", "unchanged", "the new due date is the same as the old one")
            v.require(status == .open || status == .missed, "status", "final", "a commitment \(Self.describe(status)) cannot be renegotiated")
        case .withdraw(let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(!status.isFinal, "status", "final", "a commitment \(Self.describe(status)) cannot be withdrawn")
        case .confirm(let note):
            v.limitText(note, "note", maxLength: 2000)
            v.require(status == .awaitingConfirmation, "status", "not-marked", "only a commitment marked kept can be confirmed")
        case .dispute(let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(status == .awaitingConfirmation, "status", "not-marked", "only a commitment marked kept can be disputed")
        case .agree:
            v.require(commitment.proposedDueOn != nil, "status", "no-proposal", "no new due date has been proposed")
            v.require(!status.isFinal, "status", "final", "a commitment \(Self.describe(status)) cannot be renegotiated")
        case .decline(let reason):
            v.requireText(reason, "reason", maxLength: 2000)
            v.require(commitment.proposedDueOn != nil, "status", "no-proposal", "no new due date has been proposed")
        }
        if let status = v.violations.first(where: { $0.field == "status" }) {
            throw ThawError.conflict(code: "commitment-closed", message: status.message)
        }
        try v.check()
    }

    private static func describe(_ status: Commitment.Status) -> String {
        status == .awaitingConfirmation ? "awaiting confirmation" : "already \(status.rawValue)"
    }

    /// Applies a checked change.
    public func apply(to commitment: inout Commitment, at now: Timestamp) {
        switch self {
        case .keep(let evidence):
            commitment.status = .awaitingConfirmation; commitment.evidence = evidence.trimmingWhitespace; commitment.keptMarkedAt = now
        case .renegotiate(let newDueOn, let reason):
            commitment.proposedDueOn = newDueOn; commitment.proposedReason = reason.trimmingWhitespace
        case .withdraw(let reason):
            commitment.status = .withdrawn; commitment.reason = reason.trimmingWhitespace
            commitment.proposedDueOn = nil; commitment.proposedReason = nil
        case .confirm:
            commitment.status = .kept
        case .dispute(let reason):
            // Back to open: if its date has passed, the deadline sweep marks it missed.
            commitment.status = .open; commitment.keptMarkedAt = nil; commitment.reason = reason.trimmingWhitespace
        case .agree:
            if let due = commitment.proposedDueOn { commitment.dueOn = due }
            commitment.reason = commitment.proposedReason
            commitment.proposedDueOn = nil; commitment.proposedReason = nil
            commitment.renegotiations += 1
            if commitment.status == .missed { commitment.status = .open }
        case .decline(let reason):
            commitment.proposedDueOn = nil; commitment.proposedReason = nil; commitment.reason = reason.trimmingWhitespace
        }
        commitment.updatedAt = now
        commitment.version += 1
    }

    /// The ledger kind of the change. Only `commitment.kept` (the recipient's confirmation, or the
    /// sweep's after its silence) and `commitment.missed` count for follow-through.
    public var kind: String {
        switch self {
        case .keep: return "commitment.marked-kept"
        case .renegotiate: return "commitment.renegotiation-proposed"
        case .withdraw: return "commitment.withdrawn"
        case .confirm: return "commitment.kept"
        case .dispute: return "commitment.disputed"
        case .agree: return "commitment.renegotiated"
        case .decline: return "commitment.renegotiation-declined"
        }
    }

    private enum Key: String, CodingKey { case action, evidence, dueOn, reason, note }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .action) {
        case "keep": self = .keep(evidence: try c.decode(String.self, forKey: .evidence))
        case "renegotiate":
            self = .renegotiate(newDueOn: try c.decode(CalendarDate.self, forKey: .dueOn), reason: try c.decode(String.self, forKey: .reason))
        case "withdraw": self = .withdraw(reason: try c.decode(String.self, forKey: .reason))
        case "confirm": self = .confirm(note: try c.decodeIfPresent(String.self, forKey: .note))
        case "dispute": self = .dispute(reason: try c.decode(String.self, forKey: .reason))
        case "agree": self = .agree
        case "decline": self = .decline(reason: try c.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .action, in: c, debugDescription: "action must be keep, renegotiate, withdraw, confirm, dispute, agree or decline")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .keep(let evidence): try c.encode("keep", forKey: .action); try c.encode(evidence, forKey: .evidence)
        case .renegotiate(let due, let reason):
            try c.encode("renegotiate", forKey: .action); try c.encode(due, forKey: .dueOn); try c.encode(reason, forKey: .reason)
        case .withdraw(let reason): try c.encode("withdraw", forKey: .action); try c.encode(reason, forKey: .reason)
        case .confirm(let note): try c.encode("confirm", forKey: .action); try c.encodeIfPresent(note, forKey: .note)
        case .dispute(let reason): try c.encode("dispute", forKey: .action); try c.encode(reason, forKey: .reason)
        case .agree: try c.encode("agree", forKey: .action)
        case .decline(let reason): try c.encode("decline", forKey: .action); try c.encode(reason, forKey: .reason)
        }
    }
}

public struct NewCommitment: Codable, Sendable {
    public var toOrganizationId: ID<Organization>
    /// Further organisations the same promise is made to: one commitment to each, judged by each.
    public var alsoToOrganizationIds: [ID<Organization>]?
    public var personId: ID<User>?
    public var what: String
    public var context: Commitment.Context
    public var contextId: String?
    public var dueOn: CalendarDate
    public init(
        toOrganizationId: ID<Organization>, alsoToOrganizationIds: [ID<Organization>]? = nil, personId: ID<User>? = nil, what: String,
        context: Commitment.Context, contextId: String? = nil, dueOn: CalendarDate
    ) {
        self.toOrganizationId = toOrganizationId; self.alsoToOrganizationIds = alsoToOrganizationIds; self.personId = personId
        self.what = what; self.context = context; self.contextId = contextId; self.dueOn = dueOn
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(what, "what", maxLength: 2000)
        v.require(dueOn >= today, "dueOn", "not-in-past", "a commitment cannot be due in the past")
        v.limitText(contextId, "contextId", maxLength: 200)
        let recipients = self.recipients
        v.require(recipients.count <= 50, "alsoToOrganizationIds", "max-items", "a promise is made to at most 50 organisations")
        v.require(Set(recipients).count == recipients.count, "alsoToOrganizationIds", "unique", "name each organisation once")
        try v.check()
    }

    /// Every organisation the promise is made to.
    public var recipients: [ID<Organization>] { [toOrganizationId] + (alsoToOrganizationIds ?? []) }

    /// The channel a promise travelled through, for the ledger.
    public var channel: Channel {
        switch context {
        case .thread: return .informal
        case .referral: return .referral
        case .meeting, .consultation, .other: return .formal
        }
    }
}
