import ThawCore

/// One period of a pair's climate, with the inputs behind it.
public struct PeriodClimate: Codable, Sendable {
    public var start: CalendarDate
    public var end: CalendarDate          // exclusive
    public var counts: PairCounts
    public var people: Int
    public var weeksWithContact: Int
    public var weeksInPeriod: Int
    public var components: ClimateComponents
    public var index: Double?
}

public enum ClimatePeriod: String, Codable, Sendable, CaseIterable { case week, month }

extension ScopedStore {
    /// A pair's climate per week or month between two dates, from the stored
    /// aggregates; for people of either organisation.
    public func pairClimate(_ a: ID<Organization>, _ b: ID<Organization>, period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
                            weights: ClimateWeights = .equal) async throws -> [PeriodClimate] {
        guard a != b else { throw ThawError.invalid("organizationId", "distinct", "a pair is two different organisations") }
        guard actor.organizationID == a || actor.organizationID == b else { throw ThawError.notFound("the climate of organisations \(a) and \(b)") }
        guard from < to else { throw ThawError.invalid("to", "after-from", "the end of the range must come after its start") }
        guard to.startOfDay.millis - from.startOfDay.millis <= 5 * 366 * 86_400_000 else {
            throw ThawError.invalid("to", "range", "ask for at most five years at a time")
        }
        try weights.validate()
        let (lo, hi) = a.raw < b.raw ? (a.raw, b.raw) : (b.raw, a.raw)
        let (days, people) = try await database.read { db in
            (try await db.query("SELECT * FROM climate_days WHERE org_lo = ? AND org_hi = ? AND day >= ? AND day < ? ORDER BY day", lo, hi, from, to),
             try await db.query("SELECT day, user_id FROM climate_day_people WHERE org_lo = ? AND org_hi = ? AND day >= ? AND day < ?", lo, hi, from, to))
        }
        var countsByDay: [CalendarDate: PairCounts] = [:]
        for row in days { countsByDay[CalendarDate(row.string("day"))!] = PairCounts(row: row) }
        var peopleByDay: [CalendarDate: Set<String>] = [:]
        for row in people { peopleByDay[CalendarDate(row.string("day"))!, default: []].insert(row.string("user_id")) }
        // Reciprocity is direction-free, but lo/hi follow id order: nothing to flip for the pair as asked.
        var out: [PeriodClimate] = []
        var start = Self.periodStart(from, period)
        while start < to {
            let end = Self.periodEnd(start, period)
            var counts = PairCounts(), who: Set<String> = [], weeks: Set<Int> = [], contactWeeks: Set<Int> = []
            var day = start
            while day < end {
                weeks.insert(Self.week(day))
                if let c = countsByDay[day], c.interactions > 0 { counts = counts + c; contactWeeks.insert(Self.week(day)) }
                who.formUnion(peopleByDay[day] ?? [])
                day = CalendarDate(day.startOfDay.adding(days: 1))
            }
            let components = ClimateComponents.from(counts, weeksWithContact: contactWeeks.count, weeksInPeriod: weeks.count, people: who.count, survey: nil)
            out.append(PeriodClimate(start: start, end: end, counts: counts, people: who.count, weeksWithContact: contactWeeks.count,
                                     weeksInPeriod: weeks.count, components: components, index: weights.index(components)))
            start = end
        }
        return out
    }

    /// Monday-based week number since 1970 (1970-01-01 was a Thursday).
    static func week(_ day: CalendarDate) -> Int { (Int(day.startOfDay.millis / 86_400_000) + 3) / 7 }

    static func periodStart(_ day: CalendarDate, _ period: ClimatePeriod) -> CalendarDate {
        switch period {
        case .month: return CalendarDate(year: day.year, month: day.month, day: 1)!
        case .week:
            let days = Int(day.startOfDay.millis / 86_400_000)
            return CalendarDate(Timestamp(millis: Int64(days - (days + 3) % 7) * 86_400_000))
        }
    }

    static func periodEnd(_ start: CalendarDate, _ period: ClimatePeriod) -> CalendarDate {
        switch period {
        case .month: return start.month == 12 ? CalendarDate(year: start.year + 1, month: 1, day: 1)! : CalendarDate(year: start.year, month: start.month + 1, day: 1)!
        case .week: return CalendarDate(start.startOfDay.adding(days: 7))
        }
    }
}

extension PairCounts {
    /// A `climate_days` row's counters.
    init(row: SQLRow) {
        self.init()
        loToHi = row.int("lo_to_hi"); hiToLo = row.int("hi_to_lo"); formal = row.int("formal"); informal = row.int("informal")
        referral = row.int("referral"); kept = row.int("kept"); missed = row.int("missed"); adopted = row.int("adopted")
        answered = row.int("answered")
    }
}
