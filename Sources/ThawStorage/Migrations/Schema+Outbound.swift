extension Schema {
    /// Referring to a partner that runs its own system: the partner organisation's FHIR endpoint
    /// and how Thaw signs in there; each referral sent there, with the remote Task it became and
    /// its retries; and the key Thaw signs its SMART assertions with (its public half is served as a JWKS).
    static let v20Outbound = Migration(
        version: 20, name: "partner endpoints and outbound referrals",
        sql: [
            """
            CREATE TABLE partner_endpoints (
                organization_id TEXT PRIMARY KEY REFERENCES organizations(id), fhir_base TEXT NOT NULL, client_id TEXT NOT NULL,
                remote_organization_id TEXT NOT NULL, scopes TEXT NOT NULL, mirror_user_id TEXT NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE outbound_referrals (
                referral_id TEXT PRIMARY KEY REFERENCES referrals(id), organization_id TEXT NOT NULL, state TEXT NOT NULL,
                remote_task TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX outbound_referrals_due ON outbound_referrals (state, next_attempt_at)",
            "CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, private_pem TEXT NOT NULL, created_at BIGINT NOT NULL)"
        ])
}
