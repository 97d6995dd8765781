import Hummingbird
import ThawCore
import ThawStorage

extension WebRoutes {
    @Sendable func caseload(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await worklist(.caseload, request, context)
    }

    @Sendable func inbox(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await worklist(.inbox, request, context)
    }

    private func worklist(_ view: WorklistQuery.View, _ request: Request, _ context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        var query = try WorklistQuery(parsing: request, actor: scoped.actor)
        query.view = view
        async let counts = scoped.worklistCounts(view)
        async let page = scoped.worklist(query)
        let open = view == .inbox ? try await scoped.openReferrals(limit: 20) : []
        let gaps = view == .caseload ? try await scoped.needGaps(limit: 50) : []
        let model = WorklistView(
            query: query, counts: try await counts, page: try await page, openReferrals: open, needGaps: gaps,
            now: store.clock.now(), csrf: context.csrfToken)
        let title: Phrase = view == .caseload ? "Caseload" : "Inbox"
        return WebPage.response(layout(title, context, section: view.rawValue, live: true, notice: notice(request)).render(model.render()))
    }

    @Sendable func claimOpenReferral(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        guard let id = form["referral"] else { throw ThawError.invalid("referral", "required", "say which referral to claim") }
        let referral = try await scoped(context).claim(ID(id))
        metrics.recordTransition(to: referral.status.rawValue)
        return WebPage.redirect(to: WebPath.referral(referral.id), notice: "claimed")
    }
}
