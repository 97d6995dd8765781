import ThawCore

/// The transactional outbox. An event someone must hear about is written by the same
/// `append` that writes its ledger entry, so in the same transaction as the change: it
/// exists exactly when the change does. After commit, a worker fans each event out to its
/// recipients (one delivery row per event and recipient, unique on the pair) and delivers
/// them with retries; a delivery keeps its event's id, so a crash between sending and
/// marking sent gives the receiver the same event twice — never a lost one.
enum Outbox {
    /// The ledger kinds that are events for someone outside the change.
    static let eventKinds: Set<String> = [
        "referral.created", "referral.claimed", "referral.status-changed", "referral.business-status", "referral.updated",
        "referral.message-sent", ClimateLedger.overdueKind
    ]

    /// The kinds that change a referral's Task (what the `task-changed` topic hears of).
    static let taskChangeKinds: Set<String> = [
        "referral.created", "referral.claimed", "referral.status-changed", "referral.business-status", "referral.updated"
    ]

    /// How long a claimed delivery is held before another worker may try it (a worker that died mid-send).
    static let leaseMillis: Int64 = 30_000
    /// Attempts before a delivery is dead: with the backoff, about a day of trying.
    static let maxAttempts = 12

    /// The wait after the `attempts`-th failure: 2, 4, 8 … seconds, at most an hour.
    static func backoffMillis(afterAttempts attempts: Int) -> Int64 {
        min(Int64(1_000) << Int64(min(max(attempts, 1), 12)), 3_600_000)
    }
}

extension SQLConnection {
    /// Writes the outbox event for a ledger entry that is one (see `Outbox.eventKinds`).
    func enqueueEvent(_ record: LedgerRecord, actorUser: ID<User>?, actorOrganization: ID<Organization>, at: Timestamp) async throws {
        guard Outbox.eventKinds.contains(record.kind) else { return }
        try await execute(
            """
            INSERT INTO outbox_events (id, kind, subject_type, subject_id, actor_organization_id, counterpart_organization_id,
                                       actor_user_id, detail, created_at, fanned_out)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
            """, IDGenerator.make("evt", createdAt: at, as: OutboxEvent.self), record.kind, record.subjectType, record.subjectId,
            actorOrganization, record.counterpart, actorUser, JSONText.encode(record.detail), at)
    }
}

/// An event as the outbox keeps it.
public struct OutboxEvent: Sendable, Equatable {
    public var id: ID<OutboxEvent>
    public var kind: String
    public var subjectType: String
    public var subjectId: String
    public var actorOrganizationId: ID<Organization>
    public var detail: [String: String]
    public var createdAt: Timestamp
}

/// When people's emails go out: at once, or in the digest sent each day at `digestHourUTC`.
/// nil where the server has no SMTP server configured: nothing is queued to email then.
public struct EmailSchedule: Sendable {
    public var digestHourUTC: Int
    public init(digestHourUTC: Int = 12) { self.digestHourUTC = digestHourUTC }

    /// The next digest strictly after `now`.
    public func nextDigest(after now: Timestamp) -> Timestamp {
        let today = CalendarDate(now).startOfDay.adding(seconds: Int64(digestHourUTC) * 3600)
        return today > now ? today : today.adding(days: 1)
    }
}

/// A delivery claimed for sending: the event, the subscription it goes to, and the event's
/// number among those the subscription has had (FHIR's `events-since-subscription-start`).
public struct DueDelivery: Sendable {
    public var id: String
    public var event: OutboxEvent
    public var subscription: Subscription
    public var eventNumber: Int64
    public var attempts: Int
}

/// What sends came to, recorded together in the worker's next round.
public struct DeliveryResults: Sendable {
    public var delivered: [DueDelivery]
    public var failed: [(DueDelivery, String)]

    public init(delivered: [DueDelivery] = [], failed: [(DueDelivery, String)] = []) { self.delivered = delivered; self.failed = failed }

    public var isEmpty: Bool { delivered.isEmpty && failed.isEmpty }
}

/// A delivery that gave up, for an administrator to see and send again.
public struct DeadDelivery: Codable, Sendable {
    public var id: String
    public var eventId: String
    public var kind: String
    public var subscriptionId: ID<Subscription>
    public var endpoint: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Timestamp
    public var deadAt: Timestamp
}
