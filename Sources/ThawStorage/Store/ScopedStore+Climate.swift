import ThawCore

/// One period of a pair's climate, with the inputs behind it.
public struct PeriodClimate: Codable, Sendable {
    public var start: CalendarDate
    public var end: CalendarDate          // exclusive
    public var counts: PairCounts
    public var people: Int
    public var weeksWithContact: Int
    public var weeksInPeriod: Int
    /// The pulse-survey round behind the survey component, if one applies.
    public var surveyRound: ID<SurveyRound>?
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
        let (days, people, surveys) = try await database.read { db in
            (try await db.query("SELECT * FROM climate_days WHERE org_lo = ? AND org_hi = ? AND day >= ? AND day < ? ORDER BY day", lo, hi, from, to),
             try await db.query("SELECT day, user_id FROM climate_day_people WHERE org_lo = ? AND org_hi = ? AND day >= ? AND day < ?", lo, hi, from, to),
             try await Self.pairSurveys(db, lo, hi, before: to))
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
                if let c = countsByDay[day] {
                    counts = counts + c
                    if c.interactions > 0 { contactWeeks.insert(Self.week(day)) }   // an overdue mark alone is not contact
                }
                who.formUnion(peopleByDay[day] ?? [])
                day = CalendarDate(day.startOfDay.adding(days: 1))
            }
            let survey = surveys.last { $0.closesOn < end && $0.closesOn.startOfDay.adding(days: SurveyComponent.validDays) >= end.startOfDay }
            let components = ClimateComponents.from(counts, weeksWithContact: contactWeeks.count, weeksInPeriod: weeks.count, people: who.count,
                                                    survey: survey?.value)
            out.append(PeriodClimate(start: start, end: end, counts: counts, people: who.count, weeksWithContact: contactWeeks.count,
                                     weeksInPeriod: weeks.count, surveyRound: survey?.round, components: components, index: weights.index(components)))
            start = end
        }
        return out
    }

    /// The closed survey rounds in which the two rated each other, oldest first, each with its
    /// survey component; items answered by fewer than three people are left out, as in the results.
    static func pairSurveys(_ db: any SQLConnection, _ lo: String, _ hi: String, before end: CalendarDate)
        async throws -> [(round: ID<SurveyRound>, closesOn: CalendarDate, value: Double)] {
        let rows = try await db.query("""
            SELECT r.id, r.closes_on, a.respondent_organization_id AS rater, a.item, SUM(a.score) AS total, COUNT(*) AS n
            FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
            WHERE ((a.respondent_organization_id = ? AND a.target_organization_id = ?) OR (a.respondent_organization_id = ? AND a.target_organization_id = ?))
              AND r.closes_on < ?
            GROUP BY r.id, r.closes_on, a.respondent_organization_id, a.item
            """, lo, hi, hi, lo, end)
        var byRound: [String: (closesOn: CalendarDate, directions: [String: [SurveyItem: Double]])] = [:]
        for row in rows where row.int("n") >= SurveyItem.minimumRespondents {
            guard let item = SurveyItem(rawValue: row.string("item")), let closes = CalendarDate(row.string("closes_on")) else { continue }
            byRound[row.string("id"), default: (closes, [:])].directions[row.string("rater"), default: [:]][item] = Double(row.int64("total")) / Double(row.int("n"))
        }
        return byRound.compactMap { id, round in
            SurveyComponent.value(Array(round.directions.values)).map { (ID(id), round.closesOn, $0) }
        }.sorted { ($0.closesOn, $0.round.raw) < ($1.closesOn, $1.round.raw) }
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
        answered = row.int("answered"); onTime = row.int("on_time"); late = row.int("late")
    }
}
