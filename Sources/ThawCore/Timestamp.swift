/// A point in time, held as milliseconds since the Unix epoch (UTC).
/// The core keeps time as a plain integer so it needs no Foundation and so both
/// databases store it the same way (BIGINT).
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var millis: Int64
    public init(millis: Int64) { self.millis = millis }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millis < b.millis }
    public func adding(seconds: Int64) -> Timestamp { Timestamp(millis: millis + seconds * 1000) }
    public func adding(days: Int) -> Timestamp { adding(seconds: Int64(days) * 86_400) }
    public var description: String { ISO8601.format(self) }

    /// Times Thaw accepts as input: those of `CalendarDate.supported`. Keeping every
    /// input inside it keeps all date arithmetic (weeks, months, deadlines) in range.
    public static let supported = CalendarDate.earliestSupported.startOfDay..<CalendarDate.latestSupported.startOfDay.adding(days: 1)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = ISO8601.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text.prefix(40))' is not an RFC 3339 date-time with a time zone, e.g. 2026-03-01T09:30:00Z")
        }
        guard Self.supported.contains(parsed) else { throw CalendarDate.UnsupportedDate.error(text, in: container) }
        self = parsed
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ISO8601.format(self))
    }
}

/// A calendar date without a time (a birth date, a screening date).
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CalendarMath.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year; self.month = month; self.day = day
    }
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }
    public init(_ timestamp: Timestamp) {
        let days = Int(timestamp.millis.floorDivided(by: 86_400_000))
        let (y, m, d) = CalendarMath.civil(fromDays: days)
        year = y; month = m; day = d
    }
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
    /// The first day of this date's month.
    public var firstOfMonth: CalendarDate { firstOfMonth(adding: 0) }
    /// The first day of the month `months` before or after this date's.
    public func firstOfMonth(adding months: Int) -> CalendarDate {
        let index = year * 12 + (month - 1) + months
        return CalendarDate(uncheckedYear: index.floorDivided(by: 12), month: index - index.floorDivided(by: 12) * 12 + 1, day: 1)
    }
    public func adding(days: Int) -> CalendarDate { CalendarDate(startOfDay.adding(days: days)) }
    /// Days from `other` to this date (negative when this one is earlier).
    public func days(since other: CalendarDate) -> Int {
        CalendarMath.days(year: year, month: month, day: day) - CalendarMath.days(year: other.year, month: other.month, day: other.day)
    }

    /// Midnight UTC at the start of this date.
    public var startOfDay: Timestamp { Timestamp(millis: Int64(CalendarMath.days(year: year, month: month, day: day)) * 86_400_000) }
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The dates Thaw accepts as input (bodies, query parameters, forms). Dates
    /// outside it are refused with a 400 naming the field, so the arithmetic on
    /// them (the period before, the month after) never leaves the calendar.
    public static let earliestSupported = CalendarDate(uncheckedYear: 1900, month: 1, day: 1)
    public static let latestSupported = CalendarDate(uncheckedYear: 2199, month: 12, day: 31)
    public static let supported = earliestSupported...latestSupported

    static func outOfRangeMessage(_ text: String) -> String {
        "'\(text.prefix(40))' is outside the dates Thaw supports (\(earliestSupported) to \(latestSupported))"
    }

    /// Why a date or time in a body could not be read: it is outside `supported` (the
    /// decoding error's underlying error, so the problem document can name the rule).
    public struct UnsupportedDate: Error {
        static func error(_ text: String, in container: any SingleValueDecodingContainer) -> DecodingError {
            .dataCorrupted(.init(codingPath: container.codingPath, debugDescription: outOfRangeMessage(text), underlyingError: UnsupportedDate()))
        }
    }

    private init(uncheckedYear year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text.prefix(40))' is not a calendar date in the form YYYY-MM-DD")
        }
        guard Self.supported.contains(date) else { throw UnsupportedDate.error(text, in: container) }
        self = date
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension BinaryInteger {
    func floorDivided(by divisor: Self) -> Self {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

extension CalendarDate {
    /// A date like 2022-03-01, or a month like 2022-03 (its first day); nil when absent,
    /// an error naming `field` when it does not parse.
    public static func dayOrMonth(_ raw: String?, field: String) throws -> CalendarDate? {
        guard let raw else { return nil }
        guard let day = CalendarDate(raw) ?? (raw.count == 7 ? CalendarDate(raw + "-01") : nil) else {
            throw ThawError.invalid(field, "date", "\(field) must be a date like 2022-03-01 or a month like 2022-03")
        }
        try day.requireSupported(field: field)
        return day
    }

    /// 400 naming `field` when this date is outside `supported`.
    public func requireSupported(field: String) throws {
        guard Self.supported.contains(self) else {
            throw ThawError.invalid(field, "date-range", "\(field): " + Self.outOfRangeMessage(description))
        }
    }
}
