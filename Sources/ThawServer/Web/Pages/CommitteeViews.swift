import ThawCore
import ThawStorage

/// Setting up a committee: name, purpose, decision rule, quorum, members.
struct NewCommitteeView {
    var me: Organization
    var organizations: [Organization]
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let rules = DecisionRule.allCases.map { ($0.rawValue, Phrase(said: PartnershipWords.ruleName($0))) }
        return """
            <h1>Set up a committee</h1>
            <section class="panel">
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.newCommittee)" novalidate>\(Components.csrfField(csrf))
            \(Components.textField("name", "Name", state: state, required: true))
            \(Components.textArea("purpose", "Purpose", state: state))
            \(Components.select("decisionRule", "How it decides", state: state, options: rules, selected: DecisionRule.sectorParity.rawValue,
                            hint: "Sector parity gives health and social partners equal authority: a motion passes only with a majority in every sector."))
            \(Components.textField("quorum", "Quorum (member organisations that must vote)", state: state, type: "text", required: true, value: state.value("quorum", default: "2")))
            \(Components.checkboxes("members", "Member organisations (yours included)", state: state,
                                options: organizations.map { ($0.id.raw, Phrase(said: "\($0.name) — \(Words.sector($0.sector))")) }, checked: [me.id.raw]))
            <button type="submit">Set up the committee</button>
            </form></section>
            """
    }
}

/// A committee: members by sector, meetings with minutes, the decision log with
/// every vote and tally, and what this user's organisation may do now.
struct CommitteeView {
    var committee: Committee
    var members: [CommitteeMember]
    var meetings: [Meeting]
    var decisions: [Decision]
    /// Motions that failed in my organisation's committees, which a new motion may bring back.
    var failedMotions: [Decision] = []
    var me: Organization
    var people: [ID<User>: String]
    var csrf: String?
    var failed: (action: String, state: FormState)?

    private func state(_ action: String) -> FormState { .of(action, failed: failed) }
    private var path: String { WebPath.committee(committee.id) }
    private var isCurrentMember: Bool { members.contains { $0.organizationId == me.id && $0.isCurrent } }
    private var names: [ID<Organization>: String] { Dictionary(uniqueKeysWithValues: members.map { ($0.organizationId, $0.organizationName) }) }

    func render() -> HTML {
        """
        <p class="no-print"><a href="\(WebPath.partnership)">← Partnership</a> · <a href="\(WebPath.committeeTimeline(committee.id))">Timeline of this committee</a></p>
        <h1>\(committee.name)</h1>
        <p>\(committee.purpose)</p>
        <p class="muted">This committee \(PartnershipWords.rule(committee.decisionRule)); quorum \(committee.quorum) member organisations.</p>
        <div class="columns">
        <div>\(decisionsHTML)\(meetingsHTML)</div>
        <div>\(membersHTML)</div>
        </div>
        """
    }

    private var membersHTML: HTML {
        let rows = members.map { m -> HTML in
            let left: HTML =
                m.leftAt.map { " <span class=\"badge\">Left \(Components.time($0))</span><br><span class=\"muted\">“\(m.leftReason ?? "")”</span>" }
                ?? .empty
            return "<li><strong>\(m.organizationName)</strong> <span class=\"muted\">\(Words.sector(m.sector))</span>\(left)</li>"
        }
        let leave: HTML =
            isCurrentMember
            ? """
            <details\(HTML.attribute("open", if: failed?.action == "leave"))><summary>Leave this committee</summary>
            <form method="post" action="\(path)" novalidate data-confirm="Leave this committee? It is recorded with your reason.">\(Components.csrfField(csrf))\(Components.hidden("action", "leave"))
            \(Components.textArea("reason", "Why your organisation is leaving", state: state("leave"), required: true))
            \(Components.checkboxes("walkOut", "How you leave", state: state("leave"), options: [("yes", "In protest: we are walking out (it counts against our relations with the members who stay)")], checked: []))
            <button type="submit" class="button-danger">Leave the committee</button></form></details>
            """ : "<p class=\"muted\">Your organisation is no longer a member; you can read the record.</p>"
        return
            "<section class=\"panel\" aria-labelledby=\"members-heading\"><h2 id=\"members-heading\">Members</h2><ul class=\"plain\">\(rows)</ul>\(leave)</section>"
    }

