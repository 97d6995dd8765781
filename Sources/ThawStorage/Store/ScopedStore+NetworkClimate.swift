import ThawCore

/// The whole network's climate in one period.
public struct NetworkPeriod: Codable, Sendable, Equatable {
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
    /// `perOrganization: false` leaves out each organisation's degree and betweenness (the
    /// dashboard shows neither; betweenness is the one costly measure), and lets whole periods that
    /// are over come from the results kept for them (`ClimateResultCache`).
    public func networkClimate(
        period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
        weights: ClimateWeights = .defaults, perOrganization: Bool = true
    ) async throws -> [NetworkPeriod] {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "reading the network's climate")
        guard from < to else { throw ThawError.invalid("to", "after-from", "the end of the range must come after its start") }
        guard to.startOfDay.millis - from.startOfDay.millis <= 5 * 366 * 86_400_000 else {
            throw ThawError.invalid("to", "range", "ask for at most five years at a time")
        }
        try weights.validate()
        try await store.foldPendingClimate()
        let organizations = try await database.read { db in
            try await db.query("SELECT \(Organization.columns) FROM organizations ORDER BY id", []).map(Organization.init(row:))
        }
        let nodes = organizations.map { org -> (id: String, side: NetworkMeasures.Side) in
            (org.id.raw, org.sector == .primaryCare ? .primaryCare : org.alignment == .centralSystem ? .centralSystem : .other)
        }
        let starts = Self.periodStarts(period, from: from, to: to)
        // Kept results serve the periods wholly inside the range; the first and last may be cut by it.
        let keeping = !perOrganization && weights == .defaults
        let nodesKey = NetworkSummaryText.nodesKey(nodes)
        var found: [CalendarDate: NetworkPeriod] = [:]
        if keeping {
            let kept = try await database.read { db in try await ClimateResultCache.read(db, .network, period, from: from, to: to) }
            for (start, text) in kept where Self.periodEnd(start, period) <= to {
                found[start] = NetworkSummaryText.period(text, start: start, end: Self.periodEnd(start, period), nodesKey: nodesKey)
            }
        }
        // The periods not kept, computed a run of consecutive periods at a time (usually only the one under way).
        var keep: [ClimateResultCache.Result] = []
        for run in Self.runs(starts.filter { found[$0] == nil }, period) {
            let computed = try await computeNetworkPeriods(
                nodes: nodes, period: period, from: max(from, run.from), to: min(to, run.to), weights: weights, perOrganization: perOrganization)
            for result in computed {
                found[result.start] = result
                if keeping, result.start >= from, result.end <= to, ClimateResultCache.keeps(until: result.end, weights: weights, now: now()) {
                    keep.append(
                        .init(
                            kind: .network, period: period, start: result.start, firstDay: result.start, endDay: result.end,
                            value: NetworkSummaryText.text(result, nodesKey: nodesKey)))
                }
            }
        }
        try await ClimateResultCache.keep(keep, in: database)
        return starts.compactMap { found[$0] }
    }

    /// The starts of the weeks or months that hold a day of `from..<to`.
    static func periodStarts(_ period: ClimatePeriod, from: CalendarDate, to: CalendarDate) -> [CalendarDate] {
        var out: [CalendarDate] = []
        var start = periodStart(from, period)
        while start < to {
            out.append(start)
            start = periodEnd(start, period)
        }
        return out
    }

    /// Consecutive periods (by their starts, in order) as ranges of days.
    static func runs(_ starts: [CalendarDate], _ period: ClimatePeriod) -> [(from: CalendarDate, to: CalendarDate)] {
        var out: [(from: CalendarDate, to: CalendarDate)] = []
        for start in starts {
            if let last = out.last, last.to == start {
                out[out.count - 1].to = periodEnd(start, period)
            } else {
                out.append((start, periodEnd(start, period)))
            }
        }
        return out
    }

    /// The network's periods computed from the pairs' month rows.
    private func computeNetworkPeriods(
        nodes: [(id: String, side: NetworkMeasures.Side)], period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
        weights: ClimateWeights, perOrganization: Bool
    ) async throws -> [NetworkPeriod] {
        let pairs = try await database.read { db in try await Self.pairPeriods(db, pair: nil, period: period, from: from, to: to) }
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
        return Self.periodStarts(period, from: from, to: to).map { start in
            let tied = byPeriod[start] ?? []
            var weighted = 0.0, mass = 0.0
            for tie in tied {
                guard let index = tie.index else { continue }
                weighted += index * Double(tie.interactions); mass += Double(tie.interactions)
            }
            var measures = NetworkMeasures.compute(nodes: nodes, ties: tied.map { ($0.lo, $0.hi) }, betweenness: perOrganization)
            if !perOrganization { measures.degree = [:] }
            return NetworkPeriod(
                start: start, end: Self.periodEnd(start, period), ties: tied.count, tieWeightedIndex: mass > 0 ? weighted / mass : nil,
                measures: measures)
        }
    }
}

