import ThawCore

extension UserNotification {
    static let columns = "id, kind, subject_type, subject_id, summary, created_at, read_at"

    init?(row: SQLRow) {
        guard let kind = NotificationKind(rawValue: row.string("kind")),
            let subjectType = NotificationSubject.Kind(rawValue: row.string("subject_type"))
        else { return nil }
        self.init(
            id: row.id("id"), kind: kind, subject: NotificationSubject(subjectType, row.string("subject_id")), summary: row.string("summary"),
            createdAt: row.timestamp("created_at"), readAt: row.optionalTimestamp("read_at"))
    }
}

/// A person's notifications, newest first, and how many they have not read.
public struct NotificationList: Codable, Sendable {
    public var items: [UserNotification]
    public var unread: Int
}

extension ScopedStore {
    /// The actor's own notifications: nobody reads another person's.
    public func notifications(limit: Int = 50) async throws -> NotificationList {
        let actor = self.actor
        return try await database.read { db in
            let items = try await db.query(
                "SELECT \(UserNotification.columns) FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                actor.userId, max(1, min(limit, 200))
            ).compactMap(UserNotification.init(row:))
            let unread =
                try await db.first("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", actor.userId)?.int("n") ?? 0
            return NotificationList(items: items, unread: unread)
        }
    }

    /// Marks the actor's notifications read: the ones named, or all. Another person's ids change nothing.
    public func markNotificationsRead(_ ids: [ID<UserNotification>]?) async throws {
        let actor = self.actor, now = now()
        try await database.write { db in
            if let ids {
                for id in ids.prefix(200) {
                    try await db.execute(
                        "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", now, id, actor.userId)
                }
            } else {
                try await db.execute("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", now, actor.userId)
            }
        }
    }

    /// Opens one of the actor's notifications: marks it read and says what it is about.
    public func openNotification(_ id: ID<UserNotification>) async throws -> NotificationSubject {
        let actor = self.actor, now = now()
        return try await database.write { db in
            guard
                let row = try await db.first("SELECT subject_type, subject_id FROM notifications WHERE id = ? AND user_id = ?", id, actor.userId),
                let type = NotificationSubject.Kind(rawValue: row.string("subject_type"))
            else {
                throw ThawError.notFound("notification \(id)")
            }
            try await db.execute("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", now, id)
            return NotificationSubject(type, row.string("subject_id"))
        }
    }

    /// The actor's email preference for each kind (its default where none is set).
    public func notificationPreferences() async throws -> [NotificationKind: EmailMode] {
        let userId = actor.userId
        return try await database.read { db in try await ThawStore.preferences(db, userId) }
    }

    public func setNotificationPreference(_ kind: NotificationKind, _ mode: EmailMode) async throws {
        let userId = actor.userId
        try await database.write { db in try await ThawStore.setPreference(db, userId, kind, mode) }
    }
}

extension ThawStore {
    /// How many of a person's notifications are unread (the navigation's count).
    public func unreadNotifications(_ userId: ID<User>) async throws -> Int {
        try await database.read { db in
            try await db.first("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", userId)?.int("n") ?? 0
        }
    }

    static func preferences(_ db: any SQLConnection, _ userId: ID<User>) async throws -> [NotificationKind: EmailMode] {
        var preferences = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0, $0.defaultMode) })
        for row in try await db.query("SELECT kind, mode FROM notification_preferences WHERE user_id = ?", userId) {
            if let kind = NotificationKind(rawValue: row.string("kind")), let mode = EmailMode(rawValue: row.string("mode")) {
                preferences[kind] = mode
            }
        }
        return preferences
    }

    /// Sets a preference; what is already queued for email follows it (turned off: dropped from the queue).
    static func setPreference(_ db: any SQLConnection, _ userId: ID<User>, _ kind: NotificationKind, _ mode: EmailMode) async throws {
        try await db.execute(
            """
            INSERT INTO notification_preferences (user_id, kind, mode) VALUES (?, ?, ?)
            ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode
            """, userId, kind.rawValue, mode.rawValue)
        if mode == .off {
            try await db.execute(
                "UPDATE notifications SET email_due_at = NULL WHERE user_id = ? AND kind = ? AND emailed_at IS NULL", userId, kind.rawValue)
        }
    }

    // MARK: the one-click links in emails

    /// How long an email's link to its preferences works.
    static let emailLinkSeconds: Int64 = 90 * 86_400

    /// The person an email's preferences link belongs to, while it works.
    public func emailLinkUser(_ token: String) async throws -> User {
        let now = clock.now()
        guard
            let row = try await database.read({ db in
                try await db.first(
                    """
                    SELECT \(User.columns) FROM users WHERE active = 1 AND id = (
                        SELECT user_id FROM email_links WHERE token_digest = ? AND created_at > ?)
                    """, SecretDigest.hex(token), now.adding(seconds: -Self.emailLinkSeconds))
            })
        else { throw ThawError.notFound("this link has expired; sign in to change what Thaw emails you") }
        return User(row: row)
    }

    public func emailLinkPreferences(_ token: String) async throws -> (User, [NotificationKind: EmailMode]) {
        let user = try await emailLinkUser(token)
        return (user, try await database.read { db in try await Self.preferences(db, user.id) })
    }

    public func setEmailLinkPreference(_ token: String, _ kind: NotificationKind?, _ mode: EmailMode) async throws {
        let user = try await emailLinkUser(token)
        try await database.write { db in
            for each in kind.map({ [$0] }) ?? NotificationKind.allCases { try await Self.setPreference(db, user.id, each, mode) }
        }
    }
}
