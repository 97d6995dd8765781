import ThawCore

/// One email to send: everything due for one person, with a fresh link to their preferences.
public struct EmailBatch: Sendable {
    public var user: User
    public var notifications: [UserNotification]
    /// The secret of this email's preferences link (only its digest is stored).
    public var linkToken: String
    public var attempts: Int
}

extension ThawStore {
    /// Attempts before an email is given up (dead): with the backoff, about a day.
    static let maxEmailAttempts = 10

    /// Claims what is due to be emailed now, one batch per person: held for a lease so no other
    /// worker sends it meanwhile, its attempt counted.
    public func claimDueEmails(limit: Int = 200) async throws -> [EmailBatch] {
        let now = clock.now()
        return try await database.write { db in
            let skipLocked = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await db.query(
                """
                SELECT \(UserNotification.columns), user_id, email_attempts, email_due_at FROM notifications
                WHERE email_due_at IS NOT NULL AND email_due_at <= ? AND emailed_at IS NULL AND email_dead_at IS NULL
                ORDER BY user_id, created_at LIMIT ?\(skipLocked)
                """, now, limit)
            var batches: [EmailBatch] = []
            for (userId, group) in Dictionary(grouping: rows, by: { $0.string("user_id") }).sorted(by: { $0.key < $1.key }) {
                guard let user = try await db.first("SELECT \(User.columns) FROM users WHERE id = ?", userId).map(User.init(row:)), user.active
                else {
                    try await db.execute("UPDATE notifications SET email_due_at = NULL WHERE user_id = ? AND emailed_at IS NULL", userId)
                    continue
                }
                for row in group {
                    try await db.execute(
                        "UPDATE notifications SET email_due_at = ?, email_attempts = email_attempts + 1 WHERE id = ?",
                        now.adding(seconds: Outbox.leaseMillis / 1000), row.string("id"))
                }
                let token = SecretDigest.newSecret(prefix: "mail")
                try await db.execute(
                    "INSERT INTO email_links (token_digest, user_id, created_at) VALUES (?, ?, ?)", SecretDigest.hex(token), user.id, now)
                let notifications = group.compactMap(UserNotification.init(row:))
                batches.append(
                    EmailBatch(
                        user: user, notifications: notifications, linkToken: token,
                        attempts: (group.map { $0.int("email_attempts") }.max() ?? 0) + 1))
            }
            return batches
        }
    }

    public func markEmailed(_ batch: EmailBatch) async throws {
        let now = clock.now()
        try await database.write { db in
            for notification in batch.notifications {
                try await db.execute("UPDATE notifications SET emailed_at = ?, email_error = NULL WHERE id = ?", now, notification.id)
            }
        }
    }

    /// A failed send: tried again after the outbox's backoff, or given up after `maxEmailAttempts`.
    public func markEmailFailed(_ batch: EmailBatch, error: String) async throws {
        let now = clock.now(), message = String(error.prefix(500))
        try await database.write { db in
            for notification in batch.notifications {
                if batch.attempts >= Self.maxEmailAttempts {
                    try await db.execute("UPDATE notifications SET email_dead_at = ?, email_error = ? WHERE id = ?", now, message, notification.id)
                } else {
                    try await db.execute(
                        "UPDATE notifications SET email_due_at = ?, email_error = ? WHERE id = ?",
                        Timestamp(millis: now.millis + Outbox.backoffMillis(afterAttempts: batch.attempts)), message, notification.id)
                }
            }
        }
    }
}
