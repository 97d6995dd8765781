import ThawCore
import ThawStorage

/// The partnership lead's start page: committees, consultations, commitments,
/// signals, threads, joint funding and outside events, with the forms to add
/// to each, and a timeline with every partner.
struct PartnershipOverviewView {
    var me: Organization
    var committees: [Committee]
    var consultations: [Consultation]
    var commitments: [Commitment]
    var signals: [Signal]
    var policyMoves: [PolicyMove]
    var threads: [DiscussionThread]
    var funding: [FundingAlert]
    var events: [OutsideEvent]
    var roles: [RoleHolding]
    var organizations: [Organization]
    var today: CalendarDate
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private func state(_ action: String) -> FormState { .of(action, failed: failed) }
    private var names: [ID<Organization>: String] { Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) }) }
    private var partners: [Organization] { organizations.filter { $0.id != me.id } }

    func render() -> HTML {
        """
        <h1>Partnership</h1>
        <p class="hint">Formal and informal work between \(me.name) and its partners. Everything here is written to the activity ledger.
        <a href="\(WebPath.commitments)">Commitments</a> · <a href="\(WebPath.surveys)">Pulse surveys</a> · \
        <a href="\(WebPath.researchUse)">Research use of what you write</a></p>
        <div class="columns">
        <div>\(committeesHTML)\(consultationsHTML)\(commitmentsHTML)\(threadsHTML)</div>
        <div>\(fundingHTML)\(signalsHTML)\(policyMovesHTML)\(rolesHTML)\(eventsHTML)\(partnersHTML)</div>
        </div>
        """
    }

    private func section(_ id: String, _ title: Phrase, _ body: HTML) -> HTML {
        "<section class=\"panel\" aria-labelledby=\"\(id)-heading\"><h2 id=\"\(id)-heading\">\(title)</h2>\(body)</section>"
    }

    private func form(_ action: String, _ fields: HTML, button: Phrase) -> HTML {
        """
        <details\(HTML.attribute("open", if: failed?.action == action))><summary>\(button)</summary>
        \(Components.errorSummary(state(action), idSuffix: "-" + action))
        <form method="post" action="\(WebPath.partnership)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", action))
        \(fields)<button type="submit">\(button)</button></form></details>
        """
    }

    private var committeesHTML: HTML {
        let items = committees.map { c -> HTML in
            "<li><a href=\"\(WebPath.committee(c.id))\">\(c.name)</a> <span class=\"muted\">— \(PartnershipWords.rule(c.decisionRule))</span></li>"
        }
        return section(
            "committees", "Committees",
            """
            \(committees.isEmpty ? HTML(stringLiteral: "<p>Your organisation sits on no committee yet.</p>") : "<ul class=\"plain\">\(items)</ul>")
            <p><a class="button button-secondary" href="\(WebPath.newCommittee)">Set up a committee</a></p>
            """)
    }

    private var consultationsHTML: HTML {
        let items = consultations.map { c -> HTML in
            let mine = c.organizationId == me.id
            return """
                <li><a href="\(WebPath.consultation(c.id))">\(c.title)</a> <span class="badge">\(c.status == .open ? say("Open") : say("Closed"))</span>
                <span class="muted">\(mine ? say("proposed by you") : say("from %1", names[c.organizationId] ?? say("a partner"))); \(say("feedback by %1", Components.date(c.deadline)))</span></li>
                """
        }
        return section(
            "consultations", "Consultations",
            """
            \(consultations.isEmpty ? HTML(stringLiteral: "<p>No consultations yet.</p>") : "<ul class=\"plain\">\(items)</ul>")
            <p><a class="button button-secondary" href="\(WebPath.newConsultation)">Consult partners</a></p>
            """)
    }

    private var commitmentsHTML: HTML {
        let open = commitments.filter { $0.status == .open }
        let dueSoon = open.filter { $0.dueOn.startOfDay <= today.startOfDay.adding(days: 14) && $0.organizationId == me.id }
        let missed = commitments.filter { $0.status == .missed && $0.organizationId == me.id }
        let kept = commitments.filter { $0.status == .kept }
        return section(
            "commitments", "Commitments",
            """
            <ul class="counts">
            <li\(attention(!dueSoon.isEmpty))><a href="\(WebPath.commitments)"><span class="n">\(dueSoon.count)</span> of ours due within 14 days</a></li>
            <li\(attention(!missed.isEmpty))><a href="\(WebPath.commitments)"><span class="n">\(missed.count)</span> of ours missed</a></li>
            <li><a href="\(WebPath.commitments)"><span class="n">\(kept.count)</span> kept, both ways</a></li>
            </ul>
            <p><a href="\(WebPath.commitments)">All commitments, and record one</a></p>
            """)
    }

    private func attention(_ on: Bool) -> HTML { on ? HTML(raw: " class=\"attention\"") : .empty }

    private var threadsHTML: HTML {
        let items = threads.map { t -> HTML in
            let others = Set(t.participants.map(\.organizationId)).subtracting([me.id]).compactMap { names[$0] }.sorted().joined(separator: ", ")
            return
                "<li><a href=\"\(WebPath.thread(t.id))\">\(t.subject)</a> <span class=\"muted\">with \(others); last \(Components.time(t.lastMessageAt))</span></li>"
        }
        let s = state("thread")
        return section(
            "threads", "Conversations",
            """
            <p class="hint">Direct, informal threads with people in other organisations; only their participants can read them.</p>
            \(threads.isEmpty ? HTML(stringLiteral: "<p>No conversations yet.</p>") : "<ul class=\"plain\">\(items)</ul>")
            \(form("thread", """
                \(Components.textField("subject", "Subject", state: s, required: true, idSuffix: "-thread"))
                \(Components.textField("participantEmail", "Email of the person to write to", state: s, type: "email", required: true, idSuffix: "-thread"))
                \(Components.textArea("message", "Message", state: s, required: true, idSuffix: "-thread"))
                """, button: "Start a conversation"))
            """)
    }

    private var fundingHTML: HTML {
        let rows = funding.map { f -> HTML in
            let alert: HTML = f.alert.map { "<span class=\"overdue\"><span aria-hidden=\"true\">⚑ </span>ends within \($0) days</span>" } ?? .empty
            return """
                <li><strong>\(f.agreement.title)</strong> — \(PartnershipWords.money(f.agreement.amountCents, f.agreement.currency));
                \(say("%1 to %2", Components.date(f.agreement.startsOn), Components.date(f.agreement.endsOn))) (\(f.daysToExpiry >= 0 ? Words.count(f.daysToExpiry, one: "%1 day left", many: "%1 days left") : say("ended")));
                renewal: \(PartnershipWords.renewal(f.agreement.renewal)) \(alert)\(renewalForm(f.agreement))<br>
                <span class="muted">with \(f.agreement.partyOrganizationIds.filter { $0 != me.id }.compactMap { names[$0] }.joined(separator: ", "))</span></li>
                """
        }
        let endingSoon = funding.filter { $0.daysToExpiry >= 0 && $0.daysToExpiry <= 365 }.count
        let s = state("funding")
        return section(
            "funding", "Joint funding",
            """
            <p>\(endingSoon) initiative\(endingSoon == 1 ? "" : "s") with funding ending within a year.</p>
            \(funding.isEmpty ? HTML(stringLiteral: "<p>No funding agreements recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            \(form("funding", """
                \(Components.textField("title", "Initiative", state: s, required: true, idSuffix: "-funding"))
                \(Components.textField("purpose", "Purpose", state: s, idSuffix: "-funding"))
                \(Components.textField("amount", "Amount (whole units)", state: s, required: true, idSuffix: "-funding"))
                \(Components.textField("currency", "Currency", state: s, value: s.value("currency", default: "CAD"), idSuffix: "-funding"))
                \(Components.checkboxes("parties", "Other parties", state: s, options: partners.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: [], idSuffix: "-funding"))
                \(Components.textField("startsOn", "Starts on", state: s, type: "date", required: true, idSuffix: "-funding"))
                \(Components.textField("endsOn", "Ends on", state: s, type: "date", required: true, idSuffix: "-funding"))
                """, button: "Record an agreement"))
            """)
    }

    private func renewalForm(_ agreement: FundingAgreement) -> HTML {
        let id = "renewal-\(agreement.id.raw)"
        let options = FundingAgreement.Renewal.allCases.map { r -> HTML in
            "<option value=\"\(r)\"\(HTML.attribute("selected", if: r == agreement.renewal))>\(PartnershipWords.renewal(r))</option>"
        }
        return """
            <form method="post" action="\(WebPath.partnership)" class="filters">\(Components.csrfField(csrf))\(Components.hidden("action", "renewal"))\(Components.hidden("agreement", agreement.id.raw))\(Components.hidden("version", String(agreement.version)))
            <div class="field"><label for="\(id)">Renewal<span class="visually-hidden"> of \(agreement.title)</span></label><select id="\(id)" name="renewal">\(options)</select></div>
            <button type="submit" class="button-secondary">Save<span class="visually-hidden"> renewal of \(agreement.title)</span></button></form>
            """
    }

    private var rolesHTML: HTML {
        let rows = roles.map { r -> HTML in
            let end: HTML =
                r.endsOn == nil
                ? """
                <form method="post" action="\(WebPath.partnership)" class="filters">\(Components.csrfField(csrf))\(Components.hidden("action", "end-role"))\(Components.hidden("role", r.id.raw))
                <div class="field"><label for="end-\(r.id.raw)">Term ends<span class="visually-hidden"> for \(r.holderName)</span></label><input type="date" id="end-\(r.id.raw)" name="endsOn"></div>
                <button type="submit" class="button-secondary">End term<span class="visually-hidden"> of \(r.holderName)</span></button></form>
                """ : .empty
            return """
                <li><strong>\(r.title)</strong>: \(r.holderName), \(Components.date(r.startsOn)) to \(r.endsOn.map(Components.date) ?? "now")\(r.leadership ? HTML(stringLiteral: " <span class=\"badge\">leadership</span>") : .empty)\(end)</li>
                """
        }
        let s = state("role")
        return section(
            "roles", Phrase(said: say("People in roles at %1", me.name)),
            """
            \(roles.isEmpty ? HTML(stringLiteral: "<p>No roles recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            \(form("role", """
                \(Components.textField("title", "Role", state: s, required: true, idSuffix: "-role"))
                \(Components.textField("holderName", "Held by", state: s, required: true, idSuffix: "-role"))
                \(Components.checkboxes("flags", "Kind of role", state: s, options: [("single", "One holder at a time"), ("leadership", "A leadership role (a change is an outside event)")], checked: ["single"]))
                \(Components.textField("startsOn", "From", state: s, type: "date", required: true, idSuffix: "-role"))
                \(Components.textField("endsOn", "Until", state: s, type: "date", hint: "Leave empty while the term runs", idSuffix: "-role"))
                """, button: "Record who holds a role"))
            """)
    }

    private var signalsHTML: HTML {
        let rows = signals.map { signal -> HTML in
            let mine = signal.organizationId == me.id
            let myCopy = signal.addressedTo.first { $0.organizationId == me.id }
            let acknowledge: HTML =
                myCopy != nil && myCopy?.acknowledgedAt == nil
                ? """
                <form method="post" action="\(WebPath.partnership)" class="inline">\(Components.csrfField(csrf))\(Components.hidden("action", "acknowledge"))\(Components.hidden("signal", signal.id.raw))
                <button type="submit" class="button-secondary">Acknowledge<span class="visually-hidden"> \(say("the signal from %1", names[signal.organizationId] ?? say("a partner")))</span></button></form>
                """ : .empty
            let acks = signal.addressedTo.filter { $0.acknowledgedAt != nil }.count
            return """
                <li><strong>\(PartnershipWords.signal(signal.kind))</strong> \(mine ? say("to %1", signal.addressedTo.compactMap { names[$0.organizationId] }.joined(separator: ", ")) : say("from %1", names[signal.organizationId] ?? say("a partner"))),
                \(Components.date(signal.madeOn)): \(signal.description) <span class="muted">(\(say("%1 of %2 acknowledged", acks, signal.addressedTo.count)))</span> \(acknowledge)</li>
                """
        }
        let s = state("signal")
        return section(
            "signals", "Signals",
            """
            <p class="hint">Staffing and resource choices made for the partnership: an integration role, a liaison, equipment, money.</p>
            \(signals.isEmpty ? HTML(stringLiteral: "<p>No signals yet.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            \(form("signal", """
                \(Components.select("kind", "What was done", state: s, options: Components.options(Signal.Kind.self, label: PartnershipWords.signal)))
                \(Components.textArea("description", "Description", state: s, required: true, idSuffix: "-signal"))
                \(Components.textField("madeOn", "When", state: s, type: "date", required: true, idSuffix: "-signal"))
                \(Components.checkboxes("addressedTo", "For which partners", state: s, options: partners.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: []))
                """, button: "Record a signal"))
            """)
    }

    private var policyMovesHTML: HTML {
        PolicyMovesPanel(
            me: me, moves: policyMoves, organizations: organizations, state: state("policy"), open: failed?.action == "policy", csrf: csrf
        ).render()
    }

    private var eventsHTML: HTML {
        let rows = events.suffix(12).reversed().map { e -> HTML in
            "<li>\(Components.date(e.occurredOn)) — <strong>\(e.title)</strong> <span class=\"muted\">(\(PartnershipWords.event(e.kind)))</span></li>"
        }
        let s = state("event")
        return section(
            "events", "Outside events",
            """
            \(events.isEmpty ? HTML(stringLiteral: "<p>No outside events recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            \(form("event", """
                \(Components.select("kind", "Kind", state: s, options: Components.options(OutsideEvent.Kind.self, label: PartnershipWords.event), idSuffix: "-event"))
                \(Components.textField("title", "Title", state: s, required: true, idSuffix: "-event"))
                \(Components.textArea("description", "What happened", state: s, idSuffix: "-event"))
                \(Components.textField("occurredOn", "Date", state: s, type: "date", required: true, idSuffix: "-event"))
                \(Components.checkboxes("affected", "Organisations affected", state: s, options: organizations.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: [me.id.raw], idSuffix: "-event"))
                """, button: "Record an event"))
            """)
    }

    private var partnersHTML: HTML {
        let items = partners.map {
            "<li><a href=\"\(WebPath.pairTimeline($0.id))\">\($0.name)</a> <span class=\"muted\">\(Words.sector($0.sector))</span></li>" as HTML
        }
        return section("partners", "Timeline with a partner", "<ul class=\"plain\">\(items)</ul>")
    }
}

