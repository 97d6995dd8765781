import ThawCore
import ThawStorage

struct NewConsultationView {
    var me: Organization
    var organizations: [Organization]
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        """
        <h1>Consult partners</h1>
        <section class="panel">
        \(Components.errorSummary(state))
        <form method="post" action="\(WebPath.newConsultation)" novalidate>\(Components.csrfField(csrf))
        \(Components.textField("title", "Title", state: state, required: true))
        \(Components.textArea("proposal", "The proposal", state: state, required: true, rows: 6))
        \(Components.checkboxes("invited", "Partners invited to give feedback", state: state,
                                options: organizations.filter { $0.id != me.id }.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: []))
        \(Components.textField("deadline", "Feedback by", state: state, type: "date", required: true))
        <button type="submit">Send the consultation</button>
        </form></section>
        """
    }
}

/// A consultation: the proposal, every feedback item with its answer ("you
/// said, we did"), and the forms for whoever may act now.
struct ConsultationView {
    var consultation: Consultation
    var items: [FeedbackItem]
    var me: Organization
    var names: [ID<Organization>: String]
    var today: CalendarDate
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private var path: String { WebPath.consultation(consultation.id) }
    private var proposer: Bool { consultation.organizationId == me.id }
    private var invited: Bool { consultation.invitedOrganizationIds.contains(me.id) }
    private func state(_ action: String) -> FormState { .of(action, failed: failed) }

    func render() -> HTML {
        let unanswered = items.filter { $0.response == nil }.count
        return """
            <p class="no-print"><a href="\(WebPath.partnership)">← Partnership</a></p>
            <h1>\(consultation.title)</h1>
            <p class="muted">From \(names[consultation.organizationId] ?? say("a partner")) to \(consultation.invitedOrganizationIds.compactMap { names[$0] }.joined(separator: ", ")); feedback by \(Components.date(consultation.deadline)).
            <span class="badge">\(consultation.status == .open ? say("Open") : say("Closed"))</span></p>
            <section class="panel" aria-labelledby="proposal-heading"><h2 id="proposal-heading">The proposal</h2><p>\(consultation.proposal)</p></section>
            \(failed.map { Components.errorSummary($0.state) } ?? .empty)
            <section aria-labelledby="said-heading"><h2 id="said-heading">You said, we did</h2>
            <p>\(items.count) item\(items.count == 1 ? "" : "s") of feedback, \(unanswered) without an answer. <a href="\(WebPath.consultationExport(consultation.id))">Download as CSV</a></p>
            \(items.isEmpty ? HTML(stringLiteral: "<p>No feedback yet.</p>") : "<ol class=\"plain\">\(items.map(item))</ol>")
            </section>
            \(feedbackForm)\(closeForm)
            """
    }

    private func item(_ item: FeedbackItem) -> HTML {
        let answer: HTML
        if let response = item.response {
            answer = "<p><strong>We did:</strong> <span class=\"badge\">\(PartnershipWords.response(response))</span> \(item.responseText ?? "")</p>"
        } else if proposer && consultation.status == .open {
            let s = state("answer-" + item.id.raw)
            let choices = FeedbackItem.Response.allCases.map { r -> HTML in
                let id = "answer-\(item.id.raw)-\(r.rawValue)"
                return
                    "<span class=\"check\"><input type=\"radio\" id=\"\(id)\" name=\"response\" value=\"\(r)\"\(HTML.attribute("checked", if: s.value("response") == r.rawValue))> <label for=\"\(id)\">\(PartnershipWords.response(r))</label></span>"
            }
            let textId = "answer-text-\(item.id.raw)"
            answer = """
                <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "answer"))\(Components.hidden("item", item.id.raw))
                <fieldset class="checks"><legend>Your answer</legend>\(choices)</fieldset>
                <div class="field"><label for="\(textId)">What you did, and why</label><textarea id="\(textId)" name="text" rows="2">\(s.value("text"))</textarea></div>
                <button type="submit">Answer</button></form>
                """
        } else {
            answer = "<p class=\"muted\">Not answered yet.</p>"
        }
        return "<li class=\"panel\"><p><strong>\(names[item.organizationId] ?? "A partner") said:</strong> \(item.text)</p>\(answer)</li>"
    }

