import AsyncHTTPClient
import Foundation
import Hummingbird
import JWTKit
import NIOCore
import ThawCore
import ThawStorage

/// Thaw as a SMART Backend Services client of a partner's system: it signs an assertion with its
/// own key (ES384; the public half is served at `/fhir/.well-known/jwks.json` for the partner to
/// register) and keeps each access token until shortly before it expires.
actor SMARTTokenSource {
    let store: ThawStore
    let client: HTTPClient
    private var tokens: [String: (token: String, expires: ContinuousClock.Instant)] = [:]

    init(store: ThawStore, client: HTTPClient = .shared) {
        self.store = store
        self.client = client
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func token(for endpoint: PartnerEndpoint) async throws -> String {
        let key = endpoint.fhirBase + "|" + endpoint.clientId
        if let held = tokens[key], held.expires > .now { return held.token }
        let configuration = try await json(
            try await client.execute(HTTPClientRequest(url: endpoint.fhirBase + "/.well-known/smart-configuration"), timeout: .seconds(10)))
        guard let tokenEndpoint = configuration["token_endpoint"] as? String else {
            throw Failure(description: "the partner's system names no token endpoint")
        }
        let (kid, pem) = try await store.signingKey()
        let keys = try await JWTKeyCollection().add(ecdsa: ES384PrivateKey(pem: pem), kid: JWKIdentifier(string: kid))
        let assertion = try await keys.sign(
            ClientAssertion(
                iss: IssuerClaim(value: endpoint.clientId), sub: SubjectClaim(value: endpoint.clientId), aud: AudienceClaim(value: [tokenEndpoint]),
                exp: ExpirationClaim(value: Date().addingTimeInterval(240)), jti: IDClaim(value: UUID().uuidString)),
            kid: JWKIdentifier(string: kid))
        var form = URLComponents()
        form.queryItems = [
            URLQueryItem(name: "grant_type", value: "client_credentials"), URLQueryItem(name: "scope", value: endpoint.scopes),
            URLQueryItem(name: "client_assertion_type", value: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            URLQueryItem(name: "client_assertion", value: assertion)
        ]
        var request = HTTPClientRequest(url: tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")))
        let answer = try await client.execute(request, timeout: .seconds(10))
        let body = try await json(answer)
        guard answer.status.code == 200, let token = body["access_token"] as? String else {
            throw Failure(
                description: "the partner's token endpoint refused: \(body["error_description"] as? String ?? "status \(answer.status.code)")")
        }
        let lifetime = (body["expires_in"] as? Int) ?? 300
        tokens[key] = (token, .now + .seconds(max(10, lifetime - 30)))
        return token
    }

    /// Forgets a token the partner no longer takes.
    func forget(_ endpoint: PartnerEndpoint) { tokens[endpoint.fhirBase + "|" + endpoint.clientId] = nil }

    private func json(_ response: HTTPClientResponse) async throws -> [String: Any] {
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
    }
}

/// `/fhir/.well-known/jwks.json`: the public half of the key Thaw signs its assertions with.
struct PublicKeySet: ResponseEncodable {
    struct Key: Codable, Sendable {
        var kty = "EC"; var crv = "P-384"; var kid: String; var x: String; var y: String; var alg = "ES384"; var use = "sig"
    }
    var keys: [Key]

    static func of(_ store: ThawStore) async throws -> PublicKeySet {
        let (kid, pem) = try await store.signingKey()
        guard let parameters = try ES384PrivateKey(pem: pem).publicKey.parameters else { return PublicKeySet(keys: []) }
        return PublicKeySet(keys: [Key(kid: kid, x: parameters.x, y: parameters.y)])
    }
}
