extension Schema {
    /// When each scheduled job (the deadline sweep, following partners' tasks) is next due,
    /// shared by every server process: the one that claims a run does it, the others skip it.
    static let v29ScheduledJobs = Migration(
        version: 29, name: "scheduled jobs",
        sql: [
            """
            CREATE TABLE scheduled_jobs (
                name TEXT PRIMARY KEY, next_run_at BIGINT NOT NULL, last_holder TEXT, last_started_at BIGINT)
            """
        ])
}