    private var feedbackForm: HTML {
        guard invited, consultation.status == .open, today <= consultation.deadline else { return .empty }
        let s = state("feedback")
        return """
            <section class="panel" aria-labelledby="feedback-heading"><h2 id="feedback-heading">Give feedback</h2>
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "feedback"))
            \(Components.textArea("text", "One point of feedback", state: s, required: true, hint: "Add each point separately, so each gets its own answer."))
            <button type="submit">Add feedback</button></form></section>
            """
    }

    private var closeForm: HTML {
        guard proposer, consultation.status == .open else { return .empty }
        return """
            <form method="post" action="\(path)" class="no-print">\(Components.csrfField(csrf))\(Components.hidden("action", "close"))
            <button type="submit" class="button-secondary">Close the consultation</button> <span class="hint">Only once every item has an answer.</span></form>
            """
    }

    /// The "you said, we did" record as CSV: one row per item.
    static func csv(_ consultation: Consultation, _ items: [FeedbackItem], names: [ID<Organization>: String]) -> String {
        CSV.document(
            header: ["consultation", "partner", "you said", "we did", "answer", "answered at"],
            rows: items.map { item in
                [
                    consultation.title, names[item.organizationId] ?? item.organizationId.raw, item.text,
                    item.response.map(PartnershipWords.response) ?? "", item.responseText ?? "", item.respondedAt?.description ?? ""
                ]
            })
    }
}

