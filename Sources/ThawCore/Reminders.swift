/// Reminders of what comes due, made by the deadline sweep: a follow-up, a commitment, feedback
/// on a consultation, the end of joint funding, a survey to answer. Each is made once for what
/// it is about and the date it is about (a moved date reminds again). Like every notification it
/// may leave Thaw by email, so it names organisations and dates only: never a client, and not
/// the text of a promise or a proposal, which a partner may have written anything into.
public enum Reminders {
    /// How many days ahead a commitment or a consultation's deadline is announced.
    public static let daysAhead = 3
    /// A follow-up date further in the past than this is not announced any more (a server
    /// switched on after a long pause does not send a flood).
    public static let followUpLookbackDays = 7

    public static func commitmentDue(by promiser: String, to recipient: String, dueOn: CalendarDate) -> String {
        "The commitment \(promiser) made to \(recipient) is due on \(dueOn)."
    }

    public static func feedbackDue(from convener: String, deadline: CalendarDate) -> String {
        "\(convener) asked for your organisation's feedback on a consultation by \(deadline); none has been given yet."
    }

    public static func fundingEnds(_ endsOn: CalendarDate, daysLeft: Int, parties: [String]) -> String {
        "A joint funding agreement between \(parties.joined(separator: ", ")) ends on \(endsOn), in \(daysLeft) days, and is not yet renewed."
    }

    public static func surveyOpen(by convener: String, closesOn: CalendarDate) -> String {
        "\(convener) opened a partnership pulse survey; it takes two minutes and closes on \(closesOn)."
    }
}
