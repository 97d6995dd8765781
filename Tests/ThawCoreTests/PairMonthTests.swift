import Testing
@testable import ThawCore

/// A pair's month row: what it stores reads back the same, and its weeks and
/// months equal counting the same entries day by day.
@Suite struct PairMonthTests {
    /// One entry: a day, its counts and maybe a person.
    struct Entry { var day: CalendarDate; var counts: PairCounts; var person: String? }

    static func randomEntries(_ n: Int, from first: CalendarDate, days: Int, using rng: inout some RandomNumberGenerator) -> [Entry] {
        (0..<n).map { _ in
            var counts = PairCounts()
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: counts.formal = 1; counts.loToHi = 1
            case 1: counts.informal = 1; counts.onTime = Int.random(in: 0...1, using: &rng)
            case 2: counts.referral = 1; counts.hiToLo = 1; counts.kept = 1
            default: counts.late = 1  // an overdue item: no contact
            }
            let person = Bool.random(using: &rng) ? "usr_\(Int.random(in: 0..<6, using: &rng))" : nil
            return Entry(day: CalendarDate(first.startOfDay.adding(days: Int.random(in: 0..<days, using: &rng))), counts: counts, person: person)
        }
    }

    static func months(_ entries: [Entry]) -> [CalendarDate: PairMonth] {
        var months: [CalendarDate: PairMonth] = [:]
        for e in entries.shuffled() {
            months[CalendarDate(year: e.day.year, month: e.day.month, day: 1)!, default: PairMonth()].add(
                day: e.day.day, counts: e.counts, person: e.person)
        }
        return months
    }

    @Test func weeksAndMonthsEqualCountingDayByDay() throws {
        var rng = SeededGenerator(seed: 11)
        let first = CalendarDate("2023-12-18")!
        for round in 0..<40 {
            let entries = Self.randomEntries(Int.random(in: 1...120, using: &rng), from: first, days: 120, using: &rng)
            let months = Self.months(entries)
            // A range that may cut weeks and months anywhere.
            let from = CalendarDate(first.startOfDay.adding(days: Int.random(in: 0..<40, using: &rng)))
            let to = CalendarDate(from.startOfDay.adding(days: Int.random(in: 1..<90, using: &rng)))
            var weeks: [Int: WeekPart<String>] = [:]
            for (start, month) in months {
                for (week, part) in month.weeks(of: start, within: from..<to) { weeks[week, default: WeekPart()].merge(part) }
            }
            let inside = entries.filter { $0.day >= from && $0.day < to }
            let expected = Dictionary(grouping: inside, by: { $0.day.weekNumber })
            #expect(Set(weeks.keys) == Set(expected.keys), "round \(round)")
            for (week, group) in expected {
                let part = try #require(weeks[week])
                #expect(part.counts == group.reduce(PairCounts()) { $0 + $1.counts }, "round \(round) week \(week)")
                #expect(part.contact == group.contains { $0.counts.interactions > 0 })
                #expect(part.people == Set(group.compactMap(\.person)))
            }
            for (start, month) in months {
                let group = entries.filter { $0.day.year == start.year && $0.day.month == start.month }
                #expect(month.total == group.reduce(PairCounts()) { $0 + $1.counts })
                #expect(month.contactWeeks(of: start) == Set(group.filter { $0.counts.interactions > 0 }.map(\.day.weekNumber)).count)
                #expect(month.people.count == Set(group.compactMap(\.person)).count)
            }
        }
    }

    @Test func theStoredTextReadsBackTheSameMonth() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<30 {
            for (_, month) in Self.months(
                Self.randomEntries(Int.random(in: 1...300, using: &rng), from: CalendarDate("2024-02-01")!, days: 29, using: &rng))
            {
                let read = try #require(PairMonth(daysText: month.daysText, peopleText: month.peopleText))
                #expect(read == month)
                #expect(read.daysText == month.daysText && read.peopleText == month.peopleText)
            }
        }
        var month = PairMonth()
        var counts = PairCounts(); counts.formal = 12; counts.loToHi = 1; counts.late = 3
        month.add(day: 17, counts: counts, person: "usr_b")
        month.add(day: 3, counts: counts, person: "usr_a")
        month.add(day: 17, counts: counts, person: "usr_a")
        #expect(month.daysText == "3a1c12k3,17a2c24k6")
        #expect(month.peopleText == "65540 usr_a\n65536 usr_b")
        for bad in ["x", "0a1", "32a1", "3z1", "3a", "3a1,,"] {
            #expect(PairMonth(daysText: bad, peopleText: "") == nil, "\(bad)")
        }
        #expect(PairMonth(daysText: "", peopleText: "usr_a") == nil)
    }

    @Test func weeksAreNumberedFromMondays() {
        // 1970-01-01 was a Thursday; weeks run Monday to Sunday, before 1970 too.
        #expect(CalendarDate("1970-01-01")!.weekday == 3 && CalendarDate("1969-12-29")!.weekday == 0)
        #expect(CalendarDate("1969-12-29")!.weekNumber == CalendarDate("1970-01-04")!.weekNumber)
        #expect(CalendarDate("1969-12-28")!.weekNumber == CalendarDate("1969-12-29")!.weekNumber - 1)
        var day = CalendarDate("2019-12-23")!
        for _ in 0..<(366 * 4) {
            let next = CalendarDate(day.startOfDay.adding(days: 1))
            #expect(next.weekNumber == day.weekNumber + (next.weekday == 0 ? 1 : 0))
            #expect(next.weekday == (day.weekday + 1) % 7)
            day = next
        }
    }
}

/// SplitMix64, so the random months repeat from run to run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
