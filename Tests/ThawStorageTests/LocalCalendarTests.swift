import Testing
import ThawCore
import ThawStorage

/// Days and wall clocks in an organisation's time zone, across the changes of clocks.
@Suite struct LocalCalendarTests {
    func at(_ text: String) -> Timestamp { ISO8601.parse(text) ?? Timestamp(millis: 0) }
    func day(_ text: String) -> CalendarDate { CalendarDate(text) ?? CalendarDate(Timestamp(millis: 0)) }
    let edmonton = LocalCalendar("America/Edmonton")

    @Test func aDayBeginsAtLocalMidnightOnEitherSideOfTheChangeOfClocks() {
        #expect(edmonton.startOfDay(day("2026-01-15")) == at("2026-01-15T07:00:00Z"))  // MST, UTC−7
        #expect(edmonton.startOfDay(day("2026-07-15")) == at("2026-07-15T06:00:00Z"))  // MDT, UTC−6
        // 8 March 2026: clocks spring forward at 02:00, so that day has 23 hours.
        let short = edmonton.endOfDay(day("2026-03-08")).millis - edmonton.startOfDay(day("2026-03-08")).millis
        #expect(short == 23 * 3_600_000)
        // 1 November 2026: they fall back at 02:00, so that day has 25.
        let long = edmonton.endOfDay(day("2026-11-01")).millis - edmonton.startOfDay(day("2026-11-01")).millis
        #expect(long == 25 * 3_600_000)
    }

    @Test func theLocalDayIsNotTheUTCDayInTheEvening() {
        // 20:30 in Edmonton on 7 December is already 8 December in UTC.
        let evening = at("2026-12-08T03:30:00Z")
        #expect(CalendarDate(evening) == day("2026-12-08"))
        #expect(edmonton.day(of: evening) == day("2026-12-07"))
        #expect(LocalCalendar("Asia/Tokyo").day(of: at("2026-12-07T16:00:00Z")) == day("2026-12-08"))
    }

    @Test func wallClockSaysTheZonesName() {
        let winter = edmonton.wallClock(at("2026-12-07T16:06:00Z"))
        #expect(winter.date == day("2026-12-07") && winter.minutes == 9 * 60 + 6 && winter.abbreviation == "MST")
        #expect(edmonton.wallClock(at("2026-07-07T15:06:00Z")).abbreviation == "MDT")
        #expect(LocalCalendar("America/Toronto").wallClock(at("2026-12-07T14:06:00Z")).minutes == 9 * 60 + 6)
        #expect(LocalCalendar.utc.wallClock(at("2026-12-07T09:06:00Z")).abbreviation == "UTC")
    }

    @Test func aSkippedMidnightStartsTheDayWhenTheClocksJump() {
        // Santiago springs forward at midnight (6 September 2026): the day begins at 01:00, UTC−3.
        let santiago = LocalCalendar("America/Santiago")
        let start = santiago.startOfDay(day("2026-09-06"))
        #expect(start == at("2026-09-06T04:00:00Z"))
        #expect(santiago.day(of: start) == day("2026-09-06"))
        #expect(santiago.wallClock(start).minutes == 60)
    }

    @Test func aLocalTimeOfDayIsItsUTCMoment() {
        #expect(edmonton.localMoment(day("2026-12-07"), secondsIntoDay: 9 * 3600 + 30 * 60) == at("2026-12-07T16:30:00Z"))
        // 01:30 happens twice on 1 November; the first passing is meant.
        #expect(edmonton.localMoment(day("2026-11-01"), secondsIntoDay: 90 * 60) == at("2026-11-01T07:30:00Z"))
    }

    @Test func theWeekStartsOnMondayLocally() {
        // Sunday 13 December 2026, 22:00 in Edmonton (Monday in UTC): the week began Monday 7 December.
        #expect(edmonton.startOfWeek(at("2026-12-14T05:00:00Z")) == at("2026-12-07T07:00:00Z"))
    }

    @Test func anUnknownOrMissingZoneIsUTC() {
        #expect(LocalCalendar("Mars/Olympus_Mons").identifier == "UTC")
        #expect(LocalCalendar(nil).startOfDay(day("2026-12-07")) == day("2026-12-07").startOfDay)
    }

    @Test func aFollowUpIsDueTodayUntilItsDaysEndThenOverdue() {
        let due = edmonton.endOfDay(day("2026-12-07"))
        #expect(edmonton.followUpDay(at("2026-12-07T16:00:00Z")).contains(due))  // 09:00 that day
        #expect(edmonton.followUpDay(at("2026-12-08T06:30:00Z")).contains(due))  // 23:30 that day
        #expect(!edmonton.followUpDay(at("2026-12-08T07:30:00Z")).contains(due))  // 00:30 the next
        #expect(edmonton.followUpDay(at("2026-12-08T07:30:00Z")).after >= due)  // so overdue
    }
}
