/// A system registered by its organisation's administrator to call `/fhir` on its own (SMART
/// Backend Services): it proves itself with a JWT signed by a key in `jwks` and acts as `userId`,
/// within `scopes`.
public struct SMARTClient: Codable, Sendable, Equatable {
    /// Access tokens issued to systems start so, which tells them from people's API tokens.
    public static let tokenPrefix = "smart_"

    public var id: ID<SMARTClient>
    public var organizationId: ID<Organization>
    public var userId: ID<User>
    public var name: String
    /// The public keys, as a JSON Web Key Set.
    public var jwks: String
    public var scopes: String
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?

    public init(
        id: ID<SMARTClient>, organizationId: ID<Organization>, userId: ID<User>, name: String, jwks: String, scopes: String,
        createdAt: Timestamp, revokedAt: Timestamp?
    ) {
        self.id = id; self.organizationId = organizationId; self.userId = userId; self.name = name; self.jwks = jwks
        self.scopes = scopes; self.createdAt = createdAt; self.revokedAt = revokedAt
    }
}

public struct NewSMARTClient: Codable, Sendable {
    public var name: String
    /// The user of the administrator's organisation the system acts as (its roles bound what it may do).
    public var userId: ID<User>
    public var jwks: String
    public var scopes: String

    public init(name: String, userId: ID<User>, jwks: String, scopes: String) {
        self.name = name; self.userId = userId; self.jwks = jwks; self.scopes = scopes
    }

    public func validate() throws {
        var v = Validator()
        v.requireText(name, "name", maxLength: 200)
        v.require(jwks.utf8.count <= 20_000, "jwks", "max-length", "the key set may be at most 20,000 bytes")
        v.require(!scopes.isEmpty && scopes.count <= 1_000, "scopes", "length", "name the scopes the system may hold (system/Task.rs …)")
        try v.check()
        do {
            _ = try AccessScopes(parsing: scopes)
        } catch ThawError.invalid(let violations) {
            throw ThawError.invalid(violations.map { Violation(field: "scopes", rule: $0.rule, message: $0.message) })
        }
    }
}
