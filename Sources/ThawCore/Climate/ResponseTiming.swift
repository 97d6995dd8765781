/// Responsiveness: whether an item that needed an answer got one within the
/// agreed time. The answer's ledger entry carries the verdict in its detail
/// (`timeliness`: on-time or late), so the climate can be rebuilt from the
/// ledger alone. An item left unanswered past its time is recorded once by the
/// deadline sweep (`referral.response-overdue`), and its eventual late answer
/// then adds nothing more: each item counts once.
public enum ResponseTiming {
    /// The detail key the verdict is stored under.
    public static let detailKey = "timeliness"
    public static let onTime = "on-time", late = "late"

    /// A signal is acknowledged within two weeks of the day it was made.
    public static let signalAcknowledgementDays = 14
    /// Feedback in a consultation is answered within two weeks of its deadline.
    public static let consultationAnswerDays = 14

    /// The verdict for an answer given `at` for an item due by `due`; nil when
    /// the sweep already counted this item as overdue.
    public static func verdict(due: Timestamp, at: Timestamp, overdueRecorded: Bool) -> String? {
        at > due && overdueRecorded ? nil : verdict(due: due, at: at)
    }

    /// The verdict for an item the sweep never records as overdue.
    public static func verdict(due: Timestamp, at: Timestamp) -> String { at <= due ? onTime : late }

    /// The end of the last day an item due `days` after `day` may be answered on.
    public static func endOfDay(_ day: CalendarDate, plusDays days: Int) -> Timestamp {
        Timestamp(millis: day.startOfDay.adding(days: days + 1).millis - 1)
    }
}
