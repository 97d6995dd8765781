extension Schema {
    /// People's notifications: the list in the web app, and the email queue (each row due to be
    /// emailed at once, at the next digest, or never, by the person's preference for its kind);
    /// the preferences; and the one-click links in emails that change them without signing in
    /// (stored as digests, like every secret).
    static let v17Notifications = Migration(
        version: 17, name: "notifications and email preferences",
        sql: [
            """
            CREATE TABLE notifications (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), event_id TEXT NOT NULL, kind TEXT NOT NULL,
                referral_id TEXT NOT NULL, summary TEXT NOT NULL, created_at BIGINT NOT NULL, read_at BIGINT,
                email_due_at BIGINT, emailed_at BIGINT, email_attempts INTEGER NOT NULL DEFAULT 0, email_error TEXT,
                email_dead_at BIGINT,
                UNIQUE (event_id, user_id))
            """,
            "CREATE INDEX notifications_by_user ON notifications (user_id, created_at)",
            """
            CREATE INDEX notifications_email_due ON notifications (email_due_at)
            WHERE email_due_at IS NOT NULL AND emailed_at IS NULL AND email_dead_at IS NULL
            """,
            """
            CREATE TABLE notification_preferences (
                user_id TEXT NOT NULL REFERENCES users(id), kind TEXT NOT NULL, mode TEXT NOT NULL, PRIMARY KEY (user_id, kind))
            """,
            """
            CREATE TABLE email_links (
                token_digest TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL)
            """
        ])
}
