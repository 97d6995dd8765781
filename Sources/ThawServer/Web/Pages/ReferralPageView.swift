import ThawCore
import ThawStorage

/// One referral as this party sees it: what was asked, the client as consent
/// allows, the timeline from the ledger, messages both ways with read
/// receipts, and only the actions this user may take now.
struct ReferralPageView {
    var detail: ReferralDetail
    var messages: [ReferralMessage]
    var timeline: [ActivityEntry]
    var organizationNames: [ID<Organization>: String]
    var viewer: Actor
    /// The referring side's follow-up panel; nil for the partner.
    var followUp: FollowUpPanel?
    var onward: OnwardReferralPanel
    var appointments: AppointmentsPanel
    var now: Timestamp
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private var referral: Referral { detail.referral }

    func state(for action: String) -> FormState { .of(action, failed: failed) }

    func render() -> HTML {
        """
        <p class="no-print"><a href="\(detail.side == .requester ? WebPath.caseload : WebPath.inbox)">\(detail.side == .requester ? say("← Back to the caseload") : say("← Back to the inbox"))</a></p>
        <h1>\(say("%1 referral for %2", Words.need(referral.needCategory), "\(detail.client.givenName) \(detail.client.familyName)"))</h1>
        <p class="visually-hidden" id="live-status" role="status" aria-live="polite" data-said="\(say("Updated just now."))"></p>
        <div class="columns">
        <div>
        <div id="referral-summary" data-live-region>\(summaryHTML)</div>
        \(actionsHTML)
        \(appointments.render())
        \(followUp?.render() ?? .empty)
        \(messagesHTML)
        \(onward.render())
        </div>
        <div>
        \(clientHTML)
        <section class="panel" aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>
        <div id="referral-timeline" data-live-region>\(timelineHTML)</div></section>
        </div>
        </div>
        """
    }

    private var summaryHTML: HTML {
        let outcome: HTML =
            referral.outcome.map {
                "<dt>Outcome</dt><dd>\(Words.outcome($0.code)): \($0.summary)</dd>"
            } ?? .empty
        let reason: HTML = referral.statusReason.map { "<dt>Reason</dt><dd>\($0)</dd>" } ?? .empty
        let step: HTML = referral.businessStatus.map { "<dt>Latest step</dt><dd>\(Words.businessStatus($0))</dd>" } ?? .empty
        let note: HTML = referral.note.map { "<dt>Note</dt><dd>\($0)</dd>" } ?? .empty
        let firstResponse: HTML =
            referral.firstRespondedAt.map { "answered \(Components.time($0))" }
            ?? say("due %1 (%2)", Components.time(referral.firstResponseDue), Components.due(referral.firstResponseDue, now: now))
        return """
            <section class="panel" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Where it stands</h2>
            <p>\(Components.statusBadge(referral.status))</p>
            <dl class="facts">
            <dt>Referred by</dt><dd>\(detail.requesterName)</dd>
            <dt>To</dt><dd>\(detail.ownerName ?? say("Open to any eligible partner"))\(detail.serviceName.map { " — \($0)" } ?? "")</dd>
            <dt>Priority</dt><dd>\(Words.priority(referral.priority))</dd>
            <dt>First response</dt><dd>\(firstResponse)</dd>
            <dt>Follow-up</dt><dd>\(referral.followUpDue.map { Components.followUp($0, now: now) } ?? "—")</dd>
            \(step)\(reason)\(outcome)\(note)
            <dt>Sent</dt><dd>\(Components.time(referral.createdAt))</dd>
            </dl>
            <p class="no-print"><button type="button" class="button-secondary" data-print>Print summary</button></p>
            </section>
            """
    }

    private var clientHTML: HTML {
        let c = detail.client
        let shared: HTML =
            detail.disclosedScopes.map { scopes in
                "<p class=\"hint\">Shared with you under the client's consent: \(scopes.sorted { $0.rawValue < $1.rawValue }.map { Words.scope($0) }.joined(separator: ", ")).</p>"
            } ?? "<p><a href=\"\(WebPath.client(c.id))\">Open the client's record</a></p>"
        let contact: HTML =
            c.phone == nil && c.email == nil && c.address == nil
            ? "<dt>Contact</dt><dd>Not shared</dd>"
            : """
            <dt>Phone</dt><dd>\(c.phone ?? "—")</dd><dt>Email</dt><dd>\(c.email ?? "—")</dd><dt>Address</dt><dd>\(c.address ?? "—")</dd>
            """
        return """
            <section class="panel" aria-labelledby="client-heading">
            <h2 id="client-heading">Client</h2>
            <dl class="facts"><dt>Name</dt><dd>\(c.givenName) \(c.familyName)</dd>\(contact)
            <dt>Language</dt><dd>\(Words.language(c.preferredLanguage))</dd></dl>
            \(shared)
            </section>
            """
    }

