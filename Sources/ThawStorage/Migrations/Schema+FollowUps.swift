extension Schema {
    /// The navigator's follow-up log, and needs that close: met, declined by the client, or no
    /// longer applicable, each with the day and who closed it. Needs marked `resolved` before
    /// there were reasons are read as met.
    static let v36FollowUpsAndClosingNeeds = Migration(
        version: 36, name: "follow-up log and closing needs",
        sql: [
            """
            CREATE TABLE follow_ups (
                id TEXT PRIMARY KEY, referral_id TEXT NOT NULL REFERENCES referrals(id), client_id TEXT NOT NULL,
                organization_id TEXT NOT NULL, user_id TEXT NOT NULL, happened_at BIGINT NOT NULL, method TEXT NOT NULL,
                party TEXT NOT NULL, result TEXT NOT NULL, note TEXT, next_due BIGINT, recorded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX follow_ups_by_referral ON follow_ups (referral_id, happened_at)",
            "ALTER TABLE needs ADD COLUMN closed_on TEXT",
            "ALTER TABLE needs ADD COLUMN closed_by TEXT",
            "ALTER TABLE needs ADD COLUMN closed_by_organization_id TEXT",
            "ALTER TABLE needs ADD COLUMN closing_referral_id TEXT",
            "UPDATE needs SET status = 'met' WHERE status = 'resolved'",
            "CREATE INDEX needs_open_by_organization ON needs (organization_id, status)"
        ])
}
