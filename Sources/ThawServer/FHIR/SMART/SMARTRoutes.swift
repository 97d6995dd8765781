import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import NIOCore
import ThawCore
import ThawStorage

/// SMART Backend Services: a system registered by its organisation's administrator gets a
/// five-minute access token for `/fhir` by signing a JWT with its key (client-credentials
/// grant, `private_key_jwt`); the token acts as the registered user, within the scopes granted.
struct SMARTRoutes {
    let store: ThawStore
    let configuration: ServerConfiguration
    static let tokenLifetimeSeconds: Int64 = 300
    static let tokenPath = "/fhir/auth/token"

    func register(on router: Router<ThawRequestContext>, fhir: RouterGroup<ThawRequestContext>) {
        fhir.get(".well-known/smart-configuration") { request, _ in
            SMARTConfiguration(tokenEndpoint: FHIRRoutes(store: store, configuration: configuration).base(request) + "/auth/token")
        }
        fhir.get(".well-known/jwks.json") { _, _ in try await PublicKeySet.of(store) }
        // Outside the FHIR group: the token endpoint answers in OAuth's words, not OperationOutcomes.
        router.post(RouterPath(stringLiteral: Self.tokenPath), use: token)
    }

    @Sendable func token(_ request: Request, context: ThawRequestContext) async throws -> Response {
        do {
            let answer = try await issue(request)
            return try Self.json(answer, status: .ok)
        } catch let error as SMARTError {
            return try Self.json(
                ["error": error.code, "error_description": error.description], status: error.code == "invalid_client" ? .unauthorized : .badRequest)
        } catch let error as ThawError {
            return try Self.json(["error": "invalid_client", "error_description": error.explanation], status: .unauthorized)
        }
    }

    private func issue(_ request: Request) async throws -> TokenAnswer {
        let buffer = try await JSONBody.collect(request, limit: 64 * 1024)
        let form = WebForm(urlEncoded: String(buffer: buffer))
        guard form["grant_type"] == "client_credentials" else {
            throw SMARTError.unsupportedGrantType("Thaw grants client_credentials to systems")
        }
        guard form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", let assertion = form["client_assertion"]
        else {
            throw SMARTError.invalidClient("authenticate with a signed JWT: client_assertion_type jwt-bearer and client_assertion")
        }
        guard let requested = form["scope"] else { throw SMARTError.invalidScope("ask for scopes, e.g. system/Task.rs") }
        let (alg, kid) = try ClientAssertion.header(of: assertion)
        let keys = JWTKeyCollection()
        let unverified = try? await keys.unverified(assertion, as: ClientAssertion.self)
        guard let unverified, let client = try await store.activeSMARTClient(unverified.iss.value) else {
            throw SMARTError.invalidClient("the assertion's issuer is not a registered system")
        }
        let verified: ClientAssertion
        do {
            _ = try await keys.add(jwksJSON: client.jwks)
            let key = try await keys.getKey(for: JWKIdentifier(string: kid), alg: alg)
            guard key.name == alg else { throw SMARTError.invalidClient("the key \(kid) is not for \(alg)") }
            verified = try await keys.verify(assertion, as: ClientAssertion.self)
        } catch let error as SMARTError {
            throw error
        } catch {
            throw SMARTError.invalidClient("the assertion's signature, key or expiry did not check out")
        }
        let now = store.clock.now()
        guard verified.sub.value == client.id.raw, verified.iss.value == client.id.raw else {
            throw SMARTError.invalidClient("iss and sub are the client id")
        }
        let audiences = [FHIRRoutes(store: store, configuration: configuration).base(request) + "/auth/token", configuration.baseURL + Self.tokenPath]
        guard verified.aud.value.contains(where: audiences.contains) else {
            throw SMARTError.invalidClient("the assertion's aud is the token endpoint, \(audiences[0])")
        }
        let expires = Timestamp(millis: Int64(verified.exp.value.timeIntervalSince1970 * 1000))
        guard expires <= now.adding(seconds: 300) else { throw SMARTError.invalidClient("the assertion expires within five minutes") }
        guard !verified.jti.value.isEmpty, verified.jti.value.count <= 200 else { throw SMARTError.invalidClient("the assertion has an id (jti)") }
        let asked: AccessScopes
        do { asked = try AccessScopes(parsing: requested) } catch { throw SMARTError.invalidScope("\(requested) is not a list of system scopes") }
        let granted = asked.intersection(try AccessScopes(parsing: client.scopes))
        guard !granted.isEmpty else { throw SMARTError.invalidScope("none of the scopes asked for is registered for this system") }
        let token: String
        do {
            token = try await store.issueSMARTToken(
                client, scopes: granted, assertionId: verified.jti.value, assertionExpires: expires, lifetimeSeconds: Self.tokenLifetimeSeconds)
        } catch let error as ThawError {
            throw SMARTError.invalidGrant(error.explanation)
        }
        return TokenAnswer(accessToken: token, expiresIn: Int(Self.tokenLifetimeSeconds), scope: granted.text)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }
}

/// The token endpoint's answer, in OAuth's field names.
struct TokenAnswer: Encodable {
    var accessToken: String
    var tokenType = "bearer"
    var expiresIn: Int
    var scope: String

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", scope
    }
}

/// `/.well-known/smart-configuration`: how a system gets a token here.
struct SMARTConfiguration: ResponseEncodable {
    var tokenEndpoint: String
    var authMethods = ["private_key_jwt"]
    var signingAlgorithms = ["RS384", "ES384"]
    var grantTypes = ["client_credentials"]
    var scopes = ["system/*.rs", "system/Task.rs", "system/Task.u", "system/ServiceRequest.rs", "system/Patient.rs", "system/Subscription.crds"]
    var capabilities = ["client-confidential-asymmetric", "permission-v2", "permission-v1"]

    private enum CodingKeys: String, CodingKey {
        case tokenEndpoint = "token_endpoint", authMethods = "token_endpoint_auth_methods_supported"
        case signingAlgorithms = "token_endpoint_auth_signing_alg_values_supported", grantTypes = "grant_types_supported"
        case scopes = "scopes_supported", capabilities
    }
}