/// A network period's summary as kept: the organisations it was computed over (as a key), its
/// ties, tie-weighted index, density, centralisation and directness.
enum NetworkSummaryText {
    /// FNV-1a over each organisation's id and side: a new organisation, or one moved to another
    /// side of the divide, changes every period's density and directness.
    static func nodesKey(_ nodes: [(id: String, side: NetworkMeasures.Side)]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for node in nodes {
            for byte in (node.id + ":" + node.side.rawValue + "\n").utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return String(hash, radix: 16)
    }

    static func text(_ p: NetworkPeriod, nodesKey: String) -> String {
        [
            nodesKey, "\(p.ties)", ClimateResultText.number(p.tieWeightedIndex), ClimateResultText.number(p.measures.density),
            ClimateResultText.number(p.measures.degreeCentralisation), ClimateResultText.number(p.measures.directness)
        ].joined(separator: " ")
    }

    /// The period, or nil when the text is not in this form or was computed over other organisations.
    static func period(_ text: String, start: CalendarDate, end: CalendarDate, nodesKey: String) -> NetworkPeriod? {
        let f = ClimateResultText.fields(text[...])
        guard f.count == 6, f[0] == nodesKey, let ties = Int(f[1]), let index = ClimateResultText.number(f[2]),
            let density = ClimateResultText.number(f[3]) ?? nil, let centralisation = ClimateResultText.number(f[4]) ?? nil,
            let directness = ClimateResultText.number(f[5])
        else { return nil }
        return NetworkPeriod(
            start: start, end: end, ties: ties, tieWeightedIndex: index,
            measures: NetworkMeasures(density: density, degreeCentralisation: centralisation, degree: [:], betweenness: [:], directness: directness))
    }
}

/// One tie on the network map: a pair with contact in the period, its index and how much it carried.
public struct NetworkTie: Codable, Sendable, Equatable {
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
        return try await keptOrComputed(
            .ties, period, start: start, days: start..<end, weights: weights, reading: NetworkTiesText.ties, writing: NetworkTiesText.text
        ) {
            let pairs = try await database.read { db in try await Self.pairPeriods(db, pair: nil, period: period, from: start, to: end) }
            return pairs.compactMap { key, days -> NetworkTie? in
                guard let climate = days.periods(period, from: start, to: end, weights: weights).first, climate.counts.interactions > 0 else {
                    return nil
                }
                return NetworkTie(
                    organizationIds: key.split(separator: "|").map { ID(String($0)) }, interactions: climate.counts.interactions,
                    index: climate.index)
            }.sorted { ($0.organizationIds[0].raw, $0.organizationIds[1].raw) < ($1.organizationIds[0].raw, $1.organizationIds[1].raw) }
        }
    }
}

/// A period's ties as kept: one line per pair, "lo hi interactions index".
enum NetworkTiesText {
    static func text(_ ties: [NetworkTie]) -> String {
        ties.map { tie in
            (tie.organizationIds.map(\.raw) + ["\(tie.interactions)", ClimateResultText.number(tie.index)]).joined(separator: " ")
        }.joined(separator: "\n")
    }

    static func ties(_ text: String) -> [NetworkTie]? {
        var out: [NetworkTie] = []
        for line in ClimateResultText.lines(text) {
            let f = ClimateResultText.fields(line)
            guard f.count == 4, let interactions = Int(f[2]), let index = ClimateResultText.number(f[3]) else { return nil }
            out.append(NetworkTie(organizationIds: [ID(String(f[0])), ID(String(f[1]))], interactions: interactions, index: index))
        }
        return out
    }
}
