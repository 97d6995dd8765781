import Foundation
import JWTKit
import ThawCore

/// The signed JWT a system authenticates with (SMART Backend Services, RFC 7523): issued by and
/// about its client id, for Thaw's token endpoint, expiring within five minutes, with an id used once.
struct ClientAssertion: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var jti: IDClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The algorithms SMART asks servers to accept.
    static let algorithms: Set<String> = ["RS384", "ES384"]

    /// The JOSE header, read before anything is trusted: only SMART's algorithms, and a key id.
    static func header(of token: String) throws -> (alg: String, kid: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URL: String(parts[0])),
            let header = try? JSONDecoder().decode([String: String?].self, from: data)
        else { throw SMARTError.invalidClient("the client_assertion is not a JWT") }
        guard let alg = header["alg"] ?? nil, algorithms.contains(alg) else {
            throw SMARTError.invalidClient("the assertion is signed with RS384 or ES384")
        }
        guard let kid = header["kid"] ?? nil, !kid.isEmpty else { throw SMARTError.invalidClient("the assertion's header names its key (kid)") }
        return (alg, kid)
    }
}

/// A JSON Web Key Set a system registers: public keys only, each with its id and a SMART algorithm.
enum RegisteredKeys {
    struct KeySet: Decodable { var keys: [Key] }
    struct Key: Decodable {
        var kty: String
        var kid: String?
        var alg: String?
        var d: String?
    }

    /// Refuses a key set Thaw could not verify assertions with, or one holding a private key.
    static func check(_ jwks: String) async throws {
        guard let set = try? JSONDecoder().decode(KeySet.self, from: Data(jwks.utf8)), !set.keys.isEmpty else {
            throw ThawError.invalid("jwks", "jwks", "the key set is a JSON Web Key Set: {\"keys\": [ … ]}")
        }
        for (index, key) in set.keys.enumerated() {
            var v = Validator()
            v.require(key.d == nil, "jwks.keys[\(index)]", "public-only", "register the public key only; keep the private key with the system")
            v.require(key.kid.map { !$0.isEmpty } ?? false, "jwks.keys[\(index)].kid", "required", "each key has a kid")
            v.require(
                key.alg.map(ClientAssertion.algorithms.contains) ?? false, "jwks.keys[\(index)].alg", "smart-algorithm",
                "each key names its algorithm, RS384 or ES384")
            try v.check()
        }
        do {
            _ = try await JWTKeyCollection().add(jwksJSON: jwks)
        } catch {
            throw ThawError.invalid("jwks", "usable", "the key set could not be read as keys: \(error)")
        }
    }
}

/// The token endpoint's refusals, in OAuth's words (RFC 6749 §5.2).
enum SMARTError: Error {
    case invalidRequest(String), invalidClient(String), invalidGrant(String), invalidScope(String), unsupportedGrantType(String)

    var code: String {
        switch self {
        case .invalidRequest: "invalid_request"
        case .invalidClient: "invalid_client"
        case .invalidGrant: "invalid_grant"
        case .invalidScope: "invalid_scope"
        case .unsupportedGrantType: "unsupported_grant_type"
        }
    }

    var description: String {
        switch self {
        case .invalidRequest(let m), .invalidClient(let m), .invalidGrant(let m), .invalidScope(let m), .unsupportedGrantType(let m): m
        }
    }
}

extension Data {
    /// Base64url without padding (RFC 7515), as JWTs are written.
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
