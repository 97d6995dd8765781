import ThawCore

extension SMARTClient {
    static let columns = "id, organization_id, user_id, name, jwks, scopes, created_at, revoked_at"

    init(row: SQLRow) {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), userId: row.id("user_id"), name: row.string("name"),
            jwks: row.string("jwks"), scopes: row.string("scopes"), createdAt: row.timestamp("created_at"),
            revokedAt: row.optionalTimestamp("revoked_at"))
    }
}

extension ScopedStore {
    /// Registers a system for the administrator's organisation, acting as one of its users.
    /// The key set is checked by the caller (it must hold keys a token can be verified with).
    public func registerSMARTClient(_ input: NewSMARTClient) async throws -> SMARTClient {
        try AccessPolicy.require(actor, anyOf: [.administrator], to: "registering a system")
        try input.validate()
        let actor = self.actor, now = now()
        let client = SMARTClient(
            id: IDGenerator.make("sys"), organizationId: actor.organizationId, userId: input.userId, name: input.name.trimmingWhitespace,
            jwks: input.jwks, scopes: try AccessScopes(parsing: input.scopes).text, createdAt: now, revokedAt: nil)
        try await database.write { db in
            guard
                let user = try await db.first(
                    "SELECT \(User.columns) FROM users WHERE id = ? AND organization_id = ?", input.userId, actor.organizationId
                )
                .map(User.init(row:)), user.active
            else {
                throw ThawError.unprocessable("userId", "own-user", "the system acts as an active user of your organisation")
            }
            try await db.execute(
                "INSERT INTO smart_clients (\(SMARTClient.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)", client.id, client.organizationId,
                client.userId, client.name, client.jwks, client.scopes, now)
            try await db.append(
                LedgerRecord(
                    kind: "system.registered", subjectType: "smart-client", subjectId: client.id.raw, counterpart: nil, channel: .system,
                    detail: ["scopes": client.scopes]), by: actor, at: now)
        }
        return client
    }

    public func smartClients() async throws -> [SMARTClient] {
        try AccessPolicy.require(actor, anyOf: [.administrator], to: "seeing registered systems")
        let organization = actor.organizationId
        return try await database.read { db in
            try await db.query("SELECT \(SMARTClient.columns) FROM smart_clients WHERE organization_id = ? ORDER BY created_at DESC", organization)
                .map(SMARTClient.init(row:))
        }
    }

    /// Revokes a system: its tokens stop working on their next request.
    public func revokeSMARTClient(_ id: ID<SMARTClient>) async throws {
        try AccessPolicy.require(actor, anyOf: [.administrator], to: "revoking a system")
        let actor = self.actor, now = now()
        try await database.write { db in
            let changed = try await db.execute(
                "UPDATE smart_clients SET revoked_at = ? WHERE id = ? AND organization_id = ? AND revoked_at IS NULL", now, id, actor.organizationId)
            guard changed == 1 else { throw ThawError.notFound("system \(id)") }
            try await db.execute("DELETE FROM smart_tokens WHERE client_id = ?", id)
            try await db.append(
                LedgerRecord(kind: "system.revoked", subjectType: "smart-client", subjectId: id.raw, counterpart: nil, channel: .system),
                by: actor, at: now)
        }
    }
}

extension ThawStore {
    /// A registered system that is not revoked, for its token request.
    public func activeSMARTClient(_ id: String) async throws -> SMARTClient? {
        guard id.count <= 100 else { return nil }
        return try await database.read { db in
            try await db.first("SELECT \(SMARTClient.columns) FROM smart_clients WHERE id = ? AND revoked_at IS NULL", id).map(SMARTClient.init(row:))
        }
    }

    /// Issues an access token for a system whose assertion was verified: the assertion's id is
    /// recorded until it expires, so the same assertion cannot be used twice.
    public func issueSMARTToken(_ client: SMARTClient, scopes: AccessScopes, assertionId: String, assertionExpires: Timestamp, lifetimeSeconds: Int64)
        async throws -> String
    {
        let now = clock.now(), token = SecretDigest.newSecret(prefix: SMARTClient.tokenPrefix)
        try await database.write { db in
            try await db.execute("DELETE FROM smart_assertions WHERE expires_at < ?", now)
            try await db.execute("DELETE FROM smart_tokens WHERE expires_at < ?", now)
            if try await db.first("SELECT jti FROM smart_assertions WHERE client_id = ? AND jti = ?", client.id, assertionId) != nil {
                throw ThawError.unauthenticated("this assertion was already used; sign a new one for each token")
            }
            try await db.execute(
                "INSERT INTO smart_assertions (client_id, jti, expires_at) VALUES (?, ?, ?)", client.id, assertionId, assertionExpires)
            try await db.execute(
                "INSERT INTO smart_tokens (token_digest, client_id, scopes, expires_at) VALUES (?, ?, ?, ?)", SecretDigest.hex(token), client.id,
                scopes.text, now.adding(seconds: lifetimeSeconds))
        }
        return token
    }

    /// The principal behind a system's access token: its user, within the token's scopes.
    func smartPrincipal(_ token: String) async throws -> Principal? {
        let digest = SecretDigest.hex(token), now = clock.now()
        return try await database.read { db in
            guard
                let row = try await db.first(
                    """
                    SELECT u.id, u.organization_id, u.email, u.display_name, u.roles, u.active, u.created_at, u.language,
                           o.id AS org_id, o.name AS org_name, o.sector, o.alignment, o.parent_id, o.area,
                           o.created_at AS org_created_at, o.time_zone AS org_time_zone, g.from_on, g.until_on, t.scopes AS token_scopes
                    FROM smart_tokens t JOIN smart_clients c ON c.id = t.client_id JOIN users u ON u.id = c.user_id
                    JOIN organizations o ON o.id = u.organization_id
                    LEFT JOIN evaluator_grants g ON g.user_id = u.id
                    WHERE t.token_digest = ? AND t.expires_at > ? AND c.revoked_at IS NULL AND u.active = 1
                    """, digest, now)
            else { return nil }
            var principal = Self.principal(from: row, at: now)
            principal.scopes = (try? AccessScopes(parsing: row.string("token_scopes"))) ?? AccessScopes()
            return principal
        }
    }
}
