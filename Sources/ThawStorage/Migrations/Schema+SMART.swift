extension Schema {
    /// SMART Backend Services: the systems an organisation's administrator registered (their
    /// public keys, the user they act as, the scopes they may hold); the assertions already
    /// used (a signed assertion is good once); and the short-lived access tokens issued, as digests.
    static let v18SMART = Migration(
        version: 18, name: "SMART backend services",
        sql: [
            """
            CREATE TABLE smart_clients (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
                user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL, jwks TEXT NOT NULL, scopes TEXT NOT NULL,
                created_at BIGINT NOT NULL, revoked_at BIGINT)
            """,
            "CREATE INDEX smart_clients_by_organization ON smart_clients (organization_id)",
            """
            CREATE TABLE smart_assertions (
                client_id TEXT NOT NULL, jti TEXT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (client_id, jti))
            """,
            """
            CREATE TABLE smart_tokens (
                token_digest TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES smart_clients(id), scopes TEXT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX smart_tokens_by_expiry ON smart_tokens (expires_at)"
        ])
}