/// Commitments made and received: status, due date, renegotiations, and the
/// forms to record, keep, renegotiate or withdraw.
struct CommitmentsView {
    var commitments: [Commitment]
    var me: Organization
    var organizations: [Organization]
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private var names: [ID<Organization>: String] { Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) }) }

    func render() -> HTML {
        let made = commitments.filter { $0.organizationId == me.id }, received = commitments.filter { $0.toOrganizationId == me.id }
        let s = FormState.of("create", failed: failed)
        return """
            <p class="no-print"><a href="\(WebPath.partnership)">← Partnership</a></p>
            <h1>Commitments</h1>
            \(failed.flatMap { $0.action == "create" ? nil : Components.errorSummary($0.state) } ?? .empty)
            <div class="columns">
            <div>
            <section aria-labelledby="made-heading"><h2 id="made-heading">\(say("Made by %1", me.name))</h2>\(list(made, ours: true))</section>
            <section aria-labelledby="received-heading"><h2 id="received-heading">\(say("Made to %1", me.name))</h2>\(list(received, ours: false))</section>
            </div>
            <section class="panel" aria-labelledby="new-heading"><h2 id="new-heading">Record a commitment</h2>
            \(Components.errorSummary(s))
            <form method="post" action="\(WebPath.commitments)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "create"))
            \(Components.select("to", "Made to", state: s, options: [("", "Choose…")] + organizations.filter { $0.id != me.id }.map { ($0.id.raw, Phrase(said: $0.name)) }, required: true))
            \(Components.checkboxes("alsoTo", "Also made to (each judges it for itself)", state: s, options: organizations.filter { $0.id != me.id }.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: []))
            \(Components.textArea("what", "What was promised", state: s, required: true))
            \(Components.select("context", "Where it was promised", state: s, options: Components.options(Commitment.Context.self, label: PartnershipWords.context)))
            \(Components.textField("dueOn", "Due by", state: s, type: "date", required: true))
            <button type="submit">Record the commitment</button></form></section>
            </div>
            """
    }

    private func list(_ commitments: [Commitment], ours: Bool) -> HTML {
        guard !commitments.isEmpty else { return "<p>None.</p>" }
        let rows = commitments.map { c -> HTML in
            let other = names[ours ? c.toOrganizationId : c.organizationId] ?? say("a partner")
            var forms: [HTML] = []
            if ours && (c.status == .open || c.status == .missed) {
                forms.append(change(c, "keep", "Mark kept", [("evidence", "Evidence it was kept")]))
                forms.append(change(c, "renegotiate", "Propose a new date", [("reason", "Why the date should move")], date: true))
            }
            if ours && !c.status.isFinal { forms.append(change(c, "withdraw", "Withdraw", [("reason", "Why it is withdrawn")])) }
            if !ours && c.status == .awaitingConfirmation {
                forms.append(change(c, "confirm", "Confirm it was kept", [("note", "A note (optional)")]))
                forms.append(change(c, "dispute", "Dispute", [("reason", "What is still missing")]))
            }
            if !ours && c.proposedDueOn != nil && !c.status.isFinal {
                forms.append(change(c, "agree", "Agree to the new date", []))
                forms.append(change(c, "decline", "Keep the original date", [("reason", "Why the original date stands")]))
            }
            let judged: HTML =
                c.status == .awaitingConfirmation
                ? c.keptMarkedAt.map {
                    let by = Components.day($0.adding(days: Commitment.confirmationDays))
                    let words: HTML = ours ? say("Kept unless %1 disputes it by %2", "\(other)", by) : say("Kept unless you dispute it by %1", by)
                    return " <span class=\"muted\">\(words)</span>"
                } ?? .empty : .empty
            let proposal: HTML =
                c.proposedDueOn.map {
                    let reason: HTML = "\(c.proposedReason ?? "")"
                    let words: HTML =
                        ours
                        ? say("New date proposed: %1 (%2); the original date stands until %3 agrees.", Components.date($0), reason, "\(other)")
                        : say("New date proposed: %1 (%2); the original date stands until you agree.", Components.date($0), reason)
                    return "<br><span class=\"muted\">\(words)</span>"
                } ?? .empty
            let detail: HTML =
                c.evidence.map { "<br><span class=\"muted\">Evidence: \($0)</span>" } ?? c.reason.map { "<br><span class=\"muted\">\($0)</span>" }
                ?? .empty
            return """
                <li class="panel"><strong>\(c.what)</strong> — \(ours ? say("to %1", other) : say("from %1", other))<br>
                <span class="badge">\(PartnershipWords.commitment(c.status))</span> \(say("due %1", Components.date(c.dueOn)))\(c.renegotiations > 0 ? " · \(say("renegotiated %1×", c.renegotiations))" as HTML : .empty)\(judged)\(detail)\(proposal)
                <div class="actions">\(forms)</div></li>
                """
        }
        return "<ul class=\"plain\">\(rows)</ul>"
    }

    private func change(_ c: Commitment, _ action: String, _ label: Phrase, _ fields: [(String, Phrase)], date: Bool = false) -> HTML {
        let inputs = fields.map { name, text -> HTML in
            let id = "\(action)-\(name)-\(c.id.raw)"
            return "<div class=\"field\"><label for=\"\(id)\">\(text)</label><textarea id=\"\(id)\" name=\"\(name)\" rows=\"2\"></textarea></div>"
        }
        let dateId = "\(action)-due-\(c.id.raw)"
        let dateField: HTML =
            date
            ? "<div class=\"field\"><label for=\"\(dateId)\">New due date</label><input type=\"date\" id=\"\(dateId)\" name=\"dueOn\"></div>" : .empty
        return """
            <details><summary>\(label)<span class="visually-hidden">: \(c.what)</span></summary>
            <form method="post" action="\(WebPath.commitments)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", action))\(Components.hidden("commitment", c.id.raw))\(Components.hidden("version", String(c.version)))
            \(inputs)\(dateField)<button type="submit">\(label)</button></form></details>
            """
    }
}

/// A conversation between people in different organisations.
struct ThreadView {
    var thread: DiscussionThread
    var messages: [ThreadMessage]
    var me: ID<User>
    var names: [ID<Organization>: String]
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let items = messages.map { m -> HTML in
            "<li class=\"\(m.authorId == me ? "mine" : "theirs")\"><p class=\"meta\">\(names[m.organizationId] ?? say("A partner")) · \(Components.time(m.sentAt))</p><p>\(m.body)</p></li>"
        }
        return """
            <p class="no-print"><a href="\(WebPath.partnership)">← Partnership</a></p>
            <h1>\(thread.subject)</h1>
            <p class="muted">Between \(Set(thread.participants.map(\.organizationId)).compactMap { names[$0] }.sorted().joined(separator: ", ")). Only the participants can read this.</p>
            <ul class="messages">\(items)</ul>
            <form method="post" action="\(WebPath.thread(thread.id))" novalidate>\(Components.csrfField(csrf))
            \(Components.textArea("body", "Reply", state: state, required: true))<button type="submit">Send</button></form>
            """
    }
}
