import Hummingbird
import ThawCore
import ThawStorage

struct PairClimateResponse: ResponseCodable {
    var weights: [String: Double]
    var items: [PeriodClimate]
    var segments: [PairClimateHistory.Segment]
    var penalty: Double
    var minSize: Int
    var cooling: PairClimateHistory.Cooling?
}

/// The integration climate over HTTP.
struct ClimateRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "climate/pairs/:organizationId/:otherId", id: "pairClimate", tag: "climate",
                summary:
                    "A pair's climate per week or month: the components, the index and the counts behind them; freeze and thaw segments with the events near each; the cooling alert",
                query: ["period", "from", "to", "weights", "penalty", "minSize"], answer: .one(PairClimateResponse.self)),
            use: pair)
        routes.add(
            .init(
                .get, "climate/network", id: "networkClimate", tag: "climate",
                summary: "The network's climate per week or month: ties, tie-weighted index, density, centralisation, directness",
                query: ["period", "from", "to", "weights"], answer: .list(NetworkPeriod.self)),
            use: network)
        routes.add(
            .init(
                .get, "climate/cooling", id: "coolingPartnerships", tag: "climate",
                summary: "Partnerships cooling now: a CUSUM alert in the last three periods, or gone quiet", query: ["period", "weights"],
                answer: .list(CoolingPartnership.self)),
            use: cooling)
    }

    @Sendable func cooling(_ request: Request, context: CallerContext) async throws -> ItemList<CoolingPartnership> {
        let scoped = scoped(context)
        let (period, _, _, weights) = try Self.range(request, today: CalendarDate(store.clock.now()))
        return ItemList(try await scoped.coolingPartnerships(period: period, weights: weights))
    }

    @Sendable func network(_ request: Request, context: CallerContext) async throws -> ItemList<NetworkPeriod> {
        let scoped = scoped(context)
        let (period, from, to, weights) = try Self.range(request, today: CalendarDate(store.clock.now()))
        return ItemList(try await scoped.networkClimate(period: period, from: from, to: to, weights: weights))
    }

    /// `period`, `from`, `to` and `weights` from the query, with their defaults (the last twelve months, equal weights).
    static func range(_ request: Request, today: CalendarDate) throws -> (ClimatePeriod, CalendarDate, CalendarDate, ClimateWeights) {
        let period = try ClimatePeriod.parse(request.query("period"))
        let from = try CalendarDate.dayOrMonth(request.query("from"), field: "from") ?? today.firstOfMonth(adding: -12)
        let to = try CalendarDate.dayOrMonth(request.query("to"), field: "to") ?? today.adding(days: 1)
        return (period, from, to, try ClimateWeights.parse(request.query("weights")))
    }

    /// `period=week|month`, `from`/`to` as YYYY-MM-DD (or YYYY-MM for months), `weights=reciprocity:2,openness:1,...`,
    /// `penalty` (positive; default max(4, 1.25·ln n)) and `minSize` (periods) for the change points.
    @Sendable func pair(_ request: Request, context: CallerContext) async throws -> PairClimateResponse {
        let scoped = scoped(context)
        let (period, from, to, weights) = try Self.range(request, today: CalendarDate(store.clock.now()))
        let penalty = try request.query("penalty").map { raw -> Double in
            guard let value = Double(raw), value > 0, value <= PairClimateHistory.largestPenalty else {
                throw ThawError.invalid("penalty", "range", "penalty must be a number above 0 and at most \(Int(PairClimateHistory.largestPenalty))")
            }
            return value
        }
        let minSize = try request.integer("minSize", in: 1...52) ?? 2
        let history = try await scoped.pairClimateHistory(
            try context.id("organizationId"), try context.id("otherId"), period: period,
            from: from, to: to, weights: weights, penalty: penalty, minSize: minSize)
        return PairClimateResponse(
            weights: weights.weights, items: history.periods, segments: history.segments,
            penalty: history.penalty, minSize: history.minSize, cooling: history.cooling)
    }

}
