extension Schema {
    /// Tasks for the client: what the navigator asks the client to do themselves.
    static let v43ClientTasks = Migration(
        version: 43, name: "tasks for the client",
        sql: [
            """
            CREATE TABLE client_tasks (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id), organization_id TEXT NOT NULL,
                referral_id TEXT REFERENCES referrals(id), kind TEXT NOT NULL, description TEXT NOT NULL, due_on TEXT,
                status TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, closed_at BIGINT)
            """,
            "CREATE INDEX client_tasks_by_client ON client_tasks (client_id, created_at)"
        ])
}
