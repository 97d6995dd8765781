/// The opening hours a directory knows for a service: the weekly windows of its HSDS schedules
/// (`freq` WEEKLY, `byday`, `opens_at`–`closes_at`), each in the schedule's own UTC offset when
/// it gives one (`timezone`, in hours) or else in the network's local time. Monthly and other
/// schedules are kept in the directory but say nothing here: "open now" needs hours it can read.
public struct WeeklyHours: Sendable, Equatable {
    /// Days are 1 (Monday) to 7 (Sunday); minutes from local midnight. `closes` may pass
    /// midnight (`closes` > 1440), so a night shelter open 20:00–08:00 is one window.
    public struct Window: Sendable, Equatable {
        public var day: Int
        public var opens: Int
        public var closes: Int
        /// Hours east of UTC; nil: the network's local time.
        public var utcOffsetHours: Double?
    }

    public var windows: [Window]

    public init(windows: [Window]) { self.windows = windows }

    public static let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    /// The windows of one HSDS schedule record, or nil when it says nothing weekly we can read
    /// (no `byday`, a monthly rule, no hours). `validOn` (`YYYY-MM-DD`) leaves out schedules
    /// not in force that day.
    public static func windows(of schedule: HSDSRecord, validOn today: String? = nil) -> [Window] {
        guard (schedule["freq"] ?? "WEEKLY") == "WEEKLY", let byday = schedule["byday"], let opens = schedule["opens_at"].flatMap(minutes),
            let closes = schedule["closes_at"].flatMap(minutes)
        else { return [] }
        if let today {
            if let from = schedule["valid_from"], !from.isEmpty, today < String(from.prefix(10)) { return [] }
            if let to = schedule["valid_to"], !to.isEmpty, today > String(to.prefix(10)) { return [] }
        }
        let offset: Double? = schedule.fields["timezone"].flatMap { if case .number(let n) = $0 { n } else { nil } }
        return dayNumbers(byday).map { Window(day: $0, opens: opens, closes: closes > opens ? closes : closes + 1440, utcOffsetHours: offset) }
    }

    /// Whether a window covers the moment, given as UTC milliseconds and the network's local offset then.
    public func isOpen(at moment: Timestamp, localOffsetHours: Double) -> Bool {
        windows.contains { window in
            let offset = window.utcOffsetHours ?? localOffsetHours
            guard (-14...14).contains(offset) else { return false }  // no UTC offset lies outside (nor does NaN)
            let localMinutes = Int(moment.millis.floorDivided(by: 60_000)) + Int((offset * 60).rounded(.down))
            let dayIndex = Self.floorDivide(localMinutes, 1440)
            // 1970-01-01 was a Thursday (day 4).
            let weekday = Self.positiveModulo(dayIndex + 3, 7) + 1
            let minute = Self.positiveModulo(localMinutes, 1440)
            if weekday == window.day, minute >= window.opens, minute < min(window.closes, 1440) { return true }
            // Past midnight, still within yesterday's window.
            let yesterday = weekday == 1 ? 7 : weekday - 1
            return window.closes > 1440 && yesterday == window.day && minute < window.closes - 1440
        }
    }

    /// The windows as a compact text for storage: `day:opens-closes@offset` joined by `;`.
    public var stored: String {
        windows.map { w in "\(w.day):\(w.opens)-\(w.closes)" + (w.utcOffsetHours.map { "@\($0)" } ?? "") }.joined(separator: ";")
    }

    public init(stored: String) {
        windows = stored.split(separator: ";").compactMap { part in
            let halves = part.split(separator: "@", maxSplits: 1)
            let pieces = (halves.first ?? part).split(separator: ":")
            let offset = halves.count == 2 ? Double(halves[1]).flatMap { (-14...14).contains($0) ? $0 : nil } : nil
            guard pieces.count == 2, let day = Int(pieces[0]) else { return nil }
            let span = pieces[1].split(separator: "-")
            guard span.count == 2, let opens = Int(span[0]), let closes = Int(span[1]) else { return nil }
            return Window(day: day, opens: opens, closes: closes, utcOffsetHours: offset)
        }
    }

    /// `HH:MM` or `HH:MM:SS` (24-hour; `24:00` is the end of the day) as minutes from midnight.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let mins = Int(parts[1]), (0...59).contains(mins),
            parts.count == 2 || Int(parts[2]).map({ (0...59).contains($0) }) == true
        else { return nil }
        guard (0...23).contains(hours) || (hours == 24 && mins == 0) else { return nil }
        return hours * 60 + mins
    }

    /// `MO,TU` (an RFC 5545 BYDAY list; a leading ordinal such as `1MO` is a monthly rule's, read as the day) as day numbers.
    public static func dayNumbers(_ byday: String) -> [Int] {
        byday.split(separator: ",").compactMap { entry in
            let day = String(entry).trimmingWhitespace.uppercased().suffix(2)
            return days.firstIndex(of: String(day)).map { $0 + 1 }
        }
    }

    /// Why a `byday` list does not parse, or nil.
    public static func bydayProblem(_ byday: String) -> String? {
        for entry in byday.split(separator: ",", omittingEmptySubsequences: false) {
            let text = String(entry).trimmingWhitespace.uppercased()
            let day = String(text.suffix(2)), ordinal = text.dropLast(2)
            let ordinalOK = ordinal.isEmpty || (Int(ordinal).map { (-53...53).contains($0) && $0 != 0 } ?? false)
            if text.count < 2 || !days.contains(day) || !ordinalOK {
                return "byday must list days as MO, TU, WE, TH, FR, SA, SU (RFC 5545), not \"\(entry.prefix(20))\""
            }
        }
        return nil
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func positiveModulo(_ a: Int, _ b: Int) -> Int { ((a % b) + b) % b }
}
