import Foundation
import ThawCore

/// Days and clock times as the people of one organisation live them: which
/// day it is there, when that day begins, and what their wall clock reads.
/// Stored times stay UTC; this is only how they are cut into days and shown.
public struct LocalCalendar: Sendable, Equatable {
    /// The IANA name, e.g. "America/Edmonton"; "UTC" when none was given or known.
    public let identifier: String
    private let zone: TimeZone

    /// The zone named, or UTC when the name is missing or unknown.
    public init(_ identifier: String?) {
        if let identifier, let zone = TimeZone(identifier: identifier) {
            self.identifier = identifier
            self.zone = zone
        } else {
            self.identifier = "UTC"
            self.zone = .gmt
        }
    }

    public static let utc = LocalCalendar(nil)

    public static func == (a: LocalCalendar, b: LocalCalendar) -> Bool { a.identifier == b.identifier }

    /// Seconds the wall clock is ahead of UTC at that moment (negative west of Greenwich).
    public func offsetSeconds(at timestamp: Timestamp) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(timestamp.millis) / 1000))
    }

    /// The local day a moment falls on.
    public func day(of timestamp: Timestamp) -> CalendarDate {
        CalendarDate(timestamp.adding(seconds: Int64(offsetSeconds(at: timestamp))))
    }

    /// The moment a local day begins. Where a change of clocks skips midnight,
    /// the first moment of the day that exists.
    public func startOfDay(_ date: CalendarDate) -> Timestamp {
        localMoment(date, secondsIntoDay: 0)
    }

    /// The moment a local day ends (the next day's start): what "due on" a day means.
    public func endOfDay(_ date: CalendarDate) -> Timestamp { startOfDay(date.adding(days: 1)) }

    /// The UTC moment of a local date and wall-clock time. A wall time the clocks pass twice
    /// (when they fall back) is its first passing; one they skip (when they spring forward) is
    /// the moment the clocks jump, the first that exists after it.
    public func localMoment(_ date: CalendarDate, secondsIntoDay: Int) -> Timestamp {
        let wall = date.startOfDay.adding(seconds: Int64(secondsIntoDay))
        // Clocks change at most once around a given wall time: the offsets a day either side are the candidates.
        let before = offsetSeconds(at: wall.adding(days: -1)), after = offsetSeconds(at: wall.adding(days: 1))
        let fits = [before, after].map { wall.adding(seconds: -Int64($0)) }.filter { wallMillis(of: $0) == wall.millis }
        return fits.min() ?? wall.adding(seconds: -Int64(before))
    }

    /// The wall clock's reading of a moment, as if it were UTC.
    private func wallMillis(of timestamp: Timestamp) -> Int64 { timestamp.adding(seconds: Int64(offsetSeconds(at: timestamp))).millis }

    /// Monday 00:00, local time, of the week a moment falls in.
    public func startOfWeek(_ timestamp: Timestamp) -> Timestamp {
        let today = day(of: timestamp)
        let days = Int(today.startOfDay.millis / 86_400_000)
        return startOfDay(today.adding(days: -((days + 3) % 7)))
    }

    /// What the wall clock reads: the local day, minutes past midnight, and the zone's short name then.
    public func wallClock(_ timestamp: Timestamp) -> (date: CalendarDate, minutes: Int, abbreviation: String) {
        let offset = offsetSeconds(at: timestamp)
        let local = timestamp.adding(seconds: Int64(offset))
        let minutes = Int((local.millis % 86_400_000 + 86_400_000) % 86_400_000 / 60_000)
        return (CalendarDate(local), minutes, abbreviation(at: timestamp, offset: offset))
    }

    /// "MST", "EDT" (as Canadians write them); where there is no such name, "UTC−7".
    private func abbreviation(at timestamp: Timestamp, offset: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(timestamp.millis) / 1000)
        let style: TimeZone.NameStyle = zone.isDaylightSavingTime(for: date) ? .shortDaylightSaving : .shortStandard
        if let name = zone.localizedName(for: style, locale: Self.canadianEnglish), name.first?.isLetter == true,
            !name.hasPrefix("GMT"), !name.hasPrefix("UTC")
        {
            return name
        }
        if offset == 0 { return "UTC" }
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return "UTC" + (offset < 0 ? "−" : "+") + "\(hours)" + (minutes == 0 ? "" : ":\(minutes < 10 ? "0" : "")\(minutes)")
    }

    private static let canadianEnglish = Locale(identifier: "en_CA")
}

/// The moments a follow-up falls due on one local day: after the day began, up to and including
/// its end. Due dates are kept as the end of their day (local midnight), so one due "on" a day
/// is due that day and overdue from the next.
public struct DueDay: Sendable, Equatable {
    public let after: Timestamp
    public let through: Timestamp
    public func contains(_ due: Timestamp) -> Bool { due > after && due <= through }
}

extension LocalCalendar {
    public func followUpDay(_ now: Timestamp) -> DueDay {
        let today = day(of: now)
        return DueDay(after: startOfDay(today), through: endOfDay(today))
    }
}
