/// The days a report covers, first and last included, and the period of the same
/// length just before it, shown beside it.
public struct EvaluationPeriod: Codable, Sendable, Equatable {
    public var from: CalendarDate
    public var until: CalendarDate

    /// Checks the period: it ends on or after it starts, within the supported calendar, and
    /// spans at most ten years (a report over a longer span is never what was meant).
    public init(from: CalendarDate, until: CalendarDate) throws {
        var v = Validator()
        v.require(from <= until, "until", "order", "until must be on or after from")
        v.require(until.days(since: from) < 3_660, "until", "range", "a report covers at most ten years")
        v.require(
            CalendarDate.supported.contains(from.adding(days: -3_660)), "from", "range", "from is too early for a report with a previous period")
        try v.check(unprocessable: false)
        self.from = from; self.until = until
    }

    /// The default: the twelve whole months before the month `today` is in.
    public static func lastTwelveMonths(before today: CalendarDate) -> EvaluationPeriod {
        let start = today.firstOfMonth(adding: -12), end = today.firstOfMonth.adding(days: -1)
        return EvaluationPeriod(checkedFrom: start, until: end)
    }

    private init(checkedFrom from: CalendarDate, until: CalendarDate) { self.from = from; self.until = until }

    public var days: Int { until.days(since: from) + 1 }
    /// The same number of days, ending the day before this period starts.
    public var previous: EvaluationPeriod {
        EvaluationPeriod(checkedFrom: from.adding(days: -days), until: from.adding(days: -1))
    }
    /// Midnight UTC at the start of `from` up to midnight after `until`.
    public var instants: Range<Timestamp> { from.startOfDay..<until.adding(days: 1).startOfDay }
    public func contains(_ day: CalendarDate) -> Bool { from <= day && day <= until }
    public func contains(_ at: Timestamp) -> Bool { instants.contains(at) }
    /// The first day of each month the period touches.
    public var months: [CalendarDate] {
        var out: [CalendarDate] = [], month = from.firstOfMonth
        while month <= until { out.append(month); month = month.firstOfMonth(adding: 1) }
        return out
    }
    public var label: String { "\(from) to \(until)" }
}
