extension Schema {
    /// People placed with another organisation for a time, and which organisation a browser
    /// session is working for.
    static let v40Placements = Migration(
        version: 40, name: "placements",
        sql: [
            """
            CREATE TABLE placements (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                home_organization_id TEXT NOT NULL, roles TEXT NOT NULL, from_on TEXT NOT NULL, until_on TEXT,
                recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL, ended_at BIGINT)
            """,
            "CREATE INDEX placements_by_user ON placements (user_id)",
            "CREATE INDEX placements_by_organization ON placements (organization_id)",
            "ALTER TABLE sessions ADD COLUMN acting_organization_id TEXT"
        ])
}