/// How partnership codes read to people.
enum PartnershipWords {
    static func rule(_ rule: DecisionRule) -> String {
        switch rule {
        case .consensus: return say("decides by consensus")
        case .simpleMajority: return say("decides by simple majority of member organisations")
        case .sectorParity: return say("decides by sector parity (a majority in every sector)")
        }
    }
    /// A rule's name, as a choice: "Consensus".
    static func ruleName(_ rule: DecisionRule) -> String {
        switch rule {
        case .consensus: return say("Consensus")
        case .simpleMajority: return say("Simple majority of member organisations")
        case .sectorParity: return say("Sector parity (a majority in every sector)")
        }
    }
    static func signal(_ kind: Signal.Kind) -> String {
        switch kind {
        case .integrationRoleCreated: return say("Integration role created")
        case .liaisonAppointed: return say("Liaison appointed")
        case .equipmentProvided: return say("Equipment provided")
        case .fundingProvided: return say("Funding provided")
        case .staffSeconded: return say("Staff seconded")
        case .other: return say("Other")
        }
    }
    static func event(_ kind: OutsideEvent.Kind) -> String {
        switch kind {
        case .outbreakWave: return say("outbreak wave")
        case .election: return say("election")
        case .cabinetChange: return say("cabinet change")
        case .policyAnnouncement: return say("policy announcement")
        case .fundingChange: return say("funding change")
        case .leadershipChange: return say("leadership change")
        case .other: return say("other")
        }
    }
    static func renewal(_ renewal: FundingAgreement.Renewal) -> String {
        switch renewal {
        case .notStarted: return say("not started")
        case .inNegotiation: return say("in negotiation")
        case .renewed: return say("renewed")
        case .notRenewed: return say("not renewed")
        }
    }
    static func commitment(_ status: Commitment.Status) -> String {
        switch status {
        case .open: return say("Open")
        case .awaitingConfirmation: return say("Marked kept, awaiting confirmation")
        case .kept: return say("Kept")
        case .missed: return say("Missed")
        case .withdrawn: return say("Withdrawn")
        }
    }
    static func response(_ response: FeedbackItem.Response) -> String {
        switch response {
        case .adopted: return say("Adopted")
        case .adapted: return say("Adapted")
        case .notAdopted: return say("Not adopted")
        }
    }
    static func money(_ cents: Int64, _ currency: String) -> String {
        let whole = cents / 100
        var digits = String(whole), grouped = ""
        while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits = String(digits.dropLast(3)) }
        return "\(currency) \(digits)\(grouped)"
    }
}

extension PartnershipWords {
    /// Where a commitment was made.
    static func context(_ context: Commitment.Context) -> String {
        switch context {
        case .meeting: return say("Meeting")
        case .consultation: return say("Consultation")
        case .thread: return say("Thread")
        case .referral: return say("Referral")
        case .other: return say("Other")
        }
    }
}
