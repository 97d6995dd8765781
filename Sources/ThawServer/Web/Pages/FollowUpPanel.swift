import ThawCore
import ThawStorage

/// The referring side's follow-up work on a referral: the log of follow-ups so far, a form to
/// record the next, a way to move the follow-up date, and, once the partner or the client says
/// the need is met, the needs still open that the navigator can close in one step.
struct FollowUpPanel {
    var referral: Referral
    var log: [FollowUp]
    /// The client's open needs this referral is for.
    var openNeeds: [IdentifiedNeed]
    /// The client's view of the referral, once it has closed and they were asked.
    var experience: ClientExperience?
    var now: Timestamp
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private func state(_ action: String) -> FormState { .of(action, failed: failed) }

    func render() -> HTML {
        """
        <section class="panel" aria-labelledby="follow-up-heading">
        <h2 id="follow-up-heading">Follow-up</h2>
        \(closingHTML)
        \(logHTML)
        \(referral.status.isTerminal ? HTML.empty : rescheduleHTML)
        \(recordHTML)
        \(experienceHTML)
        </section>
        """
    }

    /// Once the referral has closed: the client's own view, or the three questions to ask them.
    private var experienceHTML: HTML {
        guard referral.status.isClosedForTheClient else { return .empty }
        if let experience {
            let comment: HTML = experience.comment.map { "<dt>In their words</dt><dd>\($0)</dd>" } ?? .empty
            return """
                <h3>The client's experience</h3>
                <dl class="facts">
                <dt>Easy to get help</dt><dd>\(Words.answer(experience.easy))</dd>
                <dt>Need met</dt><dd>\(Words.answer(experience.needMet))</dd>
                <dt>Would use it again</dt><dd>\(Words.answer(experience.wouldUseAgain))</dd>
                \(comment)
                </dl>
                """
        }
        let state = state("experience")
        let options = Components.options(ClientExperience.Answer.self, label: Words.answer)
        func question(_ name: String) -> HTML {
            Components.select(
                name, Phrase(said: say(NewClientExperience.questions[name] ?? name)), state: state, options: [("", "Choose…")] + options,
                required: true)
        }
        return """
            <details class="no-print"\(HTML.attribute("open", if: failed?.action == "experience"))><summary>Ask the client about their experience</summary>
            <form method="post" action="\(WebPath.referral(referral.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "experience"))
            \(question("easy"))\(question("needMet"))\(question("wouldUseAgain"))
            \(Components.textArea("comment", "Anything they want written down, in their words", state: state, rows: 2))
            <button type="submit">Record their answers</button>
            </form></details>
            """
    }

    /// A need is met by the partner's outcome or the navigator's own follow-up: offer to close what is still open.
    private var closingHTML: HTML {
        let saidMet = referral.outcome?.code == .needMet || log.last?.result == .needMet
        guard saidMet, !openNeeds.isEmpty else { return .empty }
        let who = log.last?.result == .needMet ? say("Your last follow-up") : say("The partner's outcome")
        return """
            <form method="post" action="\(WebPath.referral(referral.id))" class="notice no-print" id="close-needs" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "close-needs"))
            <p>\(say("%1 says the need is met. Still open for this client:", who))</p>
            \(Components.checkboxes("needIds", "Close as met", state: state("close-needs"),
                options: openNeeds.map { ($0.id.raw, Phrase(said: say("%1 (identified %2)", Words.need($0.category), Words.date($0.identifiedOn)))) },
                checked: Set(openNeeds.map(\.id.raw))))
            <button type="submit">Close as met</button>
            </form>
            """
    }

    private var logHTML: HTML {
        guard !log.isEmpty else { return "<p>No follow-up recorded yet.</p>" }
        let items = log.reversed().map { entry -> HTML in
            let next: HTML = entry.nextFollowUpDue.map { " Next follow-up \(Components.dueDay($0))." } ?? .empty
            let note: HTML = entry.note.map { "<br>\($0)" } ?? .empty
            return """
                <li><p class="meta">\(Components.time(entry.happenedAt)) · \(Words.method(entry.method)) with \(Words.party(entry.party)) \
                · \(entry.userName ?? say("a colleague"))</p>
                <p><strong>\(Words.result(entry.result))</strong>.\(next)\(note)</p></li>
                """
        }
        return "<ol class=\"follow-ups\" reversed>\(items)</ol>"
    }

    private var rescheduleHTML: HTML {
        let state = state("follow-up-date")
        let current = referral.followUpDue.map { Viewer.calendar.day(of: Timestamp(millis: $0.millis - 1)).description }
        return """
            <details class="no-print"\(HTML.attribute("open", if: failed?.action == "follow-up-date"))><summary>Change the follow-up date</summary>
            <form method="post" action="\(WebPath.referral(referral.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "follow-up-date"))\(Components.hidden("version", String(referral.version)))
            \(Components.textField("followUpDue", "Follow up on", state: state, type: "date", required: true, value: state.form.all("followUpDue").first ?? current))
            <button type="submit" class="button-secondary">Save date</button>
            </form></details>
            """
    }

    private var recordHTML: HTML {
        let state = state("follow-up")
        let open = !referral.status.isTerminal
        let next: HTML =
            open
            ? Components.textField(
                "nextFollowUpDue", "Next follow-up on", state: state, type: "date",
                hint: "Leave empty when no further follow-up is planned on this referral")
            : .empty
        return """
            <details class="no-print"\(HTML.attribute("open", if: failed?.action == "follow-up"))><summary>Record a follow-up</summary>
            <form method="post" action="\(WebPath.referral(referral.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "follow-up"))
            \(Components.errorSummary(state))
            \(Components.textField("happenedAt", "When", state: state, type: "datetime-local", hint: "Your organisation's time; leave empty for now"))
            \(Components.select("method", "How", state: state, options: Components.options(FollowUp.Method.self, label: Words.method), required: true))
            \(Components.select("party", "With", state: state, options: Components.options(FollowUp.Party.self, label: Words.party), required: true))
            \(Components.select("result", "What came of it", state: state, options: [("", "Choose…")] + Components.options(FollowUp.Result.self, label: Words.result), required: true))
            \(Components.textArea("note", "Note", state: state, rows: 2))
            \(next)
            <button type="submit">Record follow-up</button>
            </form></details>
            """
    }
}
