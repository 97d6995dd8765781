import ThawCore

extension ThawStore {
    /// Fans out events not yet fanned out: one delivery per event and subscription that may hear
    /// of it. A subscription hears of a referral's change when its organisation is a party the
    /// referral is visible to now (the same rule as reading it), its filter matches and it is
    /// active. With several processes, each event is fanned out once (rows locked, others skipped).
    /// Returns how many events it fanned out.
    @discardableResult
    public func fanOutEvents(limit: Int = 200, email: EmailSchedule? = nil) async throws -> Int {
        let now = clock.now()
        let plans = try await database.read { db in try await Self.planFanOut(db, limit: limit, email: email, now: now) }
        guard !plans.isEmpty else { return 0 }
        return try await database.write { db in try await Self.applyFanOut(db, plans, now: now) }
    }

    /// One round of the outbox worker: the fan-out planned on a reader, then one write that records
    /// what the last round's sends came to, writes the fan-out and claims the deliveries due now.
    /// Small rounds keep each event's wait short: 50 events a round delivered at p99 527 ms under
    /// the life cycle, 200 at 1,791 ms (BENCHMARKS.md).
    public func outboxRound(finished: DeliveryResults, fanOutLimit: Int = 50, claimLimit: Int, email: EmailSchedule?) async throws
        -> (fanned: Int, due: [DueDelivery])
    {
        let now = clock.now()
        let plans = try await database.read { db in try await Self.planFanOut(db, limit: fanOutLimit, email: email, now: now) }
        return try await database.write { db in
            try await Self.record(db, finished, now: now)
            let fanned = plans.isEmpty ? 0 : try await Self.applyFanOut(db, plans, now: now)
            return (fanned, claimLimit > 0 ? try await Self.claim(db, limit: claimLimit, now: now) : [])
        }
    }

    /// A user of an organisation as an actor, while their account is active.
    static func activeActor(_ db: any SQLConnection, _ userId: ID<User>, in organizationId: ID<Organization>) async throws -> Actor? {
        guard
            let user = try await db.first("SELECT \(User.columns) FROM users WHERE id = ? AND organization_id = ?", userId, organizationId)
                .map(User.init(row:)), user.active,
            let organization = try await db.first("SELECT \(Organization.columns) FROM organizations WHERE id = ?", organizationId)
                .map(Organization.init(row:))
        else { return nil }
        return Actor(
            userId: user.id, organizationId: organization.id, sector: organization.sector, roles: user.roles,
            timeZone: organization.timeZone)
    }

    /// Claims up to `limit` deliveries due now for sending: each is held for a lease so that no
    /// other worker sends it meanwhile, and its attempt is counted.
    public func claimDueDeliveries(limit: Int = 50) async throws -> [DueDelivery] {
        let now = clock.now()
        return try await database.write { db in try await Self.claim(db, limit: limit, now: now) }
    }

    private static func claim(_ db: any SQLConnection, limit: Int, now: Timestamp) async throws -> [DueDelivery] {
        let skipLocked = db.dialect == .postgres ? " FOR UPDATE OF d SKIP LOCKED" : ""
        let rows = try await db.query(
            """
            SELECT d.id AS delivery_id, d.event_number, d.attempts, e.id, e.kind, e.subject_type, e.subject_id,
                   e.actor_organization_id, e.detail, e.created_at, d.subscription_id
            FROM deliveries d JOIN outbox_events e ON e.id = d.event_id
            WHERE d.delivered_at IS NULL AND d.dead_at IS NULL AND d.next_attempt_at <= ?
            ORDER BY d.next_attempt_at LIMIT ?\(skipLocked)
            """, now, limit)
        var due: [DueDelivery] = []
        var subscriptions: [String: Subscription] = [:]
        for row in rows {
            let subscriptionId = row.string("subscription_id")
            if subscriptions[subscriptionId] == nil {
                subscriptions[subscriptionId] = try await db.first("SELECT \(Subscription.columns) FROM subscriptions WHERE id = ?", subscriptionId)
                    .map(Subscription.init(row:))
            }
            guard let subscription = subscriptions[subscriptionId] else { continue }
            guard subscription.status == .active || subscription.status == .error else {
                try await db.execute(
                    "UPDATE deliveries SET dead_at = ?, last_error = 'the subscription is off' WHERE id = ?", now, row.string("delivery_id"))
                continue
            }
            try await db.execute(
                "UPDATE deliveries SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ?",
                now.adding(seconds: Outbox.leaseMillis / 1000), row.string("delivery_id"))
            due.append(
                DueDelivery(
                    id: row.string("delivery_id"), event: OutboxEvent(row: row), subscription: subscription,
                    eventNumber: row.int64("event_number"), attempts: row.int("attempts") + 1))
        }
        return due
    }

