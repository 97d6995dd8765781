import Hummingbird
import ThawCore
import ThawStorage

/// Sign in and out. The sign-in form has no session yet, so it carries its
/// own CSRF token in a short-lived SameSite=Strict cookie (double submit).
extension WebRoutes {
    static let signInCookie = "thaw_signin"

    @Sendable func home(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal().actor
        if actor.hasAny(AccessPolicy.referringRoles) { return WebPage.redirect(to: WebPath.caseload) }
        if actor.hasAny(AccessPolicy.receivingRoles) { return WebPage.redirect(to: WebPath.inbox) }
        if actor.has(.partnershipLead) { return WebPage.redirect(to: WebPath.partnership) }
        if actor.hasAny(Layout.administrationRoles) { return WebPage.redirect(to: WebPath.admin) }
        if actor.has(.evaluator) { return WebPage.redirect(to: WebPath.evaluation) }
        return WebPage.redirect(to: WebPath.partnership)
    }

    @Sendable func signInPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        if context.principal != nil { return WebPage.redirect(to: WebPath.home) }
        return signInResponse(state: FormState(), notice: nil)
    }

    private func signInResponse(state: FormState, notice: Layout.Notice?, status: HTTPResponse.Status = .ok) -> Response {
        let token = SecretDigest.newSecret(prefix: "")
        let html = Layout(title: "Sign in", principal: nil, csrf: nil, notice: notice).render(
            """
            <div class="panel sign-in">
            <h1>Sign in to Thaw</h1>
            <form method="post" action="\(WebPath.signIn)" novalidate>
            \(Components.hidden("_csrf", token))
            \(Components.textField("email", "Email", state: state, type: "email", required: true, autocomplete: "username"))
            \(Components.textField("password", "Password", state: state, type: "password", required: true, autocomplete: "current-password", value: ""))
            <button type="submit">Sign in</button>
            </form>
            </div>
            """)
        var response = WebPage.response(html, status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: token, maxAge: 3600, path: WebPath.signIn,
                secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signIn(_ request: Request, context: ThawRequestContext) async throws -> Response {
        var pre = context
        pre.csrfToken = request.cookies[Self.signInCookie]?.value
        let form = try await WebForm.read(request, context: pre, limit: 16 * 1024)
        var state = FormState(form: form)
        guard let email = form["email"], let password = form.all("password").first, !password.isEmpty else {
            if form["email"] == nil { state.errors["email"] = "Enter your email address" }
            if form.all("password").first?.isEmpty ?? true { state.errors["password"] = "Enter your password" }
            return signInResponse(state: state, notice: nil, status: .unprocessableContent)
        }
        do {
            let signedIn = try await PasswordSignIn(store: store, hasher: hasher, configuration: configuration)
                .signIn(
                    email: email, password: password,
                    source: context.clientAddress(request, trustedProxies: configuration.trustedProxies))
            var response = WebPage.redirect(to: WebPath.home)
            response.setCookie(signedIn.cookie)
            return response
        } catch ThawError.unauthenticated {
            return signInResponse(state: state, notice: .init(kind: .error, text: "The email or password is wrong."), status: .unauthorized)
        } catch ThawError.tooManyAttempts(let why, let retry) {
            var response = signInResponse(
                state: state,
                notice: .init(
                    kind: .error, text: Phrase(said: say("There were %1. Try again in %2 minutes.", sayIfKnown(why), String(retry / 60 + 1)))),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(retry)
            return response
        }
    }

    @Sendable func signOut(_ request: Request, context: ThawRequestContext) async throws -> Response {
        _ = try await form(request, context)
        if let secret = context.sessionSecret { try await store.endSession(secret: secret) }
        var response = WebPage.redirect(to: WebPath.signIn)
        response.setCookie(PasswordSignIn.expiredCookie(configuration))
        return response
    }
}
