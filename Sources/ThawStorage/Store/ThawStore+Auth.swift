import Crypto
import ThawCore

/// What sign-in needs to know about an account.
public struct Credential: Sendable {
    public let user: User
    public let passwordHash: String?
}

/// The authenticated principal behind a session or token.
public struct Principal: Sendable {
    public let user: User
    public let organization: Organization
    /// For a system's SMART token: what it may do (within what its user may). nil: a person's
    /// session or API token, limited by their roles alone.
    public var scopes: AccessScopes?
    /// Where the user is employed, when acting for an organisation they are placed with.
    public var homeOrganizationId: ID<Organization>?
    public init(user: User, organization: Organization, scopes: AccessScopes? = nil, homeOrganizationId: ID<Organization>? = nil) {
        self.user = user; self.organization = organization; self.scopes = scopes; self.homeOrganizationId = homeOrganizationId
    }
    public var actor: Actor {
        Actor(
            userId: user.id, organizationId: organization.id, sector: organization.sector, roles: user.roles,
            timeZone: organization.timeZone, homeOrganizationId: homeOrganizationId)
    }
}

public struct APIToken: Codable, Sendable {
    public var id: ID<APIToken>
    public var userId: ID<User>
    public var name: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp?
    public var revokedAt: Timestamp?
    public var lastUsedAt: Timestamp?
}

/// Secrets (session ids, API tokens) are stored only as SHA-256 digests, so a
/// copy of the database does not let anyone sign in.
public enum SecretDigest {
    /// Lower-case hex of the SHA-256 digest. Every API request computes one, so it is
    /// written byte by byte rather than through a String per byte.
    public static func hex(_ secret: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(secret.utf8)) {
            text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// 256 random bits as URL-safe text, with a prefix naming what it is.
    public static func newSecret(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<4).map { _ in generator.next() as UInt64 }
        return prefix
            + words.map { w in
                let s = String(w, radix: 16); return String(repeating: "0", count: 16 - s.count) + s
            }.joined()
    }
}

extension ThawStore {
    public func credential(email: String) async throws -> Credential? {
        try await database.read { db in
            guard
                let row = try await db.first(
                    """
                    SELECT \(User.columns), password_hash FROM users WHERE email = ?
                    """, email.lowercased().trimmingWhitespace)
            else { return nil }
            return Credential(user: User(row: row), passwordHash: row.optionalString("password_hash"))
        }
    }

