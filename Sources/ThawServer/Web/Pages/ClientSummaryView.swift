import ThawCore
import ThawStorage

/// A referral summary for the client, printable, in their language: where they were referred,
/// what to expect, their appointment, who to call. Nothing of the referral's notes or messages.
struct ClientSummaryView {
    var detail: ReferralDetail
    var appointments: [Appointment]
    var reminders: Bool
    var navigatorName: String
    var language: ClientSummaryWords.Language
    var now: Timestamp

    func render() -> HTML {
        let l = language
        func t(_ key: String, _ values: String...) -> String { ClientSummaryWords.text(key, l, values) }
        let referral = detail.referral
        let calendar = Viewer.calendar
        let french = l == .fr
        func day(_ moment: Timestamp) -> String { ClientSummaryWords.date(calendar.day(of: moment), french: french) }
        let partner = detail.ownerName ?? (french ? "un partenaire" : "a partner")
        var lines: [String] = [t("referred", partner, ClientSummaryWords.need(referral.needCategory, l))]
        if let service = detail.serviceName { lines.append(t("service", service)) }
        switch referral.status {
        case .requested: lines.append(t("expect-requested", day(referral.firstResponseDue)))
        case .accepted, .inProgress: lines.append(t("expect-accepted"))
        case .onHold: lines.append(t("expect-on-hold"))
        default: lines.append(t("expect-closed"))
        }
        for appointment in appointments where appointment.cancelledAt == nil && appointment.at > now {
            let (_, minutes, zone) = calendar.wallClock(appointment.at)
            let time = "\(ClientSummaryWords.clock(minutes)) (\(zone))"
            lines.append(t("appointment", day(appointment.at), time, appointment.place))
        }
        if reminders, !referral.status.isTerminal { lines.append(t("reminder")) }
        lines.append(t("contact", navigatorName, detail.requesterName))
        let other: ClientSummaryWords.Language = french ? .en : .fr
        let paragraphs = lines.map { "<p>\($0)</p>" as HTML }
        return """
            <article class="client-summary" lang="\(l.rawValue)">
            <h1>\(t("title"))</h1>
            <p><strong>\(detail.client.givenName) \(detail.client.familyName)</strong></p>
            \(paragraphs)
            <p class="muted">\(t("printed", day(now)))</p>
            <p class="no-print"><a href="\(WebPath.referral(referral.id))/summary?lang=\(other.rawValue)" lang="\(other.rawValue)">\(ClientSummaryWords.text("other-language", l))</a>
            · <button type="button" class="button-secondary" data-print>Print</button></p>
            </article>
            """
    }
}
