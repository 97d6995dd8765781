import ThawCore

/// What a client reads about their own referral (the printed summary, the reminder email) is
/// drawn from the same catalogue as the pages, in the client's language rather than the viewer's.
enum ClientSummaryWords {
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"
    ]

    /// "7 December 2026", "7 décembre 2026", "1er août 2026".
    static func date(_ date: CalendarDate) -> String {
        let first = Viewer.language == .fr && date.day == 1 ? "er" : ""
        return "\(date.day)\(first) \(say(months[date.month - 1])) \(date.year)"
    }

    /// A wall-clock time, "9:05", "14:30", from minutes past midnight.
    static func clock(_ minutes: Int) -> String { "\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)" }

    /// A need as the object of a sentence: "housing", "le logement".
    static func need(_ need: NeedCategory) -> String { say("help with " + need.title.lowercased()) }

    /// Runs `body` in the client's language; the pseudo-language of the translation test stays.
    static func inLanguage<T>(_ language: Language, _ body: () throws -> T) rethrows -> T {
        try Viewer.$language.withValue(Viewer.language == .pseudo ? .pseudo : language, operation: body)
    }
}
