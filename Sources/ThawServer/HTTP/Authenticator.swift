import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// Finds who is calling, once per request: a bearer token (API clients) or the
/// session cookie (browsers), each one indexed read. A revoked or expired token,
/// an ended session, a deactivated user or changed roles therefore take effect on
/// the next request, in every process. Cookie-authenticated requests that change
/// state must also echo the session's CSRF token in `X-CSRF-Token`.
///
/// A request without credentials passes on without a caller; the routes that
/// need one are registered on a `CallerContext` group, which answers 401 first.
struct Authenticator: RouterMiddleware {
    typealias Context = ThawRequestContext
    static let cookieName = "thaw_session"
    let store: ThawStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "), case let token = String(authorization.dropFirst(7)),
                !token.isEmpty, token.count <= 200,
                let principal = try await store.principal(bearerToken: token)
            else {
                throw ThawError.bearerTokenRejected
            }
            // A system's SMART token is for the FHIR API, within its scopes; /api/v1 has none.
            if principal.scopes != nil, request.uri.path != "/fhir", !request.uri.path.hasPrefix("/fhir/") {
                throw ThawError.forbidden("a SMART access token is for /fhir; use a person's API token for /api/v1", field: "Authorization")
            }
            context.principal = try await Self.placed(principal, request, store)
        } else if !request.uri.path.hasSuffix("/auth/sign-in"),  // signing in again needs no old session
            let secret = request.cookies[Self.cookieName]?.value, !secret.isEmpty, secret.count <= 200,
            let (principal, csrf) = try await store.principal(sessionSecret: secret)
        {
            if ![.get, .head, .options].contains(request.method) {
                guard let sent = request.headers[.csrfToken], Self.constantTimeEquals(sent, csrf) else {
                    throw ThawError.forbidden("a signed-in browser request that changes data must send X-CSRF-Token")
                }
            }
            context.principal = principal
            context.sessionSecret = secret
        }
        if let principal = context.principal {
            context.logger[metadataKey: "user"] = .string(principal.user.id.raw)
        }
        return try await next(request, context)
    }

    /// A person's token working for an organisation they are placed with (the `Thaw-Organization`
    /// header names it); 403 where no placement lets them today.
    static func placed(_ principal: Principal, _ request: Request, _ store: ThawStore) async throws -> Principal {
        guard let raw = request.headers[.thawOrganization], raw != principal.organization.id.raw else { return principal }
        guard raw.count <= 80, let placed = try await store.placedPrincipal(principal, in: ID(raw)) else {
            throw ThawError.forbidden("you are not placed with organisation \(raw.prefix(80)) today", field: "Thaw-Organization")
        }
        return placed
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// The context of a route that acts for a caller: the principal `Authenticator`
/// found, never nil. Made from the request's context as the route group is
/// entered; without a caller the request is answered 401 there.
struct CallerContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let principal: Principal

    init(context: ThawRequestContext) throws {
        guard let principal = context.principal else {
            throw ThawError.unauthenticated("sign in or send a bearer token")
        }
        coreContext = context.coreContext
        self.principal = principal
    }

    var actor: Actor { principal.actor }

    var responseEncoder: ThawResponseEncoder { ThawResponseEncoder() }
}

extension HTTPField.Name {
    /// The organisation a request works for, where the person is placed with one.
    static let thawOrganization = Self("Thaw-Organization")!
}
