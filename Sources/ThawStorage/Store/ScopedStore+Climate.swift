import ThawCore

/// One period of a pair's climate, with the inputs behind it.
public struct PeriodClimate: Codable, Sendable {
    public var start: CalendarDate
    public var end: CalendarDate  // exclusive
    public var counts: PairCounts
    public var people: Int
    public var weeksWithContact: Int
    public var weeksInPeriod: Int
    /// The pulse-survey round behind the survey component, if one applies.
    public var surveyRound: ID<SurveyRound>?
    public var components: ClimateComponents
    public var index: Double?
}

public enum ClimatePeriod: String, Codable, Sendable, CaseIterable {
    case week, month

    /// `week` or `month`; nil gives `month`; anything else is an error naming `field`.
    public static func parse(_ raw: String?, field: String = "period") throws -> ClimatePeriod {
        guard let raw else { return .month }
        guard let period = ClimatePeriod(rawValue: raw) else { throw ThawError.invalid(field, "enum", "\(field) must be week or month") }
        return period
    }
}

extension ScopedStore {
    /// A pair's climate per week or month between two dates, from the stored
    /// aggregates; for people of either organisation and the network's partnership leads.
    public func pairClimate(
        _ a: ID<Organization>, _ b: ID<Organization>, period: ClimatePeriod, from: CalendarDate, to: CalendarDate,
        weights: ClimateWeights = .defaults
    ) async throws -> [PeriodClimate] {
        guard a != b else { throw ThawError.invalid("organizationId", "distinct", "a pair is two different organisations") }
        // People of either organisation, and the network's partnership leads and administrators (who see every tie on the map).
        guard actor.organizationId == a || actor.organizationId == b || actor.hasAny(Self.partnershipRoles) else {
            throw ThawError.notFound("the climate of organisations \(a) and \(b)")
        }
        guard from < to else { throw ThawError.invalid("to", "after-from", "the end of the range must come after its start") }
        guard to.startOfDay.millis - from.startOfDay.millis <= 5 * 366 * 86_400_000 else {
            throw ThawError.invalid("to", "range", "ask for at most five years at a time")
        }
        try weights.validate()
        let (lo, hi) = a.raw < b.raw ? (a.raw, b.raw) : (b.raw, a.raw)
        // Reciprocity is direction-free, but lo/hi follow id order: nothing to flip for the pair as asked.
        try await store.foldPendingClimate()
        return try await database.read { db in
            try await Self.requirePair(db, a, b)
            return try await Self.pairPeriods(db, pair: (lo, hi), period: period, from: from, to: to)[lo + "|" + hi, default: PairPeriods()]
        }.periods(period, from: from, to: to, weights: weights)
    }

    /// 404 unless both organisations of a pair exist: a pair that cannot exist has no climate or timeline, not an empty one.
    static func requirePair(_ db: any SQLConnection, _ a: ID<Organization>, _ b: ID<Organization>) async throws {
        let found = try await db.query("SELECT id FROM organizations WHERE id IN (?, ?)", a, b).count
        guard found == 2 else { throw ThawError.notFound("the pair of organisations \(a) and \(b)") }
    }

    /// Each pair's sums per week or month (keyed "lo|hi", then by period start) with the pair's
    /// survey rounds, for one pair or every pair: months from the sums kept in the month rows
    /// (whole months), weeks from the days each month row holds.
    static func pairPeriods(
        _ db: any SQLConnection, pair: (lo: String, hi: String)?, period: ClimatePeriod,
        from: CalendarDate, to: CalendarDate
    ) async throws -> [String: PairPeriods] {
        let filter = pair == nil ? "" : "org_lo = ? AND org_hi = ? AND "
        // The month rows holding any day of the range.
        let months: [SQLValue] = (pair.map { [.text($0.lo), .text($0.hi)] } ?? []) + [periodStart(from, .month).sqlValue, to.sqlValue]
        var out: [String: PairPeriods] = [:]
        if period == .month {
            // Not the day and people texts: months need only the sums kept beside them.
            let sums = (["org_lo", "org_hi", "month"] + ClimateSQL.counters + ["contact_weeks", "people"]).joined(separator: ", ")
            for row in try await db.query("SELECT \(sums) FROM climate_months WHERE \(filter)month >= ? AND month < ?", months) {
                out[row.string("org_lo") + "|" + row.string("org_hi"), default: PairPeriods()].sums[try row.calendarDate("month")] =
                    (PairCounts(row: row), row.int("contact_weeks"), row.int("people"))
            }
            for (pairKey, rounds) in try await surveys(db, pair: pair, before: to) { out[pairKey, default: PairPeriods()].surveys = rounds }
            return out
        }
        // Weeks from the month rows their days are in: a week across two months takes its days from both.
        var weeks: [String: [Int: WeekPart<String>]] = [:]
        for row in try await db.query(
            "SELECT org_lo, org_hi, month, days, members FROM climate_months WHERE \(filter)month >= ? AND month < ?", months)
        {
            guard let start = CalendarDate(row.string("month")),
                let month = PairMonth(daysText: row.string("days"), peopleText: row.string("members"))
            else {
                throw SQLError(
                    .other, "the climate row of \(row.string("org_lo")), \(row.string("org_hi")) in \(row.string("month")) is not in the stored form")
            }
            let pairKey = row.string("org_lo") + "|" + row.string("org_hi")
            for (week, part) in month.weeks(of: start, within: from..<to) { weeks[pairKey, default: [:]][week, default: WeekPart()].merge(part) }
        }
        for (pairKey, parts) in weeks {
            for (week, part) in parts {
                out[pairKey, default: PairPeriods()].sums[monday(ofWeek: week)] = (part.counts, part.contact ? 1 : 0, part.people.count)
            }
        }
        for (pairKey, rounds) in try await surveys(db, pair: pair, before: to) { out[pairKey, default: PairPeriods()].surveys = rounds }
        return out
    }

