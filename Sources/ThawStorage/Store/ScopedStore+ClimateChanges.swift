import ThawCore

/// A pair's climate over time with its freezes and thaws.
public struct PairClimateHistory: Codable, Sendable {
    public struct Segment: Codable, Sendable {
        public var start: CalendarDate
        public var end: CalendarDate  // exclusive
        public var meanIndex: Double
        /// Freeze or thaw against the segment before; nil for the first.
        public var direction: FreezeThaw.Direction?
        /// Outside events (of either organisation, or of the whole network) from one period
        /// before the segment's start to one period after it: what may have moved it.
        public var eventsNearStart: [OutsideEvent]
    }
    /// Set when the pair is cooling at the end of the range (as in the cooling list).
    public struct Cooling: Codable, Sendable {
        public var reason: CoolingPartnership.Reason
        public var since: CalendarDate
        public var usualIndex: Double
        public var latestIndex: Double?
    }
    public var periods: [PeriodClimate]
    public var segments: [Segment]
    public var penalty: Double
    public var minSize: Int
    public var cooling: Cooling?

    /// A penalty above this finds no change point in any series Thaw can hold.
    public static let largestPenalty = 1_000_000.0
}

extension ScopedStore {
    /// The pair's periods as `pairClimate` gives them, with change points found in the index
    /// over the periods that have one (periods without data are left out of the series, not
    /// counted as zero), each segment labelled and set beside the events near its start.
    public func pairClimateHistory(
        _ a: ID<Organization>, _ b: ID<Organization>, period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
        weights: ClimateWeights = .defaults, penalty: Double? = nil, minSize: Int = 2
    ) async throws -> PairClimateHistory {
        if let penalty, !(penalty > 0 && penalty <= PairClimateHistory.largestPenalty) {
            throw ThawError.invalid("penalty", "range", "the penalty must be a number above 0 and at most \(Int(PairClimateHistory.largestPenalty))")
        }
        guard (1...52).contains(minSize) else { throw ThawError.invalid("minSize", "range", "minSize is a number of periods from 1 to 52") }
        let periods = try await pairClimate(a, b, period: period, from: from, to: to, weights: weights)
        let indexed = periods.filter { $0.index != nil }
        let analysis = try FreezeThaw.analyse(indexed.compactMap(\.index), penalty: penalty, minSize: minSize)
        let events = try await nearbyEvents(a, b, from: Self.periodStart(CalendarDate(from.startOfDay.adding(days: -1)), period), to: to)
        let segments = analysis.segments.map { segment -> PairClimateHistory.Segment in
            let start = indexed[segment.start].start
            let window = (Self.periodStart(CalendarDate(start.startOfDay.adding(days: -1)), period), Self.periodEnd(start, period))
            return PairClimateHistory.Segment(
                start: start, end: indexed[segment.end - 1].end, meanIndex: segment.mean, direction: segment.direction,
                eventsNearStart: segment.direction == nil ? [] : events.filter { $0.occurredOn >= window.0 && $0.occurredOn < window.1 })
        }
        // Only whole periods: the one under way would look like a collapse on its second day.
        let today = now()
        let cooling = Self.cooling(periods.filter { $0.end.startOfDay <= today }).map {
            PairClimateHistory.Cooling(reason: $0.reason, since: $0.since, usualIndex: $0.usual, latestIndex: $0.latest)
        }
        return PairClimateHistory(periods: periods, segments: segments, penalty: analysis.penalty, minSize: minSize, cooling: cooling)
    }

    /// Outside events affecting either organisation or naming none (the whole network), oldest first.
    public func nearbyEvents(_ a: ID<Organization>, _ b: ID<Organization>, from: CalendarDate, to: CalendarDate) async throws -> [OutsideEvent] {
        try await database.read { db in
            let rows = try await db.query(
                """
                SELECT DISTINCT e.id, e.occurred_on FROM outside_events e LEFT JOIN outside_event_organizations o ON o.event_id = e.id
                WHERE (o.organization_id IN (?, ?) OR o.organization_id IS NULL) AND e.occurred_on >= ? AND e.occurred_on < ?
                ORDER BY e.occurred_on, e.id
                """, a, b, from, to)
            var events: [OutsideEvent] = []
            for row in rows { events.append(try await Self.loadEvent(db, row.id("id"))) }
            return events
        }
    }
}

/// A partnership whose climate is falling now.
public struct CoolingPartnership: Codable, Sendable, Equatable {
    public enum Reason: String, Codable, Sendable, CaseIterable {
        /// The CUSUM alert went off in one of the last periods.
        case falling
        /// Regular contact (an index in most earlier periods) and none in the last two.
        case quiet
    }
    public var organizationIds: [ID<Organization>]
    public var names: [String]
    public var reason: Reason
    /// Where the fall began (falling), or the first period without contact (quiet).
    public var since: CalendarDate
    /// The usual level (the alert's baseline, or the mean before the silence) and the latest index.
    public var usualIndex: Double
    public var latestIndex: Double?
}

