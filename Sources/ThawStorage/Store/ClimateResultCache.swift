import ThawCore

/// Climate results of whole periods that are over, kept so that the dashboard and the cooling list
/// do not recompute years of unchanging history on every visit (at ten million ledger entries,
/// seconds each time).
///
/// A result is kept only for the default weights, and only once its period ended more than an hour
/// before: by then every change made inside the period has committed and been folded (a read folds
/// what is pending before it computes, and no transaction runs for an hour). Nothing written later
/// reaches a period that is over, since the ledger dates an entry when it is written; should a
/// fold still change one of its days (a clock set back, entries copied in), the fold forgets every
/// result computed from that day, and a rebuild that changes a month row forgets them all. So a
/// kept result is always what computing it again would give.
enum ClimateResultCache {
    enum Kind: String {
        /// The network's figures for one period (`NetworkPeriod` without its per-organisation maps).
        case network
        /// Every pair with contact in one period, with its interactions and index.
        case ties
        /// The pairs cooling as of a period's start.
        case cooling
    }

    /// How long after a period ends its results may be kept.
    static let settlingMillis: Int64 = 3_600_000

    static func keeps(until end: CalendarDate, weights: ClimateWeights, now: Timestamp) -> Bool {
        weights == .defaults && end.startOfDay.millis + settlingMillis <= now.millis
    }

    static func name(_ kind: Kind, _ period: ClimatePeriod) -> String { kind.rawValue + "-" + period.rawValue }

    /// The kept values of one kind whose start is in `from..<to`, by start.
    static func read(_ db: any SQLConnection, _ kind: Kind, _ period: ClimatePeriod, from: CalendarDate, to: CalendarDate) async throws
        -> [CalendarDate: String]
    {
        var out: [CalendarDate: String] = [:]
        for row in try await db.query(
            "SELECT start, value FROM climate_results WHERE kind = ? AND start >= ? AND start < ?", name(kind, period), from, to)
        {
            if let start = CalendarDate(row.string("start")) { out[start] = row.string("value") }
        }
        return out
    }

    /// One result to keep, computed from the ledger's days `firstDay..<endDay`.
    struct Result {
        var kind: Kind, period: ClimatePeriod, start: CalendarDate, firstDay: CalendarDate, endDay: CalendarDate, value: String
    }

    static func keep(_ results: [Result], in database: any SQLDatabase) async throws {
        guard !results.isEmpty else { return }
        try await database.write { db in
            for result in results {
                try await db.execute(
                    """
                    INSERT INTO climate_results (kind, start, first_day, end_day, value) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (kind, start) DO UPDATE SET first_day = excluded.first_day, end_day = excluded.end_day, value = excluded.value
                    """, name(result.kind, result.period), result.start, result.firstDay, result.endDay, result.value)
            }
        }
    }

    /// Forgets every result computed from any day in `first...last` (the fold, for the days its entries fall on).
    static func forget(_ db: any SQLConnection, from first: CalendarDate, through last: CalendarDate) async throws {
        try await db.execute("DELETE FROM climate_results WHERE end_day > ? AND first_day <= ?", first, last)
    }

    static func forgetAll(_ db: any SQLConnection) async throws {
        try await db.execute("DELETE FROM climate_results", [])
    }
}

extension ScopedStore {
    /// One period's result: the one kept for it, else computed from the ledger's days `days` and kept
    /// when it may be (`ClimateResultCache.keeps`).
    func keptOrComputed<Value>(
        _ kind: ClimateResultCache.Kind, _ period: ClimatePeriod, start: CalendarDate, days: Range<CalendarDate>, weights: ClimateWeights,
        reading: (String) -> Value?, writing: (Value) -> String, computing: () async throws -> Value
    ) async throws -> Value {
        let keeping = ClimateResultCache.keeps(until: days.upperBound, weights: weights, now: now())
        let end = Self.periodEnd(start, period)
        if keeping, let text = try await database.read({ db in try await ClimateResultCache.read(db, kind, period, from: start, to: end)[start] }),
            let value = reading(text)
        {
            return value
        }
        let value = try await computing()
        if keeping {
            try await ClimateResultCache.keep(
                [.init(kind: kind, period: period, start: start, firstDay: days.lowerBound, endDay: days.upperBound, value: writing(value))],
                in: database)
        }
        return value
    }
}

/// The text a kept result is stored as: fields separated by spaces, records by new lines; a
/// missing number is "-". Doubles are written in Swift's shortest form that reads back exactly.
enum ClimateResultText {
    static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "-" }

    /// nil for "-"; `.none` (a failed read) for anything else that is not a number.
    static func number(_ field: Substring) -> Double?? {
        field == "-" ? .some(nil) : Double(field).map { .some($0) }
    }

    // Split on bytes, not characters: the text is ASCII, and a dashboard reads thousands of lines.
    static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { Substring($0) }
    }

    static func lines(_ text: String) -> [Substring] { text.utf8.split(separator: UInt8(ascii: "\n")).map { Substring($0) } }
}
