import ThawCore
import ThawStorage

/// A referral summary for the client, printable, in their language: where they were referred,
/// what to expect, their appointment, who to call. Nothing of the referral's notes or messages.
struct ClientSummaryView {
    var detail: ReferralDetail
    var appointments: [Appointment]
    /// What the client was asked to do, still open: for this referral, or in general.
    var tasks: [ClientTask] = []
    var reminders: Bool
    var navigatorName: String
    var language: Language
    var now: Timestamp

    func render() -> HTML { ClientSummaryWords.inLanguage(language) { body } }

    private var body: HTML {
        let referral = detail.referral
        let calendar = Viewer.calendar
        func day(_ moment: Timestamp) -> String { ClientSummaryWords.date(calendar.day(of: moment)) }
        let partner = detail.ownerName ?? say("a partner")
        var lines: [String] = [say("We referred you to %1 for %2.", partner, ClientSummaryWords.need(referral.needCategory))]
        if let service = detail.serviceName { lines.append(say("The service is called %1.", service)) }
        switch referral.status {
        case .requested:
            lines.append(say("They will contact you. If you have not heard from them by %1, please call us.", day(referral.firstResponseDue)))
        case .accepted, .inProgress: lines.append(say("They have accepted your referral and will be in touch with you."))
        case .onHold: lines.append(say("Your referral is waiting for now. We will tell you when it moves."))
        default: lines.append(say("This referral is closed."))
        }
        for appointment in appointments where appointment.cancelledAt == nil && appointment.at > now {
            let (_, minutes, zone) = calendar.wallClock(appointment.at)
            let time = "\(ClientSummaryWords.clock(minutes)) (\(zone))"
            lines.append(say("Your appointment: %1 at %2, at %3.", day(appointment.at), time, appointment.place))
        }
        if reminders, !referral.status.isTerminal { lines.append(say("We will email you a reminder the day before.")) }
        lines.append(say("Questions? Contact %1 at %2.", navigatorName, detail.requesterName))
        let asked = tasks.map { task -> HTML in
            let due = task.dueOn.map { " — " + say("by %1", ClientSummaryWords.date($0)) } ?? ""
            return "<li>\(task.description)\(due)</li>"
        }
        let other: Language = language == .fr ? .en : .fr
        let paragraphs = lines.map { "<p>\($0)</p>" as HTML }
        return """
            <article class="client-summary" lang="\(language.htmlCode)">
            <h1>Your referral</h1>
            <p><strong>\(detail.client.givenName) \(detail.client.familyName)</strong></p>
            \(paragraphs)
            \(asked.isEmpty ? HTML.empty : "<h2>What we asked you to do</h2><ul>\(asked)</ul>")
            <p class="muted">\(say("Printed on %1.", day(now)))</p>
            <p class="no-print"><a href="\(WebPath.referral(referral.id))/summary?lang=\(other.rawValue)" lang="\(other.rawValue)">\(verbatim(other == .fr ? "Version française" : "English version"))</a>
            · <button type="button" class="button-secondary" data-print>Print</button></p>
            </article>
            """
    }
}