extension ScopedStore {
    /// Recent periods in which an alert counts as "now".
    static let coolingRecentPeriods = 3

    /// Partnerships cooling now, over the last two years of whole months (or a year of weeks),
    /// the steepest fall first; for partnership leads and administrators.
    public func coolingPartnerships(period: ClimatePeriod = .month, weights: ClimateWeights = .defaults) async throws -> [CoolingPartnership] {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "reading the network's climate")
        try weights.validate()
        // Whole periods only, up to the one under way (which would look like a collapse on its second day).
        let today = CalendarDate(now())
        let to = Self.periodStart(today, period)
        let from = Self.periodStart(CalendarDate(to.startOfDay.adding(days: period == .month ? -730 : -364)), period)
        try await store.foldPendingClimate()
        let names = try await database.read { db in
            try await db.query("SELECT id, name FROM organizations", []).reduce(into: [String: String]()) { $0[$1.string("id")] = $1.string("name") }
        }
        let found = try await keptOrComputed(
            .cooling, period, start: to, days: from..<to, weights: weights, reading: CoolingText.cooling, writing: CoolingText.text
        ) {
            let pairs = try await database.read { db in try await Self.pairPeriods(db, pair: nil, period: period, from: from, to: to) }
            return pairs.compactMap { key, days -> CoolingPartnership? in
                let ids = key.split(separator: "|").map(String.init)
                guard let finding = Self.cooling(days.periods(period, from: from, to: to, weights: weights)) else { return nil }
                return CoolingPartnership(
                    organizationIds: ids.map { ID($0) }, names: [], reason: finding.reason, since: finding.since, usualIndex: finding.usual,
                    latestIndex: finding.latest)
            }
        }
        return found.map { pair in
            var named = pair
            named.names = pair.organizationIds.map { names[$0.raw] ?? $0.raw }
            return named
        }.sorted {
            ($0.usualIndex - ($0.latestIndex ?? 0), $0.organizationIds[0].raw) > ($1.usualIndex - ($1.latestIndex ?? 0), $1.organizationIds[0].raw)
        }
    }

    /// Whether one pair's periods show it cooling now, and how.
    static func cooling(_ periods: [PeriodClimate]) -> (reason: CoolingPartnership.Reason, since: CalendarDate, usual: Double, latest: Double?)? {
        let recentStart = periods.count - coolingRecentPeriods
        let indexed = periods.enumerated().compactMap { offset, p in p.index.map { (offset: offset, start: p.start, index: $0) } }
        let earlier = indexed.filter { $0.offset < periods.count - 2 }
        // Quiet: contact in at least half of the earlier periods (and at least three), none in the last two.
        if let last = indexed.last, last.offset < periods.count - 2, earlier.count >= 3, earlier.count * 2 >= periods.count - 2 {
            return (
                .quiet, periods[last.offset + 1].start,
                earlier.suffix(FreezeThaw.baselinePeriods).map(\.index).reduce(0, +)
                    / Double(min(earlier.count, FreezeThaw.baselinePeriods)), nil
            )
        }
        let recent = indexed.filter { $0.offset >= recentStart }.count
        guard let (alert, usual) = try? FreezeThaw.coolingAlert(indexed.map(\.index), recent: recent) else { return nil }
        return (.falling, indexed[alert.startedAt].start, usual, indexed.last?.index)
    }
}

/// The cooling list as kept: one line per pair, "lo hi reason since usual latest" (names are read when shown).
enum CoolingText {
    static func text(_ list: [CoolingPartnership]) -> String {
        list.map { pair in
            (pair.organizationIds.map(\.raw) + [
                pair.reason.rawValue, pair.since.description, ClimateResultText.number(pair.usualIndex), ClimateResultText.number(pair.latestIndex)
            ]).joined(separator: " ")
        }.joined(separator: "\n")
    }

    static func cooling(_ text: String) -> [CoolingPartnership]? {
        var out: [CoolingPartnership] = []
        for line in ClimateResultText.lines(text) {
            let f = ClimateResultText.fields(line)
            guard f.count == 6, let reason = CoolingPartnership.Reason(rawValue: String(f[2])), let since = CalendarDate(String(f[3])),
                let usual = ClimateResultText.number(f[4]) ?? nil, let latest = ClimateResultText.number(f[5])
            else { return nil }
            out.append(
                CoolingPartnership(
                    organizationIds: [ID(String(f[0])), ID(String(f[1]))], names: [], reason: reason, since: since, usualIndex: usual,
                    latestIndex: latest))
        }
        return out
    }
}