    public func markDelivered(_ delivery: DueDelivery) async throws {
        try await record(DeliveryResults(delivered: [delivery]))
    }

    /// A failed send: tried again after the backoff, or dead after `Outbox.maxAttempts`.
    public func markFailed(_ delivery: DueDelivery, error: String) async throws {
        try await record(DeliveryResults(failed: [(delivery, error)]))
    }

    public func record(_ results: DeliveryResults) async throws {
        let now = clock.now()
        try await database.write { db in try await Self.record(db, results, now: now) }
    }

    private static func record(_ db: any SQLConnection, _ results: DeliveryResults, now: Timestamp) async throws {
        for delivery in results.delivered {
            try await db.execute("UPDATE deliveries SET delivered_at = ?, last_error = NULL WHERE id = ?", now, delivery.id)
        }
        for subscription in Set(results.delivered.map(\.subscription.id.raw)) {
            try await db.execute("UPDATE subscriptions SET last_sent_at = ?, error = NULL WHERE id = ?", now, subscription)
        }
        for (delivery, error) in results.failed {
            let message = String(error.prefix(500))
            if delivery.attempts >= Outbox.maxAttempts {
                try await db.execute("UPDATE deliveries SET dead_at = ?, last_error = ? WHERE id = ?", now, message, delivery.id)
            } else {
                try await db.execute(
                    "UPDATE deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                    Timestamp(millis: now.millis + Outbox.backoffMillis(afterAttempts: delivery.attempts)), message, delivery.id)
            }
            try await db.execute("UPDATE subscriptions SET error = ? WHERE id = ?", message, delivery.subscription.id)
        }
    }

    // MARK: handshakes and heartbeats

    /// Claims the subscriptions waiting for their handshake, each tried at most every five
    /// seconds: marked as sent now, so that no other round sends it while this one does.
    public func claimHandshakes() async throws -> [Subscription] {
        let now = clock.now()
        return try await claimSubscriptions(
            "status = 'requested' AND (last_sent_at IS NULL OR last_sent_at <= ?)", Timestamp(millis: now.millis - 5_000), now: now)
    }

    /// Claims the active subscriptions with a heartbeat period that have been sent nothing for that long.
    public func claimHeartbeats() async throws -> [Subscription] {
        let now = clock.now()
        return try await claimSubscriptions(
            "status = 'active' AND heartbeat_seconds IS NOT NULL AND last_sent_at + heartbeat_seconds * 1000 <= ?", now, now: now)
    }

    private func claimSubscriptions(_ condition: String, _ bound: Timestamp, now: Timestamp) async throws -> [Subscription] {
        try await database.write { db in
            let skipLocked = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let claimed = try await db.query(
                "SELECT \(Subscription.columns) FROM subscriptions WHERE \(condition) LIMIT 100\(skipLocked)", bound
            ).map(Subscription.init(row:))
            for subscription in claimed {
                try await db.execute("UPDATE subscriptions SET last_sent_at = ? WHERE id = ?", now, subscription.id)
            }
            return claimed
        }
    }

    /// The handshake's result: active, or after five failures in error.
    public func recordHandshake(_ id: ID<Subscription>, error: String?) async throws {
        try await database.write { db in
            if let error {
                try await db.execute(
                    """
                    UPDATE subscriptions SET handshake_attempts = handshake_attempts + 1, error = ?,
                        status = CASE WHEN handshake_attempts + 1 >= 5 THEN 'error' ELSE status END
                    WHERE id = ? AND status = 'requested'
                    """, String(error.prefix(500)), id)
            } else {
                try await db.execute("UPDATE subscriptions SET status = 'active', error = NULL WHERE id = ? AND status = 'requested'", id)
            }
        }
    }
}

extension OutboxEvent {
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), kind: row.string("kind"), subjectType: row.string("subject_type"), subjectId: row.string("subject_id"),
            actorOrganizationId: row.id("actor_organization_id"), detail: JSONText.decode(row.optionalString("detail")),
            createdAt: row.timestamp("created_at"))
    }
}