    /// Opens a session; returns the session secret (for the cookie) and its CSRF token.
    public func startSession(user: ID<User>, lifetimeSeconds: Int64) async throws -> (secret: String, csrf: String) {
        let now = clock.now()
        let secret = SecretDigest.newSecret(prefix: "ses_")
        let csrf = SecretDigest.newSecret(prefix: "")
        try await database.write { db in
            try await db.execute("DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", user, now)
            try await db.execute(
                """
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, SecretDigest.hex(secret), user, csrf, now, now.adding(seconds: lifetimeSeconds))
        }
        return (secret, csrf)
    }

    public func endSession(secret: String) async throws {
        let digest = SecretDigest.hex(secret)
        try await database.write { db in
            try await db.execute("DELETE FROM sessions WHERE token_hash = ?", digest)
        }
        changes.publish(.accessEnded(sessionDigest: digest, user: nil))
    }

    /// The principal behind a live session, and the session's CSRF token.
    /// The session's principal: its user, working for their own organisation or, where the session
    /// chose one, for an organisation they are placed with today (a placement that ended falls back
    /// to their own).
    public func principal(sessionSecret: String) async throws -> (Principal, csrf: String)? {
        let now = clock.now()
        let found = try await database.read { db -> (Principal, String, String?)? in
            guard
                let row = try await db.first(
                    """
                    SELECT u.id, u.organization_id, u.email, u.display_name, u.roles, u.active, u.created_at, u.language,
                           s.csrf_token, s.acting_organization_id, o.id AS org_id, o.name AS org_name, o.sector, o.alignment, o.parent_id, o.area,
                           o.created_at AS org_created_at, o.time_zone AS org_time_zone, g.from_on, g.until_on
                    FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id
                    LEFT JOIN evaluator_grants g ON g.user_id = u.id
                    WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1
                    """, SecretDigest.hex(sessionSecret), now)
            else { return nil }
            return (Self.principal(from: row, at: now), row.string("csrf_token"), row.optionalString("acting_organization_id"))
        }
        guard let (principal, csrf, acting) = found else { return nil }
        if let acting, let placed = try await placedPrincipal(principal, in: ID(acting)) { return (placed, csrf) }
        return (principal, csrf)
    }

    /// The principal behind a live bearer token whose user is active.
    public func principal(bearerToken: String) async throws -> Principal? {
        if bearerToken.hasPrefix(SMARTClient.tokenPrefix) { return try await smartPrincipal(bearerToken) }
        let digest = SecretDigest.hex(bearerToken), now = clock.now()
        return try await database.read { db in
            try await db.first(Self.principalByTokenSQL, digest, now).map { Self.principal(from: $0, at: now) }
        }
    }

    static let principalByTokenSQL = """
        SELECT u.id, u.organization_id, u.email, u.display_name, u.roles, u.active, u.created_at, u.language,
               o.id AS org_id, o.name AS org_name, o.sector, o.alignment, o.parent_id, o.area,
               o.created_at AS org_created_at, o.time_zone AS org_time_zone, g.from_on, g.until_on
        FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organizations o ON o.id = u.organization_id
        LEFT JOIN evaluator_grants g ON g.user_id = u.id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)
          AND u.active = 1
        """

    /// The principal of a row of `users` joined with its organisation and evaluator grant. The
    /// evaluator role counts only on the days of its period.
    static func principal(from row: SQLRow, at now: Timestamp) -> Principal {
        let org = Organization(
            id: row.id("org_id"), name: row.string("org_name"), sector: row.enumValue("sector"),
            alignment: row.optionalEnum("alignment"), parentId: row.optionalId("parent_id"),
            area: row.optionalString("area"), timeZone: row.optionalString("org_time_zone"),
            createdAt: row.timestamp("org_created_at"))
        var user = User(row: row)
        if user.roles.contains(.evaluator), !(period(from: row)?.contains(CalendarDate(now)) ?? false) { user.roles.remove(.evaluator) }
        return Principal(user: user, organization: org)
    }

    /// Creates an API token for a user; the secret is returned once and never stored.
    public func createToken(user: ID<User>, name: String, expiresAt: Timestamp?, by actor: Actor?) async throws -> (APIToken, secret: String) {
        var v = Validator()
        v.requireText(name, "name", maxLength: 100)
        let now = clock.now()
        if let expiresAt { v.require(expiresAt > now, "expiresAt", "not-in-past", "expiresAt must be in the future") }
        try v.check()
        let secret = SecretDigest.newSecret(prefix: "thaw_")
        let token = APIToken(
            id: IDGenerator.make("tok"), userId: user, name: name.trimmingWhitespace,
            createdAt: now, expiresAt: expiresAt)
        try await database.write { db in
            guard let owner = try await db.first("SELECT organization_id FROM users WHERE id = ?", user) else {
                throw ThawError.notFound("user \(user)")
            }
            let organization: ID<Organization> = owner.id("organization_id")
            if let actor, actor.userId != user, !(actor.has(.administrator) && actor.organizationId == organization) {
                throw ThawError.notFound("user \(user)")
            }
            try await db.execute(
                """
                INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, token.id, user, token.name, SecretDigest.hex(secret), now, expiresAt)
            try await db.append(
                LedgerRecord(
                    kind: "token.created", subjectType: "api-token", subjectId: token.id.raw,
                    counterpart: nil, channel: .system, detail: ["user": user.raw]),
                actorUser: actor?.userId, actorOrganization: actor?.organizationId ?? organization, at: now)
        }
        return (token, secret)
    }

    public func tokens(user: ID<User>) async throws -> [APIToken] {
        try await database.read { db in
            try await db.query(
                """
                SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens
                WHERE user_id = ? ORDER BY created_at DESC, id
                """, user
            ).map { row in
                APIToken(
                    id: row.id("id"), userId: row.id("user_id"), name: row.string("name"),
                    createdAt: row.timestamp("created_at"), expiresAt: row.optionalTimestamp("expires_at"),
                    revokedAt: row.optionalTimestamp("revoked_at"), lastUsedAt: row.optionalTimestamp("last_used_at"))
            }
        }
    }

    /// Revokes a token. The actor must own it or administer its owner's organisation.
    public func revokeToken(_ id: ID<APIToken>, by actor: Actor?) async throws {
        let now = clock.now()
        try await database.write { db in
            guard
                let row = try await db.first(
                    """
                    SELECT t.user_id, u.organization_id, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?
                    """, id)
            else { throw ThawError.notFound("token \(id)") }
            let owner: ID<User> = row.id("user_id")
            let organization: ID<Organization> = row.id("organization_id")
            if let actor, actor.userId != owner, !(actor.has(.administrator) && actor.organizationId == organization) {
                throw ThawError.notFound("token \(id)")
            }
            guard row.optionalInt64("revoked_at") == nil else { return }
            try await db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", now, id)
            try await db.append(
                LedgerRecord(
                    kind: "token.revoked", subjectType: "api-token", subjectId: id.raw,
                    counterpart: nil, channel: .system),
                actorUser: actor?.userId, actorOrganization: actor?.organizationId ?? organization, at: now)
        }
    }
}