    private var decisionsHTML: HTML {
        let rows = decisions.map { d -> HTML in
            let votes = d.votes.map { "<li>\(names[$0.organizationId] ?? say("A member")): \(PartnershipWords.vote($0.choice))</li>" as HTML }
            let outcome: HTML =
                d.tally.map {
                    "<p><strong>\(d.status == .passed ? say("Passed") : say("Did not pass"))</strong> — \(PartnershipWords.explanation($0, committee.decisionRule)) \(say("(%1 for, %2 against, %3 abstaining, %4 not voting)", $0.approve, $0.reject, $0.abstain, $0.absent))</p>"
                }
                ?? "<p><span class=\"badge\">Open for votes</span></p>"
            var actions: [HTML] = []
            if d.status == .open && isCurrentMember {
                if !d.votes.contains(where: { $0.organizationId == me.id }) {
                    let choices = VoteChoice.allCases.map { c -> HTML in
                        let id = "vote-\(d.id.raw)-\(c.rawValue)"
                        return
                            "<span class=\"check\"><input type=\"radio\" id=\"\(id)\" name=\"choice\" value=\"\(c)\"\(HTML.attribute("checked", if: c == .approve))> <label for=\"\(id)\">\(PartnershipWords.vote(c))</label></span>"
                    }
                    actions.append(
                        """
                        <form method="post" action="\(path)">\(Components.csrfField(csrf))\(Components.hidden("action", "vote"))\(Components.hidden("decision", d.id.raw))
                        <fieldset class="checks"><legend>Your organisation's vote</legend>\(choices)</fieldset><button type="submit">Vote</button></form>
                        """)
                }
                actions.append(
                    """
                    <form method="post" action="\(path)">\(Components.csrfField(csrf))\(Components.hidden("action", "close"))\(Components.hidden("decision", d.id.raw))
                    <button type="submit" class="button-secondary">Count the votes<span class="visually-hidden"> on “\(d.motion)”</span></button></form>
                    """)
            }
            return
                "<li class=\"panel\"><p><strong>\(d.motion)</strong> <span class=\"muted\">put \(Components.time(d.openedAt))</span></p>\(outcome)<ul>\(votes)</ul><div class=\"actions\">\(actions)</div></li>"
        }
        let propose: HTML =
            isCurrentMember
            ? """
            <details\(HTML.attribute("open", if: failed?.action == "motion"))><summary>Put a motion</summary>
            \(Components.errorSummary(state("motion")))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "motion"))
            \(Components.textArea("motion", "Motion", state: state("motion"), required: true))
            \(failedMotions.isEmpty ? HTML.empty : Components.select("revives", "Brings back a motion that failed", state: state("motion"), options: [("", "No, a new motion")] + failedMotions.map { ($0.id.raw, Phrase(said: say("%1 (failed %2)", $0.motion, Words.day($0.decidedAt ?? $0.openedAt)))) }))
            <button type="submit">Put the motion</button></form></details>
            """ : .empty
        let error: HTML = failed.map { ["vote", "close"].contains($0.action) ? Components.errorSummary($0.state) : .empty } ?? .empty
        return """
            <section aria-labelledby="decisions-heading"><h2 id="decisions-heading">Decision log</h2>
            \(error)\(propose)
            \(decisions.isEmpty ? HTML(stringLiteral: "<p>No motions yet.</p>") : "<ul class=\"plain\">\(rows)</ul>")</section>
            """
    }

