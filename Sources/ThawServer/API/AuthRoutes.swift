import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOPosix
import ThawCore
import ThawStorage

struct SignInRequest: Decodable { var email: String; var password: String }
struct SignInResponse: ResponseCodable {
    var user: User
    var organization: Organization
    var csrfToken: String
}
struct MeResponse: ResponseCodable { var user: User; var organization: Organization }

/// Passwords are hashed and checked with bcrypt on NIO's thread pool, so a
/// slow hash never blocks request handling.
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A hash of a random string, checked against when the email is unknown so
    /// response time does not reveal which emails exist.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash(SecretDigest.newSecret(prefix: ""), cost: cost)
    }
    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

struct AuthRoutes: APIRouteGroup {
    let store: ThawStore
    let hasher: PasswordHasher
    let configuration: ServerConfiguration

    /// Signing in and out, which need no caller.
    func registerOpen(on routes: DescribedRoutes<ThawRequestContext>) {
        routes.add(
            .init(
                .post, "auth/sign-in", id: "signIn", tag: "auth",
                summary: "Sign in with email and password; sets the session cookie (throttled per email and source)", body: SignInRequest.self,
                answer: .one(SignInResponse.self), throttled: true),
            use: signIn)
        routes.add(
            .init(.post, "auth/sign-out", id: "signOut", tag: "auth", summary: "End the session", success: 204),
            use: signOut)
    }

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(.get, "me", id: "getMe", tag: "auth", summary: "The signed-in user and organisation", answer: .one(MeResponse.self)),
            use: me)
    }

    @Sendable func signIn(_ request: Request, context: ThawRequestContext) async throws -> EditedResponse<SignInResponse> {
        let input = try await body(SignInRequest.self, request)
        let signedIn = try await PasswordSignIn(store: store, hasher: hasher, configuration: configuration)
            .signIn(
                email: input.email, password: input.password,
                source: context.clientAddress(request, trustedProxies: configuration.trustedProxies))
        let answer = SignInResponse(user: signedIn.principal.user, organization: signedIn.principal.organization, csrfToken: signedIn.csrf)
        return EditedResponse(headers: [.setCookie: signedIn.cookie.description], response: answer)
    }

    @Sendable func signOut(_ request: Request, context: ThawRequestContext) async throws -> Response {
        if let secret = context.sessionSecret { try await store.endSession(secret: secret) }
        var response = Response(status: .noContent)
        response.setCookie(PasswordSignIn.expiredCookie(configuration))
        return response
    }

    @Sendable func me(_ request: Request, context: CallerContext) async throws -> MeResponse {
        let principal = context.principal
        return MeResponse(user: principal.user, organization: principal.organization)
    }
}
