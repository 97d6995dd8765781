extension Schema {
    /// The transactional outbox: each event someone or something must hear about, written in
    /// the transaction of the change that causes it; the deliveries it fans out to, each retried
    /// until delivered or dead; and the FHIR subscriptions that are one kind of recipient.
    static let v16Outbox = Migration(
        version: 16, name: "outbox, deliveries and subscriptions",
        sql: [
            """
            CREATE TABLE outbox_events (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,
                actor_organization_id TEXT NOT NULL, counterpart_organization_id TEXT, actor_user_id TEXT,
                detail TEXT, created_at BIGINT NOT NULL, fanned_out INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX outbox_events_pending ON outbox_events (created_at) WHERE fanned_out = 0",
            """
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, user_id TEXT NOT NULL, topic TEXT NOT NULL,
                criteria TEXT, endpoint TEXT NOT NULL, headers TEXT, heartbeat_seconds INTEGER,
                status TEXT NOT NULL, error TEXT, events_since_start BIGINT NOT NULL DEFAULT 0,
                handshake_attempts INTEGER NOT NULL DEFAULT 0, last_sent_at BIGINT,
                created_at BIGINT NOT NULL, end_at BIGINT)
            """,
            "CREATE INDEX subscriptions_by_organization ON subscriptions (organization_id, status)",
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES outbox_events(id),
                subscription_id TEXT NOT NULL REFERENCES subscriptions(id), event_number BIGINT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,
                delivered_at BIGINT, dead_at BIGINT, last_error TEXT, created_at BIGINT NOT NULL,
                UNIQUE (event_id, subscription_id))
            """,
            "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL",
            "CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, created_at)"
        ])
}
