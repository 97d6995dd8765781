import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// Finds who is calling: a bearer token (API clients) or the session cookie
/// (browsers). A token seen before is not looked up again here: its caller is
/// checked inside the request's own transactions instead (`PrincipalCache`).
/// Cookie-authenticated requests that change state must also echo
/// the session's CSRF token in `X-CSRF-Token`. Routes that need a caller call
/// `APIRouteGroup.scoped(_:)` or `.principal(_:)`; this middleware never rejects
/// on its own except for a bad token or a missing CSRF token.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ThawRequestContext
    static let cookieName = "thaw_session"
    let store: ThawStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "), case let token = String(authorization.dropFirst(7)),
                  !token.isEmpty, token.count <= 200,
                  let caller = try await store.caller(bearerToken: token) else {
                throw ThawError.bearerTokenRejected
            }
            switch caller {
            case .checked(let principal): context.principal = principal
            case .unchecked(let principal, let proof): context.uncheckedCaller = (principal, proof)
            }
        } else if !request.uri.path.hasSuffix("/auth/sign-in"),   // signing in again needs no old session
                  let secret = request.cookies[Self.cookieName]?.value, !secret.isEmpty, secret.count <= 200,
                  let (principal, csrf) = try await store.principal(sessionSecret: secret) {
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[.csrfToken], Self.constantTimeEquals(sent, csrf) else {
                    throw ThawError.forbidden("a signed-in browser request that changes data must send X-CSRF-Token")
                }
            }
            context.principal = principal
            context.sessionSecret = secret
        }
        if let principal = context.principal ?? context.uncheckedCaller?.principal {
            context.logger[metadataKey: "user"] = .string(principal.user.id.raw)
        }
        return try await next(request, context)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
