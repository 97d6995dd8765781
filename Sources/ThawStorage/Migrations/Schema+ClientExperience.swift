extension Schema {
    /// The client's own view of a closed referral, one per referral.
    static let v38ClientExperience = Migration(
        version: 38, name: "client experience",
        sql: [
            """
            CREATE TABLE client_experiences (
                referral_id TEXT PRIMARY KEY REFERENCES referrals(id), client_id TEXT NOT NULL, organization_id TEXT NOT NULL,
                easy TEXT NOT NULL, need_met TEXT NOT NULL, would_use_again TEXT NOT NULL, comment TEXT,
                recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL)
            """
        ])
}