    /// One small form per move this user may make now; reasons and outcomes where the workflow asks for them.
    private var actionsHTML: HTML {
        var forms: [HTML] = detail.allowedStatuses.filter { $0 != .enteredInError }.map(statusForm)
        if detail.canSetBusinessStatus {
            let state = state(for: "business-status")
            forms.append(
                """
                <details\(HTML.attribute("open", if: failed?.action == "business-status"))><summary>Report a step</summary>
                <form method="post" action="\(WebPath.referral(referral.id))" novalidate>
                \(common("business-status"))
                \(Components.select("businessStatus", "Step", state: state, options: Components.options(BusinessStatus.self, label: Words.businessStatus),
                                    selected: referral.businessStatus?.rawValue))
                <button type="submit">Save step</button>
                </form></details>
                """)
        }
        guard !forms.isEmpty else { return .empty }
        return """
            <section class="panel no-print" aria-labelledby="actions-heading">
            <h2 id="actions-heading">What you can do now</h2>
            <div class="actions">\(forms)</div>
            </section>
            """
    }

    private func common(_ action: String) -> HTML {
        "\(Components.csrfField(csrf))\(Components.hidden("action", action))\(Components.hidden("version", String(referral.version)))"
    }

    private func statusForm(_ status: TaskStatus) -> HTML {
        let action = "status-" + status.rawValue
        let state = state(for: action)
        let needsReason = ReferralWorkflow.requiresReason(status)
        let danger = [.rejected, .cancelled, .failed].contains(status)
        var fields: [HTML] = []
        if status == .rejected {
            fields.append(
                Components.select(
                    // No reason is chosen for the partner: "no capacity" by default would send them to their capacity by mistake.
                    "reasonCode", "Reason", state: state,
                    options: [("", "Choose a reason…")] + Components.options(DeclineReason.self, label: { say($0.title) }), required: true,
                    idSuffix: "-" + status.rawValue))
        }
        if needsReason {
            fields.append(reasonField(status, state))
        }
        if status == .completed {
            fields.append(
                Components.select(
                    "outcomeCode", "Outcome", state: state,
                    options: Components.options(ReferralOutcome.Code.self, label: Words.outcome), required: true,
                    idSuffix: "-" + status.rawValue))
            fields.append(textArea("outcomeSummary", "What happened", state, status))
        }
        let button: HTML = "<button type=\"submit\"\(danger ? HTML(raw: " class=\"button-danger\"") : .empty)>\(Words.action(status))</button>"
        let form: HTML = """
            <form method="post" action="\(WebPath.referral(referral.id))" novalidate>
            \(common(action))\(Components.hidden("status", status.rawValue))
            \(fields)
            \(button)
            </form>
            """
        guard !fields.isEmpty else { return form }
        return "<details\(HTML.attribute("open", if: failed?.action == action))><summary>\(Words.action(status))…</summary>\(form)</details>"
    }

    private func reasonField(_ status: TaskStatus, _ state: FormState) -> HTML {
        textArea("reason", status == .rejected ? "In a few words, for the referring organisation" : "Reason", state, status)
    }

    /// A required text area whose id is unique per status form (several sit on one page).
    private func textArea(_ name: String, _ label: Phrase, _ state: FormState, _ status: TaskStatus) -> HTML {
        let id = "f-\(name)-\(status.rawValue)"
        let error: HTML =
            state.errors[name == "outcomeSummary" ? "outcome.summary" : name]
            .map { "<p class=\"field-error\" id=\"\(id)-error\"><span aria-hidden=\"true\">⚠ </span>\($0)</p>" } ?? .empty
        return """
            <div class="field\(error.text.isEmpty ? HTML.empty : HTML(raw: " has-error"))">
            <label for="\(id)">\(label) <span class="required">(required)</span></label>
            <textarea id="\(id)" name="\(name)" rows="2" required\(error.text.isEmpty ? HTML.empty : HTML(raw: " aria-describedby=\"\(id)-error\" aria-invalid=\"true\""))>\(state.value(name))</textarea>
            \(error)
            </div>
            """
    }

    private var messagesHTML: HTML {
        let mySide = detail.side
        let messageTo =
            mySide == .requester
            ? detail.ownerName.map { say("Message to %1", $0) } ?? say("Message to the partner") : say("Message to %1", detail.requesterName)
        let items = messages.map { message -> HTML in
            let mine = message.side == mySide
            let author = organizationNames[message.authorOrganizationId] ?? say("The other organisation")
            let receipt: HTML =
                mine
                ? (message.readAt.map { " · <span class=\"receipt\">Read \(Components.time($0))</span>" }
                    ?? " · <span class=\"receipt\">Not read yet</span>")
                : .empty
            return """
                <li class="\(mine ? "mine" : "theirs")"><p class="meta">\(mine ? say("You (%1)", author) : author) · \(Components.time(message.sentAt))\(receipt)</p>
                \(message.body.map { "<p>\($0)</p>" as HTML } ?? Self.withheldNotice)</li>
                """
        }
        let state = state(for: "message")
        return """
            <section class="panel" aria-labelledby="messages-heading">
            <h2 id="messages-heading">Messages</h2>
            <div id="referral-messages" data-live-region>
            \(messages.isEmpty ? HTML(stringLiteral: "<p>No messages yet.</p>") : "<ul class=\"messages\">\(items)</ul>")
            </div>
            <form method="post" action="\(WebPath.referral(referral.id))" class="no-print" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "message"))
            \(notesNotice)
            \(Components.textArea("body", Phrase(said: messageTo), state: state, required: true))
            <button type="submit">Send message</button>
            </form>
            </section>
            """
    }

    static var withheldNotice: HTML {
        """
        <p class="muted"><em>Not shown: the client's consent does not let your organisation read notes from the referring side.</em></p>
        """
    }

    /// Said before the referring side writes: the partner will not read it without the `notes` scope.
    private var notesNotice: HTML {
        guard detail.counterpartSeesNotes == false else { return .empty }
        return """
            <p class="notice" id="notes-withheld">\(say("%1 will not see messages or reasons you write here: the client’s consent does not include notes. Record a consent with notes on the client’s page to share them.", detail.ownerName ?? say("The partner")))</p>
            """
    }

    private var timelineHTML: HTML {
        let items = timeline.map { entry -> HTML in
            let who = organizationNames[entry.actorOrganizationId] ?? say("An organisation")
            return "<li>\(Components.time(entry.at)) — <strong>\(who)</strong> \(Self.describe(entry))</li>"
        }
        return "<ol class=\"timeline\">\(items)</ol>"
    }

    static func describe(_ entry: ActivityEntry) -> String {
        func status(_ key: String) -> String { entry.detail[key].flatMap(TaskStatus.init(rawValue:)).map(Words.status)?.lowercased() ?? "?" }
        switch entry.kind {
        case "referral.created":
            return entry.detail["open"] == "true"
                ? say("opened the referral for any eligible partner")
                : (entry.detail["status"] == "draft" ? say("saved a draft") : say("sent the referral"))
        case "referral.status-changed":
            var text = say("moved it from %1 to %2", status("from"), status("to"))
            if let reason = entry.detail["reason"] { text += " — “\(reason)”" }
            if entry.detail["reasonWithheld"] == "true" {
                text += " " + say("(the reason is not shared: the client’s consent does not include notes)")
            }
            if let outcome = entry.detail["outcome"].flatMap(ReferralOutcome.Code.init(rawValue:)) {
                text += " (\(Words.outcome(outcome).lowercased()))"
            }
            return text
        case "referral.claimed": return say("claimed the open referral")
        case "referral.business-status":
            return say("reported: %1", entry.detail["step"].flatMap(BusinessStatus.init(rawValue:)).map(Words.businessStatus) ?? say("a step"))
        case "referral.message-sent": return say("sent a message")
        case "referral.message-read": return say("read a message")
        case "referral.updated": return say("updated the details")
        case "referral.followed-up":
            let with = entry.detail["party"].flatMap(FollowUp.Party.init(rawValue:)).map(Words.party) ?? say("the client")
            let result = entry.detail["result"].flatMap(FollowUp.Result.init(rawValue:)).map(Words.result)?.lowercased() ?? say("recorded")
            return say("followed up with %1: %2", with, result)
        default: return entry.kind
        }
    }
}
