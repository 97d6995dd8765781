import Testing
import ThawCore

/// Opening hours read from HSDS schedules, and the rules an import holds schedules and postal codes to.
@Suite struct DirectoryRulesTests {
    func schedule(_ fields: [String: HSDSRecord.Value]) -> HSDSRecord { HSDSRecord(entity: "schedule", id: "s", fields: fields) }

    /// 2026-12-07 is a Monday.
    func moment(_ date: String, _ hour: Int, _ minute: Int = 0) -> Timestamp {
        CalendarDate(date)!.startOfDay.adding(seconds: Int64(hour * 3600 + minute * 60))
    }

    @Test func weeklyWindowsOpenAndCloseOnTheirDaysInLocalTime() {
        let hours = WeeklyHours(
            windows: WeeklyHours.windows(
                of: schedule(["byday": .text("MO, WE"), "opens_at": .text("09:30"), "closes_at": .text("17:00:00")])))
        #expect(hours.windows.map(\.day) == [1, 3])
        #expect(hours.isOpen(at: moment("2026-12-07", 9, 30), localOffsetHours: 0))
        #expect(!hours.isOpen(at: moment("2026-12-07", 9, 29), localOffsetHours: 0))
        #expect(!hours.isOpen(at: moment("2026-12-07", 17), localOffsetHours: 0))  // closing time is closed
        #expect(!hours.isOpen(at: moment("2026-12-08", 12), localOffsetHours: 0))  // Tuesday
        // 14:00 UTC is 09:00 at UTC−5: not yet open; 15:00 UTC is.
        #expect(!hours.isOpen(at: moment("2026-12-07", 14), localOffsetHours: -5))
        #expect(hours.isOpen(at: moment("2026-12-07", 15), localOffsetHours: -5))
        // Monday 02:00 UTC is still Sunday at UTC−5.
        #expect(!hours.isOpen(at: moment("2026-12-07", 2), localOffsetHours: -5))
        #expect(WeeklyHours(stored: hours.stored) == hours)
    }

    @Test func aNightWindowRunsPastMidnightAndAScheduleMayGiveItsOwnOffset() {
        let night = WeeklyHours(
            windows: WeeklyHours.windows(
                of: schedule(["byday": .text("FR"), "opens_at": .text("20:00"), "closes_at": .text("08:00"), "timezone": .number(-7)])))
        // Friday 22:00 and Saturday 07:59 at UTC−7, whatever the network's offset.
        #expect(night.isOpen(at: moment("2026-12-12", 5), localOffsetHours: 2))
        #expect(night.isOpen(at: moment("2026-12-12", 14, 59), localOffsetHours: 2))
        #expect(!night.isOpen(at: moment("2026-12-12", 15), localOffsetHours: 2))
        #expect(WeeklyHours(stored: night.stored) == night)
    }

    @Test func schedulesThatSayNothingWeeklyGiveNoHours() {
        #expect(
            WeeklyHours.windows(
                of: schedule(["freq": .text("MONTHLY"), "byday": .text("1MO"), "opens_at": .text("09:00"), "closes_at": .text("12:00")])
            ).isEmpty)
        #expect(WeeklyHours.windows(of: schedule(["byday": .text("MO"), "description": .text("mornings")])).isEmpty)
        let expired = schedule(["byday": .text("MO"), "opens_at": .text("09:00"), "closes_at": .text("12:00"), "valid_to": .text("2025-12-31")])
        #expect(WeeklyHours.windows(of: expired, validOn: "2026-12-07").isEmpty)
        #expect(!WeeklyHours.windows(of: expired, validOn: "2025-06-01").isEmpty)
    }

    @Test func timesAndDaysParseOnlyInTheirForms() {
        #expect(WeeklyHours.minutes("00:00") == 0 && WeeklyHours.minutes("24:00") == 1440 && WeeklyHours.minutes("13:05:59") == 785)
        for bad in ["9am", "9:00", "24:30", "12:60", "12:00:61", "", "１２:００", "12-00"] { #expect(WeeklyHours.minutes(bad) == nil, "\(bad)") }
        #expect(WeeklyHours.bydayProblem("MO,TU,SU") == nil && WeeklyHours.bydayProblem("1MO,-1FR") == nil)
        for bad in ["MON", "MO,", "XX", "0MO", "60MO"] { #expect(WeeklyHours.bydayProblem(bad) != nil, "\(bad)") }
    }

    @Test func postalCodesFollowTheirCountrysForm() {
        #expect(PostalCode.problem("T5J 0N3", country: "CA") == nil && PostalCode.problem("k1a0b1", country: "Canada") == nil)
        for bad in ["123 ABC", "T5J 0N", "T5J-0N3X", "Ｔ5J 0N3"] { #expect(PostalCode.problem(bad, country: "CA") != nil, "\(bad)") }
        #expect(PostalCode.problem("ABC 1234", country: "US") == nil)  // elsewhere, any plausible code
        #expect(PostalCode.problem("<script>", country: "GB") != nil)
    }

    @Test func freshnessAndWaitsInWords() {
        let now = moment("2026-12-07", 12)
        #expect(Freshness.isStale(verifiedAt: nil, policyDays: 180, now: now))
        #expect(!Freshness.isStale(verifiedAt: now.adding(days: -180), policyDays: 180, now: now))
        #expect(Freshness.isStale(verifiedAt: now.adding(days: -181), policyDays: 180, now: now))
        #expect(Freshness.waitTime(days: 0) == "No wait" && Freshness.waitTime(days: 7) == "About 7 days")
        #expect(Freshness.waitTime(days: 14) == "About 2 weeks" && Freshness.waitTime(days: 90) == "About 3 months")
    }
}