    private var meetingsHTML: HTML {
        let rows = meetings.reversed().map { m -> HTML in
            let agenda = m.agenda.map { "<li>\($0)</li>" as HTML }
            let present = m.attendeeIds.compactMap { people[$0] }.joined(separator: ", ")
            return """
                <li class="panel"><h3>Meeting of \(Components.time(m.heldAt))</h3><p class="muted">Present: \(present.isEmpty ? "not recorded" : present)</p>
                <ol>\(agenda)</ol>\(m.minutes.map { "<p><strong>Minutes:</strong> \($0)</p>" as HTML } ?? .empty)</li>
                """
        }
        let s = state("meeting")
        let record: HTML =
            isCurrentMember
            ? """
            <details\(HTML.attribute("open", if: failed?.action == "meeting"))><summary>Record a meeting</summary>
            \(Components.errorSummary(s))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "meeting"))
            \(Components.textField("heldOn", "Held on", state: s, type: "date", required: true))
            \(Components.textArea("agenda", "Agenda", state: s, required: true, hint: "One item per line"))
            \(Components.textArea("minutes", "Minutes", state: s, rows: 5))
            \(Components.checkboxes("attendeeIds", "Present", state: s, options: people.sorted { $0.value < $1.value }.map { ($0.key.raw, Phrase(said: $0.value)) }, checked: []))
            <button type="submit">Record the meeting</button></form></details>
            """ : .empty
        return
            "<section aria-labelledby=\"meetings-heading\"><h2 id=\"meetings-heading\">Meetings</h2>\(record)\(meetings.isEmpty ? HTML(stringLiteral: "<p>No meetings recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")</section>"
    }
}

/// A timeline: ledger entries and outside events in order.
struct TimelineView {
    var title: Phrase
    var back: (href: String, label: Phrase)
    var items: [TimelineItem]
    var names: [ID<Organization>: String]
    /// The viewer's own research codings on this committee's or pair's records, if they brought any in.
    var annotations: [ResearchAnnotation] = []

    func render() -> HTML {
        let rows = items.map { item -> HTML in
            if let event = item.event {
                return
                    "<li class=\"event\">\(Components.date(event.occurredOn)) — <strong>\(event.title)</strong> <span class=\"badge\">\(PartnershipWords.event(event.kind))</span></li>"
            }
            guard let entry = item.activity else { return .empty }
            let who = names[entry.actorOrganizationId] ?? say("An organisation")
            let to: HTML = entry.counterpartOrganizationId.flatMap { names[$0] }.map { " → \($0)" } ?? .empty
            return
                "<li>\(Components.time(entry.at)) — <strong>\(who)</strong>\(to): \(PartnershipWords.activity(entry)) <span class=\"muted\">(\(Words.channel(entry.channel)))</span></li>"
        }
        return """
            <p class="no-print"><a href="\(back.href)">← \(back.label)</a></p>
            <h1>\(title)</h1>
            \(items.isEmpty ? HTML(stringLiteral: "<p>Nothing yet.</p>") : "<ol class=\"timeline\">\(rows)</ol>")
            \(researchCodings)
            """
    }

    /// Shown only to the researcher who made them.
    private var researchCodings: HTML {
        guard !annotations.isEmpty else { return .empty }
        let rows = annotations.map { a -> HTML in "<li><strong>\(a.code)</strong>: “\(a.quote)” <span class=\"muted\">(\(a.project))</span></li>" }
        return """
            <section class="panel" aria-labelledby="codings-heading"><h2 id="codings-heading">Your research codings</h2>
            <p class="hint">Only you see these: the codings you brought in from your own analysis.</p><ul>\(rows)</ul></section>
            """
    }
}

extension PartnershipWords {
    /// How the committee's rule read the votes, in the viewer's words (the tally's own
    /// explanation is kept in English for the record).
    static func explanation(_ t: DecisionTally, _ rule: DecisionRule) -> String {
        switch rule {
        case .consensus:
            if t.reject > 0 { return say("no consensus: %1 member organisation(s) rejected", t.reject) }
            return t.approve == 0 ? say("no consensus: nobody approved") : say("consensus: %1 approved, none rejected", t.approve)
        case .simpleMajority:
            if t.approve > t.reject { return say("majority: %1 for, %2 against", t.approve, t.reject) }
            return t.approve == t.reject
                ? say("tie: %1 for, %2 against", t.approve, t.reject) : say("rejected: %1 for, %2 against", t.approve, t.reject)
        case .sectorParity:
            let blocking = t.sectors.filter { $0.value.approve * 2 <= $0.value.members }.keys.compactMap(Sector.init(rawValue:)).map(Words.sector)
            return blocking.isEmpty
                ? say("a majority of the members of every sector approved")
                : say("no majority of members approved in: %1", blocking.sorted().joined(separator: ", "))
        }
    }

