import ThawCore

/// The whole network's climate in one period.
public struct NetworkPeriod: Codable, Sendable {
    public var start: CalendarDate
    public var end: CalendarDate
    /// Pairs with any interaction in the period.
    public var ties: Int
    /// The pairs' indexes averaged with their interactions as weights; nil when no pair has an index.
    public var tieWeightedIndex: Double?
    public var measures: NetworkMeasures
}

extension ScopedStore {
    /// Network-level climate per week or month, for partnership leads and administrators:
    /// ties are pairs that interacted in the period; primary care is the independent
    /// primary-care side, the central system the ministry and health authority side.
    /// `betweenness: false` skips the one costly measure (the dashboard does not show it).
    public func networkClimate(
        period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
        weights: ClimateWeights = .defaults, betweenness: Bool = true
    ) async throws -> [NetworkPeriod] {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "reading the network's climate")
        guard from < to else { throw ThawError.invalid("to", "after-from", "the end of the range must come after its start") }
        guard to.startOfDay.millis - from.startOfDay.millis <= 5 * 366 * 86_400_000 else {
            throw ThawError.invalid("to", "range", "ask for at most five years at a time")
        }
        try weights.validate()
        try await store.foldPendingClimate()
        let (organizations, pairs) = try await database.read { db in
            (
                try await db.query("SELECT \(Organization.columns) FROM organizations ORDER BY id", []).map(Organization.init(row:)),
                try await Self.pairPeriods(db, pair: nil, period: period, from: from, to: to)
            )
        }
        let nodes = organizations.map { org -> (id: String, side: NetworkMeasures.Side) in
            (org.id.raw, org.sector == .primaryCare ? .primaryCare : org.alignment == .centralSystem ? .centralSystem : .other)
        }
        // Each pair's periods, with the same index the pair page shows, go to their period once. Pairs are
        // taken in order, so the sums below add in the same order every time (floating-point addition
        // depends on it, and a dictionary's order changes from one process to the next).
        var byPeriod: [CalendarDate: [(lo: String, hi: String, interactions: Int, index: Double?)]] = [:]
        for (key, sums) in pairs.sorted(by: { $0.key < $1.key }) {
            let ids = key.split(separator: "|").map(String.init)
            for p in sums.periods(period, from: from, to: to, weights: weights) where p.counts.interactions > 0 {
                byPeriod[p.start, default: []].append((ids[0], ids[1], p.counts.interactions, p.index))
            }
        }
        var out: [NetworkPeriod] = []
        var start = Self.periodStart(from, period)
        while start < to {
            let end = Self.periodEnd(start, period)
            let tied = byPeriod[start] ?? []
            var weighted = 0.0, mass = 0.0
            for tie in tied {
                guard let index = tie.index else { continue }
                weighted += index * Double(tie.interactions); mass += Double(tie.interactions)
            }
            let measures = NetworkMeasures.compute(nodes: nodes, ties: tied.map { ($0.lo, $0.hi) }, betweenness: betweenness)
            out.append(
                NetworkPeriod(start: start, end: end, ties: tied.count, tieWeightedIndex: mass > 0 ? weighted / mass : nil, measures: measures))
            start = end
        }
        return out
    }
}

/// One tie on the network map: a pair with contact in the period, its index and how much it carried.
public struct NetworkTie: Codable, Sendable {
    public var organizationIds: [ID<Organization>]
    public var interactions: Int
    public var index: Double?
}

extension ScopedStore {
    /// Every pair with contact in one period, with the same index the pair page shows; for
    /// partnership leads and administrators.
    public func networkTies(period: ClimatePeriod, containing day: CalendarDate, weights: ClimateWeights = .defaults) async throws -> [NetworkTie] {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "reading the network's climate")
        try weights.validate()
        let start = Self.periodStart(day, period), end = Self.periodEnd(Self.periodStart(day, period), period)
        try await store.foldPendingClimate()
        let pairs = try await database.read { db in try await Self.pairPeriods(db, pair: nil, period: period, from: start, to: end) }
        return pairs.compactMap { key, days -> NetworkTie? in
            guard let climate = days.periods(period, from: start, to: end, weights: weights).first, climate.counts.interactions > 0 else {
                return nil
            }
            return NetworkTie(
                organizationIds: key.split(separator: "|").map { ID(String($0)) }, interactions: climate.counts.interactions, index: climate.index)
        }.sorted { ($0.organizationIds[0].raw, $0.organizationIds[1].raw) < ($1.organizationIds[0].raw, $1.organizationIds[1].raw) }
    }
}
