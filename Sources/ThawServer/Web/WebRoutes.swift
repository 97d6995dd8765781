import Hummingbird
import ThawCore
import ThawStorage

/// The browser app: server-rendered pages over the same scoped store as the
/// API, so every page is authorised and audited exactly as the API is.
struct WebRoutes: Sendable {
    let store: ThawStore
    let hasher: PasswordHasher
    let configuration: ServerConfiguration
    let metrics: ThawMetrics

    func register(on router: Router<ThawRequestContext>) {
        Assets.register(on: router)
        let web = router.group().add(
            middleware: WebSessionMiddleware(
                store: store, networkTimeZone: configuration.timeZone.identifier, pseudoTranslation: configuration.pseudoTranslation))
        web.get(RouterPath(stringLiteral: WebPath.home), use: home)
        web.get(RouterPath(stringLiteral: WebPath.signIn), use: signInPage)
        web.post(RouterPath(stringLiteral: WebPath.signIn), use: signIn)
        web.post(RouterPath(stringLiteral: WebPath.signOut), use: signOut)
        web.get(RouterPath(stringLiteral: WebPath.caseload), use: caseload)
        web.get(RouterPath(stringLiteral: WebPath.inbox), use: inbox)
        web.post(RouterPath(stringLiteral: WebPath.inbox + "/claim"), use: claimOpenReferral)
        web.get(RouterPath(stringLiteral: WebPath.clients), use: clientList)
        web.post(RouterPath(stringLiteral: WebPath.clients), use: clientListAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.client), use: clientPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.client), use: clientAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.newReferral), use: newReferralPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.newReferral), use: newReferralAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.referral), use: referralPage)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.referralSummary), use: clientSummary)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.referral), use: referralAction)
        web.get(RouterPath(stringLiteral: WebPath.admin), use: adminPage)
        web.post(RouterPath(stringLiteral: WebPath.admin), use: adminAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.organization), use: organizationPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.organization), use: organizationAction)
        web.get(RouterPath(stringLiteral: WebPath.adminTokens), use: tokensPage)
        web.post(RouterPath(stringLiteral: WebPath.adminTokens), use: tokensAction)
        web.get(RouterPath(stringLiteral: WebPath.events), use: events)
        web.post(RouterPath(stringLiteral: WebPath.workingAs), use: workingAs)
        web.post(RouterPath(stringLiteral: WebPath.language), use: chooseLanguage)
        registerNotifications(on: web)
        registerOurServices(on: web)
        registerPartnership(on: web)
        registerSurveys(on: web)
        registerClimate(on: web)
        registerEvaluation(on: web)
    }

    /// Chooses the organisation this browser session works for: the person's own, or one they are
    /// placed with today (anything else is refused).
    @Sendable func workingAs(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let principal = try context.requirePrincipal()
        guard let secret = context.sessionSecret, let chosen = form["organizationId"] else {
            throw ThawError.invalid("organizationId", "required", "choose the organisation to work for")
        }
        let home = principal.homeOrganizationId ?? principal.organization.id
        if chosen == home.raw {
            try await store.setActingOrganization(sessionSecret: secret, nil)
        } else {
            var own = principal
            if principal.homeOrganizationId != nil { own = Principal(user: principal.user, organization: try await store.organization(home)) }
            guard try await store.placedPrincipal(own, in: ID(chosen)) != nil else {
                throw ThawError.forbidden("you are not placed with that organisation today")
            }
            try await store.setActingOrganization(sessionSecret: secret, ID(chosen))
        }
        return WebPage.redirect(to: WebPath.home, notice: "working-as")
    }

    /// The language the person reads Thaw in, kept for them; back to the page they were on.
    @Sendable func chooseLanguage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let principal = try context.requirePrincipal()
        try await store.setLanguage(form["language"] ?? "", for: principal.user.id)
        // Only a path of ours: never another site, never a scheme-relative "//host".
        let back = form["back"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") && $0.count <= 500 ? $0 : nil }
        return WebPage.redirect(to: back ?? WebPath.home)
    }

    // MARK: shared by the handlers

    func layout(
        _ title: Phrase, _ context: ThawRequestContext, section: String = "", live: Bool = false,
        notice: Layout.Notice? = nil
    ) -> Layout {
        Layout(
            title: title, principal: context.principal, csrf: context.csrfToken, section: section, live: live, notice: notice,
            unread: context.unreadNotifications, workplaces: context.workplaces)
    }

    func scoped(_ context: ThawRequestContext) throws -> ScopedStore {
        store.scoped(to: try context.requirePrincipal().actor)
    }

    func form(_ request: Request, _ context: ThawRequestContext) async throws -> WebForm {
        _ = try context.requirePrincipal()
        return try await WebForm.read(request, context: context, limit: configuration.maxBodyBytes)
    }

    /// The confirmation shown after a redirect: a short code in the URL, never data.
    func notice(_ request: Request) -> Layout.Notice? {
        guard let code = request.uri.queryParameters["done"].map(String.init), let text = Self.notices[code] else { return nil }
        return Layout.Notice(kind: .success, text: Phrase(said: say(text)))
    }

    static let notices: [String: String] = [
        "client-created": "The client was registered.",
        "consent-recorded": "The consent was recorded.",
        "consent-revoked": "The consent was revoked. Partners lose access on their next request.",
        "screening-recorded": "The screening was recorded and the identified needs updated.",
        "referral-sent": "The referral was sent.",
        "preferences-saved": "Your email preferences were saved.",
        "referral-opened": "The referral is open for any eligible partner to claim.",
        "referral-updated": "The referral was updated.",
        "message-sent": "Your message was sent.",
        "claimed": "You claimed the referral; it is now accepted by your organisation.",
        "organization-created": "The organisation was added.",
        "service-created": "The service was added.",
        "capacity-updated": "The capacity was updated, and the record marked verified today.",
        "service-verified": "Marked verified today.",
        "user-created": "The user was added.",
        "user-updated": "The user was updated.",
        "token-revoked": "The token was revoked.",
        "signal-recorded": "The signal was recorded and sent to the partners you named.",
        "policy-recorded": "The policy move was recorded, with the notice the partners had.",
        "evaluator-created": "The evaluator was added for the period given.",
        "package-imported": "The package was brought in and is shown beside this network.",
        "codings-imported": "The project's codings were brought in. Those on records Thaw did not export were left out.",
        "research-agreed": "Thank you. Your conversation messages may now be included in research exports.",
        "research-withdrawn": "Withdrawn. No research export made from now on includes your conversation messages.",
        "survey-opened": "The round is open. Everyone in the organisations you chose is asked to answer.",
        "survey-answered": "Thank you. Your answers were recorded; only averages of three or more people are ever shown.",
        "signal-acknowledged": "You acknowledged the signal.",
        "event-recorded": "The outside event was recorded.",
        "role-recorded": "The role was recorded.",
        "funding-recorded": "The funding agreement was saved.",
        "committee-created": "The committee was set up.",
        "meeting-recorded": "The meeting was recorded.",
        "motion-put": "The motion was put to the committee.",
        "voted": "Your organisation's vote was recorded.",
        "decided": "The vote was counted.",
        "left-committee": "Your organisation has left the committee.",
        "consultation-created": "The consultation was sent to the partners you named.",
        "feedback-added": "Your feedback was added.",
        "answered": "The answer was recorded.",
        "consultation-closed": "The consultation is closed.",
        "commitment-recorded": "The commitment was recorded.",
        "commitment-updated": "The commitment was updated.",
        "follow-up-recorded": "The follow-up was recorded.",
        "needs-closed": "The needs were closed.",
        "need-closed": "The need was closed.",
        "experience-recorded": "The client's answers were recorded.",
        "appointment-booked": "The appointment was booked.",
        "reminders-saved": "The client's reminder choice was saved.",
        "placement-created": "The placement was recorded. On its first day they can choose to work for this organisation.",
        "placement-ended": "The placement was ended.",
        "working-as": "You are now working for the organisation you chose.",
        "client-linked": "The records were linked.",
        "client-unlinked": "The link was undone.",
        "task-created": "The task was added; it is on the client's summary.",
        "task-closed": "The task was closed."
    ]
}
