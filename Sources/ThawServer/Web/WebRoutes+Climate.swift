import Hummingbird
import ThawCore
import ThawStorage

/// The integration-climate pages: the dashboard, a pair's page, and their CSV.
extension WebRoutes {
    func registerClimate(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.climate), use: climateDashboard)
        web.get(RouterPath(stringLiteral: WebPath.climateTiesCSV), use: climateTiesCSV)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.climatePair), use: climatePairPage)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.climatePairCSV), use: climatePairCSV)
    }

    /// `period` (month or week), `at` (a day in the period to show; default the last whole one) and `weights`.
    private func climateQuery(_ request: Request) throws -> (ClimatePeriod, CalendarDate, ClimateWeights) {
        let period = try ClimatePeriod.parse(request.uri.queryParameters.get("period"))
        let lastWhole = ScopedStore.periodStart(
            CalendarDate(ScopedStore.periodStart(CalendarDate(store.clock.now()), period).startOfDay.adding(days: -1)), period)
        let at =
            try CalendarDate.dayOrMonth(request.uri.queryParameters.get("at"), field: "at").map { ScopedStore.periodStart($0, period) } ?? lastWhole
        return (period, at, try ClimateWeights.parse(request.uri.queryParameters.get("weights")))
    }

    /// Two years of months (or half a year of weeks) up to and including `last`.
    private func climateRange(_ period: ClimatePeriod, through last: CalendarDate) -> (CalendarDate, CalendarDate) {
        let end = ScopedStore.periodEnd(last, period)
        return (ScopedStore.periodStart(CalendarDate(end.startOfDay.adding(days: period == .month ? -730 : -182)), period), end)
    }

    @Sendable func climateDashboard(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        let (period, at, weights) = try climateQuery(request)
        let (from, to) = climateRange(period, through: at)
        let network = try await scoped.networkClimate(period: period, from: from, to: to, weights: weights, perOrganization: false)
        let view = ClimateDashboardView(
            period: period, selected: at, network: network,
            segments: try FreezeThaw.analyse(network.compactMap(\.tieWeightedIndex)).segments,
            ties: try await scoped.networkTies(period: period, containing: at, weights: weights),
            cooling: try await scoped.coolingPartnerships(period: period, weights: weights),
            organizations: try await store.organizations(),
            events: try await scoped.events().filter { $0.occurredOn >= from && $0.occurredOn < to }, weights: weights)
        return WebPage.response(layout("Integration climate", context, section: "climate").render(view.render()))
    }

    @Sendable func climateTiesCSV(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let (period, at, weights) = try climateQuery(request)
        let ties = try await scoped(context).networkTies(period: period, containing: at, weights: weights)
        return Self.csv(ClimateExport.tiesCSV(ties, names: try await organizationNames(), period: at), filename: "climate-ties-\(at).csv")
    }

    /// The pair named in the path, as organisations (404 for an unknown id).
    private func climatePair(_ context: ThawRequestContext) async throws -> (Organization, Organization) {
        let a: ID<Organization> = try context.id("organizationId"), b: ID<Organization> = try context.id("otherId")
        let organizations = try await store.organizations()
        guard let first = organizations.first(where: { $0.id == a }), let second = organizations.first(where: { $0.id == b }) else {
            throw ThawError.notFound("the climate of organisations \(a) and \(b)")
        }
        return (first, second)
    }

    @Sendable func climatePairPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        let (a, b) = try await climatePair(context)
        let (period, at, weights) = try climateQuery(request)
        // Up to the period under way, or to the one asked for (`at`: to look back at an earlier freeze or thaw).
        let current = ScopedStore.periodStart(CalendarDate(store.clock.now()), period)
        let through = request.uri.queryParameters.get("at") == nil ? current : min(at, current)
        let (from, to) = climateRange(period, through: through)
        let history = try await scoped.pairClimateHistory(a.id, b.id, period: period, from: from, to: to, weights: weights)
        let mine = scoped.actor.organizationId
        // Policy moves are for the organisations involved: a network lead looking at another pair does not see them.
        let party = mine == a.id || mine == b.id
        let moves = party ? try await scoped.policyMoves(between: a.id, b.id) : []
        let view = PairClimateView(
            a: a, b: b, history: history, period: period, weights: weights,
            events: try await scoped.nearbyEvents(a.id, b.id, from: from, to: to), policyMoves: moves,
            perseverance: party ? try await scoped.perseverance(between: a.id, b.id) : [],
            otherForViewer: mine == a.id ? b.id : mine == b.id ? a.id : nil, today: CalendarDate(store.clock.now()),
            earlier: ScopedStore.periodStart(CalendarDate(from.startOfDay.adding(days: -1)), period),
            later: through < current ? min(period == .month ? through.firstOfMonth(adding: 24) : through.adding(days: 7 * 26), current) : nil)
        return WebPage.response(layout(Phrase(said: say("Climate: %1 and %2", a.name, b.name)), context, section: "climate").render(view.render()))
    }

    @Sendable func climatePairCSV(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let (a, b) = try await climatePair(context)
        let (period, _, weights) = try climateQuery(request)
        let (from, to) = climateRange(period, through: ScopedStore.periodStart(CalendarDate(store.clock.now()), period))
        let periods = try await scoped(context).pairClimate(a.id, b.id, period: period, from: from, to: to, weights: weights)
        return Self.csv(ClimateExport.pairCSV(a, b, periods), filename: "climate-pair.csv")
    }

    static func csv(_ text: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