    /// The closed survey rounds in which two organisations rated each other, per pair ("lo|hi"),
    /// oldest first, each with its survey component; items answered by fewer than three people
    /// are left out, as in the results.
    static func surveys(_ db: any SQLConnection, pair: (lo: String, hi: String)?, before end: CalendarDate) async throws -> [String: [PairPeriods
        .Round]]
    {
        let filter =
            pair == nil
            ? ""
            : """
            ((a.respondent_organization_id = ? AND a.target_organization_id = ?) OR (a.respondent_organization_id = ? AND a.target_organization_id = ?)) AND
            """
        let key: [SQLValue] = pair.map { [.text($0.lo), .text($0.hi), .text($0.hi), .text($0.lo)] } ?? []
        let rows = try await db.query(
            """
            SELECT r.id, r.closes_on, a.respondent_organization_id AS rater, a.target_organization_id AS target, a.item, SUM(a.score) AS total, COUNT(*) AS n
            FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
            WHERE \(filter) r.closes_on < ?
            GROUP BY r.id, r.closes_on, a.respondent_organization_id, a.target_organization_id, a.item
            """, key + [end.sqlValue])
        var byRound: [String: [String: (closesOn: CalendarDate, directions: [String: [SurveyItem: Double]])]] = [:]
        for row in rows where row.int("n") >= SurveyItem.minimumRespondents {
            guard let item = SurveyItem(rawValue: row.string("item")), let closes = CalendarDate(row.string("closes_on")) else { continue }
            let (rater, target) = (row.string("rater"), row.string("target"))
            let pairKey = rater < target ? rater + "|" + target : target + "|" + rater
            byRound[pairKey, default: [:]][row.string("id"), default: (closes, [:])].directions[rater, default: [:]][item] =
                Double(row.int64("total")) / Double(row.int("n"))
        }
        return byRound.mapValues { rounds in
            rounds.compactMap { id, round in
                SurveyComponent.value(round.directions.sorted { $0.key < $1.key }.map(\.value)).map {
                    PairPeriods.Round(id: ID(id), closesOn: round.closesOn, value: $0)
                }
            }.sorted { ($0.closesOn, $0.id.raw) < ($1.closesOn, $1.id.raw) }
        }
    }

    /// The Monday of week number `week` (the inverse of `week(_:)` on Mondays).
    static func monday(ofWeek week: Int) -> CalendarDate { CalendarDate(Timestamp(millis: Int64(7 * week - 3) * 86_400_000)) }

    /// The Monday of the day's week.
    public static func weekStart(_ day: CalendarDate) -> CalendarDate { periodStart(day, .week) }

    /// The first day of the week (Monday) or month holding `day`.
    public static func periodStart(_ day: CalendarDate, _ period: ClimatePeriod) -> CalendarDate {
        switch period {
        case .month: return day.firstOfMonth
        case .week: return monday(ofWeek: day.weekNumber)
        }
    }

    public static func periodEnd(_ start: CalendarDate, _ period: ClimatePeriod) -> CalendarDate {
        switch period {
        case .month: return start.firstOfMonth(adding: 1)
        case .week: return start.adding(days: 7)
        }
    }
}

extension PairCounts {
    /// A month row's counters.
    init(row: SQLRow) {
        self.init { row.int(ClimateSQL.counters[$0]) }
    }
}

/// One pair's sums per period (from the database) and survey rounds, folded into periods on demand.
struct PairPeriods {
    struct Round { var id: ID<SurveyRound>; var closesOn: CalendarDate; var value: Double }
    var sums: [CalendarDate: (counts: PairCounts, contactWeeks: Int, people: Int)] = [:]
    var surveys: [Round] = []

    /// Weeks or months from `from` to `to`, each with its counts, people, survey and index.
    func periods(_ period: ClimatePeriod, from: CalendarDate, to: CalendarDate, weights: ClimateWeights) -> [PeriodClimate] {
        var out: [PeriodClimate] = []
        var start = ScopedStore.periodStart(from, period)
        while start < to {
            let end = ScopedStore.periodEnd(start, period)
            let sum = sums[start] ?? (PairCounts(), 0, 0)
            // Weeks touching the period (a week across two months counts in both).
            let weeks = period == .week ? 1 : (CalendarDate(end.startOfDay.adding(days: -1)).weekNumber - start.weekNumber + 1)
            let survey = surveys.last { $0.closesOn < end && $0.closesOn.startOfDay.adding(days: SurveyComponent.validDays) >= end.startOfDay }
            let components = ClimateComponents.from(
                sum.counts, weeksWithContact: sum.contactWeeks, weeksInPeriod: weeks, people: sum.people,
                survey: survey?.value)
            out.append(
                PeriodClimate(
                    start: start, end: end, counts: sum.counts, people: sum.people, weeksWithContact: sum.contactWeeks,
                    weeksInPeriod: weeks, surveyRound: survey?.id, components: components, index: weights.index(components)))
            start = end
        }
        return out
    }
}
