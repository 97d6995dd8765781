/// One pair's climate in one calendar month, as it is stored: the counts of
/// each day with activity, and the days on which each person took part. The
/// month's sums, its weeks with contact, and every week's sums and people are
/// derived from it, so one row per pair and month serves weeks and months alike
/// (a week across two months takes its days from both).
///
/// Generic over how a person is named (the store keeps user ids).
public struct PairMonthOf<Person: Hashable & Sendable>: Sendable {
    public typealias Day = PairDay

    /// Days of the month with activity, in day order.
    public internal(set) var days: [Day] = []
    /// Each person who took part, with bit d-1 set for each day d they did.
    public internal(set) var people: [Person: UInt32] = [:]

    public init() {}

    /// Adds one entry's counts on day `day` (1...31), and its author if known.
    public mutating func add(day: Int, counts: PairCounts, person: Person?) {
        // Entries mostly arrive in time order, so the day is usually the last one.
        var index = days.count
        while index > 0, days[index - 1].day > day { index -= 1 }
        if index > 0, days[index - 1].day == day {
            days[index - 1].counts = days[index - 1].counts + counts
        } else {
            days.insert(Day(day: day, counts: counts), at: index)
        }
        if let person { people[person, default: 0] |= 1 << UInt32(day - 1) }
    }

    public var total: PairCounts { days.reduce(PairCounts()) { $0 + $1.counts } }

    /// Distinct weeks (Monday-based) with contact on a day of this month.
    public func contactWeeks(of month: CalendarDate) -> Int {
        // Days are in order, so a new week shows as a change of week number.
        var weeks = 0, lastWeek = Int.min
        for day in days where day.counts.interactions > 0 {
            let week = Self.week(of: day.day, in: month)
            if week != lastWeek { weeks += 1; lastWeek = week }
        }
        return weeks
    }

    /// The month's share of each week it touches, by week number, counting only
    /// its days within `range` (a range cutting a week counts the days inside).
    public func weeks(of month: CalendarDate, within range: Range<CalendarDate>) -> [Int: WeekPart<Person>] {
        // Days of this month inside the range, as a mask like the people's.
        var inRange: UInt32 = 0
        for day in 1...CalendarMath.daysIn(month: month.month, year: month.year) where range.contains(date(month, day)) {
            inRange |= 1 << UInt32(day - 1)
        }
        var out: [Int: WeekPart<Person>] = [:]
        for day in days where inRange & (1 << UInt32(day.day - 1)) != 0 {
            let week = Self.week(of: day.day, in: month)
            out[week, default: WeekPart()].counts = out[week, default: WeekPart()].counts + day.counts
            if day.counts.interactions > 0 { out[week]!.contact = true }
        }
        for (person, mask) in people {
            var bits = mask & inRange
            while bits != 0 {
                let day = bits.trailingZeroBitCount + 1
                out[Self.week(of: day, in: month), default: WeekPart()].people.insert(person)
                // The person is in this week now: skip its remaining days.
                let nextMonday = day + 7 - (month.weekday + day - 1) % 7
                bits &= nextMonday > 32 ? 0 : ~UInt32(0) << UInt32(nextMonday - 1)
            }
        }
        return out
    }

    /// The week number of day `day` of the month starting on `month`.
    static func week(of day: Int, in month: CalendarDate) -> Int {
        month.weekNumber + (month.weekday + day - 1) / 7
    }

    private func date(_ month: CalendarDate, _ day: Int) -> CalendarDate {
        CalendarDate(year: month.year, month: month.month, day: day)!
    }
}

/// One day's counts within a `PairMonth`.
public struct PairDay: Equatable, Sendable {
    public var day: Int
    public var counts: PairCounts
}

/// A month's share of one week: the counts of its days, whether any had contact, and who took part.
public struct WeekPart<Person: Hashable & Sendable>: Sendable {
    public var counts = PairCounts()
    public var contact = false
    public var people: Set<Person> = []

    public init() {}

    public mutating func merge(_ other: WeekPart<Person>) {
        counts = counts + other.counts
        contact = contact || other.contact
        people.formUnion(other.people)
    }
}

public typealias PairMonth = PairMonthOf<String>

extension PairMonthOf: Equatable where Person: Equatable {}

extension CalendarDate {
    /// Monday-based week number since 1970 (1970-01-01 was a Thursday): days since then plus three, over seven.
    public var weekNumber: Int { shiftedDays.floorDivided(by: 7) }
    /// 0 for Monday ... 6 for Sunday.
    public var weekday: Int { shiftedDays - 7 * weekNumber }
    private var shiftedDays: Int { CalendarMath.days(year: year, month: month, day: day) + 3 }
}
