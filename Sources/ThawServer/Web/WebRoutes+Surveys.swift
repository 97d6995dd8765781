import Hummingbird
import ThawCore
import ThawStorage

/// The pulse survey's pages: the rounds and the form to open one, and each round's questions
/// (one partner at a time, sized for a phone) and aggregate results.
extension WebRoutes {
    func registerSurveys(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.surveys), use: surveysPage)
        web.post(RouterPath(stringLiteral: WebPath.surveys), use: surveysAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.survey), use: surveyPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.survey), use: surveyAction)
    }

    @Sendable func surveysPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderSurveys(context, state: FormState(), notice: notice(request), status: .ok)
    }

    private func renderSurveys(_ context: ThawRequestContext, state: FormState, notice: Layout.Notice?, status: HTTPResponse.Status) async throws
        -> Response
    {
        let principal = try context.requirePrincipal()
        let scoped = store.scoped(to: principal.actor)
        let view = SurveysView(
            me: principal.organization, rounds: try await scoped.surveys(), pending: Set(try await scoped.pendingSurveys().map(\.id)),
            organizations: try await store.organizations(), canOpen: principal.actor.hasAny(ScopedStore.partnershipRoles),
            today: Viewer.calendar.day(of: store.clock.now()), state: state, csrf: context.csrfToken)
        return WebPage.response(layout("Pulse surveys", context, section: "partnership", notice: notice).render(view.render()), status: status)
    }

    @Sendable func surveysAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        return try await formAction(
            form["action"] ?? "", form,
            render: { failed, notice, status in
                try await self.renderSurveys(context, state: failed?.state ?? FormState(), notice: notice, status: status)
            }
        ) {
            let round = try await scoped.scheduleSurvey(
                NewSurveyRound(
                    title: form["title"] ?? "", participantOrganizationIds: form.all("participants").map { ID($0) },
                    opensOn: try required(try form.date("opensOn"), "opensOn", "Give the day the round opens"),
                    closesOn: try required(try form.date("closesOn"), "closesOn", "Give the day the round closes")))
            return WebPage.redirect(to: WebPath.survey(round.id), notice: "survey-opened")
        }
    }

    @Sendable func surveyPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderSurvey(try context.id("surveyId"), context, state: FormState(), notice: notice(request), status: .ok)
    }

    private func renderSurvey(
        _ id: ID<SurveyRound>, _ context: ThawRequestContext, state: FormState, notice: Layout.Notice?, status: HTTPResponse.Status
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let scoped = store.scoped(to: principal.actor)
        guard let round = try await scoped.surveys().first(where: { $0.id == id }) else { throw ThawError.notFound("survey round \(id)") }
        let view = SurveyRoundView(
            round: round, me: principal.organization,
            names: Dictionary(uniqueKeysWithValues: try await store.organizations().map { ($0.id, $0.name) }),
            rated: try await scoped.organizationsIRated(id), results: try await scoped.surveyResults(id),
            today: Viewer.calendar.day(of: store.clock.now()),
            state: state, csrf: context.csrfToken)
        return WebPage.response(
            layout(Phrase(said: round.title), context, section: "partnership", notice: notice).render(view.render()), status: status)
    }

    @Sendable func surveyAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<SurveyRound> = try context.id("surveyId")
        let form = try await form(request, context)
        let scoped = try scoped(context)
        return try await formAction(
            form["action"] ?? "", form,
            render: { failed, notice, status in
                try await self.renderSurvey(id, context, state: failed?.state ?? FormState(), notice: notice, status: status)
            }
        ) {
            var answers: [SurveyItem: Int] = [:]
            for item in SurveyItem.allCases {
                guard let raw = form[item.rawValue], !raw.isEmpty else { continue }
                guard let score = Int(raw) else { throw ThawError.invalid(item.rawValue, "number", "choose one of the answers") }
                answers[item] = score
            }
            let organization: ID<Organization> = ID(try required(form["organization"], "organization", "Say which partner you rate"))
            try await scoped.answerSurvey(id, about: organization, answers)
            return WebPage.redirect(to: WebPath.survey(id), notice: "survey-answered")
        }
    }
}