    static func vote(_ choice: VoteChoice) -> String {
        switch choice {
        case .approve: return say("Approve")
        case .reject: return say("Reject")
        case .abstain: return say("Abstain")
        }
    }

    /// A policy move on a timeline: when it takes effect, and whether partners had notice.
    static func policyMove(_ detail: [String: String]) -> String {
        let effective = detail["effectiveOn"].flatMap(CalendarDate.init).map { ", " + say("effective %1", Words.date($0)) } ?? ""
        switch detail[PolicyNotice.detailKey].flatMap(PolicyNotice.Verdict.init(rawValue:)) {
        case .advance?: return say("announced a policy move with notice") + effective
        case .short?: return say("announced a policy move at short notice") + effective + " " + say("(a surprise)")
        case .after?, nil: return say("a policy move announced after the fact") + effective + " " + say("(a surprise)")
        }
    }

    /// One ledger entry in words, for timelines.
    static func activity(_ entry: ActivityEntry) -> String {
        func day(_ key: String) -> String { entry.detail[key].flatMap(CalendarDate.init).map(Words.date) ?? "?" }
        switch entry.kind {
        case "committee.created": return say("set up the committee")
        case "committee.member-joined": return say("added a member")
        case "committee.member-left": return say("left the committee") + (entry.detail["reason"].map { ": “\($0)”" } ?? "")
        case ClimateLedger.walkOutKind: return say("walked out of the committee") + (entry.detail["reason"].map { ": “\($0)”" } ?? "")
        case "meeting.held": return say("held a meeting")
        case "decision.proposed": return say("put a motion")
        case ClimateLedger.revivedKind: return say("brought back a motion that failed before")
        case "decision.vote":
            let choice = entry.detail["choice"].flatMap(VoteChoice.init(rawValue:)).map(PartnershipWords.vote)?.lowercased()
            return choice.map { say("voted %1", $0) } ?? say("voted")
        // The rule's explanation is on the committee's decision log, in the reader's words.
        case "decision.passed": return say("motion passed")
        case "decision.failed": return say("motion did not pass")
        case "commitment.made": return say("made a commitment, due %1", day("dueOn"))
        case "commitment.kept": return say("kept a commitment")
        case "commitment.missed": return say("missed a commitment due %1", day("dueOn"))
        case "commitment.renegotiated": return say("renegotiated a commitment to %1", day("dueOn"))
        case "commitment.withdrawn": return say("withdrew a commitment")
        case "consultation.invited": return say("invited feedback on a consultation")
        case "consultation.feedback": return say("gave feedback on a consultation")
        case "consultation.answered":
            let response = entry.detail["response"].flatMap(FeedbackItem.Response.init(rawValue:)).map(PartnershipWords.response)?.lowercased()
            return response.map { say("answered a feedback item (%1)", $0) } ?? say("answered a feedback item")
        case "consultation.closed": return say("closed a consultation")
        case "thread.message": return say("wrote in a conversation")
        case "signal.sent":
            return say("signalled: %1", entry.detail["kind"].flatMap(Signal.Kind.init(rawValue:)).map(signal) ?? say("a choice made for partners"))
        case "signal.acknowledged": return say("acknowledged a signal")
        case "funding.agreed": return say("agreed joint funding")
        case "funding.renewal":
            let renewal = entry.detail["renewal"].flatMap(FundingAgreement.Renewal.init(rawValue:)).map(PartnershipWords.renewal)
            return renewal.map { say("updated a funding renewal: %1", $0) } ?? say("updated a funding renewal")
        case "referral.created": return say("sent a referral")
        case "referral.status-changed": return say("moved a referral")
        case "referral.claimed": return say("claimed an open referral")
        case "referral.message-sent": return say("wrote on a referral")
        case "referral.message-read": return say("read a message on a referral")
        case "consent.recorded": return say("recorded a client's consent to share")
        case "consent.revoked": return say("recorded a revoked consent")
        case ClimateLedger.policyMoveKind: return policyMove(entry.detail)
        case ClimateLedger.loopLapsedKind: return say("let an accepted referral pass its follow-up date without an outcome")
        default: return entry.kind
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
