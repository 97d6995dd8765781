import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// For the browser pages: finds the signed-in user from the session cookie
/// (forms check its CSRF token when they are read), sets the security headers
/// on every page, and turns errors into pages a person can act on. A page that
/// needs a user and has none sends the browser to sign in.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = ThawRequestContext
    let store: ThawStore
    /// The network's time zone, for people whose organisation has none.
    let networkTimeZone: String
    /// Every page in the pseudo-language (see `ServerConfiguration.pseudoTranslation`).
    var pseudoTranslation = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let secret = request.cookies[Authenticator.cookieName]?.value, !secret.isEmpty, secret.count <= 200,
            let (principal, csrf) = try await store.principal(sessionSecret: secret)
        {
            context.principal = principal
            context.sessionSecret = secret
            context.csrfToken = csrf
            context.logger[metadataKey: "user"] = .string(principal.user.id.raw)
            if request.method == .get, request.uri.path != WebPath.events {
                context.unreadNotifications = try await store.unreadNotifications(principal.user.id)
                context.workplaces = try await Self.workplaces(principal, store)
            }
        }
        let calendar = LocalCalendar(context.principal?.organization.timeZone ?? networkTimeZone)
        let language = pseudoTranslation ? .pseudo : Self.language(of: context.principal, request)
        var response = await Viewer.$language.withValue(language) {
            await Viewer.$calendar.withValue(calendar) {
                await Viewer.$path.withValue(request.uri.path) { await page(request, context, next) }
            }
        }
        Self.secure(&response.headers)
        return response
    }

    /// The page, or a page saying what went wrong, drawn in the viewer's language.
    private func page(_ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response) async -> Response {
        do {
            return try await next(request, context)
        } catch ThawError.unauthenticated where request.method == .get || request.method == .head {
            return WebPage.redirect(to: WebPath.signIn)
        } catch {
            return ErrorPage.response(for: error, context: context, logger: context.logger)
        }
    }

    /// The signed-in person's language; before signing in, the browser's first choice of ours.
    static func language(of principal: Principal?, _ request: Request) -> Language {
        if let principal { return Language(preferred: principal.user.language) }
        let accepted = request.headers[.acceptLanguage] ?? ""
        for range in accepted.split(separator: ",").prefix(10) {
            let tag = range.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if tag.hasPrefix("fr") { return .fr }
            if tag.hasPrefix("en") { return .en }
        }
        return .en
    }

    /// The person's own organisation and those they are placed with today; empty when there is no choice.
    static func workplaces(_ principal: Principal, _ store: ThawStore) async throws -> [Workplace] {
        let placements = try await store.activePlacements(user: principal.user.id)
        guard !placements.isEmpty else { return [] }
        let home = principal.homeOrganizationId ?? principal.organization.id
        let homeName = home == principal.organization.id ? principal.organization.name : try await store.organization(home).name
        return [Workplace(id: home, name: homeName)] + placements.map { Workplace(id: $0.0.organizationId, name: $0.1) }
    }

    /// A strict Content-Security-Policy (no inline script or style anywhere),
    /// no framing, no sniffing, no referrer, and no caching of pages that hold
    /// client data.
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "no-referrer"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
