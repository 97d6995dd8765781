import ThawCore

/// Something Thaw gave up delivering: a subscription notification or an email.
public struct DeadLetter: Codable, Sendable {
    public enum Channel: String, Codable, Sendable, CaseIterable { case subscription, email }
    public var id: String
    public var channel: Channel
    /// What it was about: the event's kind, or the notification's.
    public var kind: String
    /// The subscription's endpoint, or the person's email address.
    public var recipient: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Timestamp
    public var deadAt: Timestamp
}

extension ScopedStore {
    /// What was given up for the actor's organisation (its subscriptions, its people's emails),
    /// newest first; a network administrator sees every organisation's. Administrators only.
    public func deadLetters(limit: Int = 100) async throws -> [DeadLetter] {
        try AccessPolicy.require(actor, anyOf: [.administrator, .networkAdministrator], to: "seeing undelivered notifications")
        let actor = self.actor, everyone = actor.has(.networkAdministrator)
        return try await database.read { db in
            let deliveries = try await db.query(
                """
                SELECT d.id, e.kind, s.endpoint AS recipient, d.attempts, d.last_error, d.created_at, d.dead_at
                FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN outbox_events e ON e.id = d.event_id
                WHERE d.dead_at IS NOT NULL AND d.delivered_at IS NULL AND (? = 1 OR s.organization_id = ?)
                ORDER BY d.dead_at DESC LIMIT ?
                """, everyone ? 1 : 0, actor.organizationId, limit
            ).map { DeadLetter(row: $0, channel: .subscription, attempts: "attempts", error: "last_error") }
            let emails = try await db.query(
                """
                SELECT n.id, n.kind, u.email AS recipient, n.email_attempts, n.email_error, n.created_at, n.email_dead_at AS dead_at
                FROM notifications n JOIN users u ON u.id = n.user_id
                WHERE n.email_dead_at IS NOT NULL AND n.emailed_at IS NULL AND (? = 1 OR u.organization_id = ?)
                ORDER BY n.email_dead_at DESC LIMIT ?
                """, everyone ? 1 : 0, actor.organizationId, limit
            ).map { DeadLetter(row: $0, channel: .email, attempts: "email_attempts", error: "email_error") }
            return Array((deliveries + emails).sorted { $0.deadAt > $1.deadAt }.prefix(limit))
        }
    }

    /// Sends a dead letter again from the first attempt. Another organisation's is 404.
    public func retryDeadLetter(_ id: String) async throws {
        guard let letter = try await deadLetters(limit: 1_000).first(where: { $0.id == id }) else {
            throw ThawError.notFound("undelivered notification \(id)")
        }
        let now = now()
        try await database.write { db in
            switch letter.channel {
            case .subscription:
                try await db.execute(
                    "UPDATE deliveries SET dead_at = NULL, attempts = 0, next_attempt_at = ?, last_error = NULL WHERE id = ?", now, id)
            case .email:
                try await db.execute(
                    "UPDATE notifications SET email_dead_at = NULL, email_attempts = 0, email_due_at = ?, email_error = NULL WHERE id = ?", now, id)
            }
        }
    }
}

extension DeadLetter {
    init(row: SQLRow, channel: Channel, attempts: String, error: String) {
        self.init(
            id: row.string("id"), channel: channel, kind: row.string("kind"), recipient: row.string("recipient"), attempts: row.int(attempts),
            lastError: row.optionalString(error), createdAt: row.timestamp("created_at"), deadAt: row.timestamp("dead_at"))
    }
}
