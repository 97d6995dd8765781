import ThawCore
import ThawStorage

/// A referral's appointments, which both sides see; the partner working it books them. The
/// referring side prints the client's summary from here.
struct AppointmentsPanel {
    var detail: ReferralDetail
    var appointments: [Appointment]
    var now: Timestamp
    var csrf: String?
    var failed: (action: String, state: FormState)?

    func render() -> HTML {
        let referral = detail.referral
        let canBook = detail.side == .performer && referral.status.isActive
        let holder = detail.isHoldersOwnReferral
        guard canBook || holder || !appointments.isEmpty else { return .empty }
        let items = appointments.map { appointment -> HTML in
            let past = appointment.at <= now ? HTML(stringLiteral: " <span class=\"muted\">(past)</span>") : .empty
            return "<li>\(Components.time(appointment.at)) — \(appointment.place)\(past)</li>"
        }
        let list: HTML = appointments.isEmpty ? "<p>No appointment booked yet.</p>" : "<ul class=\"plain\">\(items)</ul>"
        let summary: HTML =
            holder
            ? "<p class=\"no-print\"><a href=\"\(WebPath.referral(referral.id))/summary\">Summary for the client</a> (printable, in their language)</p>"
            : .empty
        return """
            <section class="panel" aria-labelledby="appointments-heading">
            <h2 id="appointments-heading">Appointments</h2>
            \(list)
            \(summary)
            \(canBook ? bookingHTML : .empty)
            </section>
            """
    }

    private var bookingHTML: HTML {
        let state = FormState.of("appointment", failed: failed)
        return """
            <details class="no-print"\(HTML.attribute("open", if: state.hasErrors))><summary>Book an appointment</summary>
            <form method="post" action="\(WebPath.referral(detail.referral.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "appointment"))
            \(Components.textField("at", "When", state: state, type: "datetime-local", required: true, hint: "Your organisation's time"))
            \(Components.textField("place", "Where", state: state, required: true, hint: "The address the client goes to; a reminder they agreed to says this and the time, nothing else"))
            <button type="submit">Book</button>
            </form></details>
            """
    }
}
