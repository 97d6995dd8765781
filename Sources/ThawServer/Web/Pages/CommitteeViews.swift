import ThawCore
import ThawStorage

/// Setting up a committee: name, purpose, decision rule, quorum, members.
struct NewCommitteeView {
    var me: Organization
    var organizations: [Organization]
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let rules = DecisionRule.allCases.map {
            ($0.rawValue, PartnershipWords.rule($0).replacingOccurrences(of: "decides by ", with: "").capitalizedFirst)
        }
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
                                options: organizations.map { ($0.id.raw, "\($0.name) — \(Words.sector($0.sector))") }, checked: [me.id.raw]))
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
            let votes = d.votes.map { "<li>\(names[$0.organizationId] ?? "A member"): \(PartnershipWords.vote($0.choice))</li>" as HTML }
            let outcome: HTML =
                d.tally.map {
                    "<p><strong>\(d.status == .passed ? "Passed" : "Did not pass")</strong> — \($0.explanation) (\($0.approve) for, \($0.reject) against, \($0.abstain) abstaining, \($0.absent) not voting)</p>"
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
            \(failedMotions.isEmpty ? HTML.empty : Components.select("revives", "Brings back a motion that failed", state: state("motion"), options: [("", "No, a new motion")] + failedMotions.map { ($0.id.raw, "\($0.motion) (failed \(Words.day($0.decidedAt ?? $0.openedAt)))") }))
            <button type="submit">Put the motion</button></form></details>
            """ : .empty
        let error: HTML = failed.map { ["vote", "close"].contains($0.action) ? Components.errorSummary($0.state) : .empty } ?? .empty
        return """
            <section aria-labelledby="decisions-heading"><h2 id="decisions-heading">Decision log</h2>
            \(error)\(propose)
            \(decisions.isEmpty ? HTML(raw: "<p>No motions yet.</p>") : "<ul class=\"plain\">\(rows)</ul>")</section>
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
            \(Components.checkboxes("attendeeIds", "Present", state: s, options: people.sorted { $0.value < $1.value }.map { ($0.key.raw, $0.value) }, checked: []))
            <button type="submit">Record the meeting</button></form></details>
            """ : .empty
        return
            "<section aria-labelledby=\"meetings-heading\"><h2 id=\"meetings-heading\">Meetings</h2>\(record)\(meetings.isEmpty ? HTML(raw: "<p>No meetings recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")</section>"
    }
}

/// A timeline: ledger entries and outside events in order.
struct TimelineView {
    var title: String
    var back: (href: String, label: String)
    var items: [TimelineItem]
    var names: [ID<Organization>: String]

    func render() -> HTML {
        let rows = items.map { item -> HTML in
            if let event = item.event {
                return
                    "<li class=\"event\">\(Components.date(event.occurredOn)) — <strong>\(event.title)</strong> <span class=\"badge\">\(PartnershipWords.event(event.kind))</span></li>"
            }
            guard let entry = item.activity else { return .empty }
            let who = names[entry.actorOrganizationId] ?? "An organisation"
            let to: HTML = entry.counterpartOrganizationId.flatMap { names[$0] }.map { " → \($0)" } ?? .empty
            return
                "<li>\(Components.time(entry.at)) — <strong>\(who)</strong>\(to): \(PartnershipWords.activity(entry)) <span class=\"muted\">(\(entry.channel.rawValue))</span></li>"
        }
        return """
            <p class="no-print"><a href="\(back.href)">← \(back.label)</a></p>
            <h1>\(title)</h1>
            \(items.isEmpty ? HTML(raw: "<p>Nothing yet.</p>") : "<ol class=\"timeline\">\(rows)</ol>")
            """
    }
}

extension PartnershipWords {
    static func vote(_ choice: VoteChoice) -> String {
        switch choice {
        case .approve: return "Approve"
        case .reject: return "Reject"
        case .abstain: return "Abstain"
        }
    }

    /// A policy move on a timeline: when it takes effect, and whether partners had notice.
    static func policyMove(_ detail: [String: String]) -> String {
        let effective = detail["effectiveOn"].map { ", effective \($0)" } ?? ""
        switch detail[PolicyNotice.detailKey].flatMap(PolicyNotice.Verdict.init(rawValue:)) {
        case .advance?: return "announced a policy move with notice" + effective
        case .short?: return "announced a policy move at short notice" + effective + " (a surprise)"
        case .after?, nil: return "a policy move announced after the fact" + effective + " (a surprise)"
        }
    }

    /// One ledger entry in words, for timelines.
    static func activity(_ entry: ActivityEntry) -> String {
        switch entry.kind {
        case "committee.created": return "set up the committee"
        case "committee.member-joined": return "added a member"
        case "committee.member-left": return "left the committee" + (entry.detail["reason"].map { ": “\($0)”" } ?? "")
        case ClimateLedger.walkOutKind: return "walked out of the committee" + (entry.detail["reason"].map { ": “\($0)”" } ?? "")
        case "meeting.held": return "held a meeting"
        case "decision.proposed": return "put a motion"
        case ClimateLedger.revivedKind: return "brought back a motion that failed before"
        case "decision.vote": return "voted " + (entry.detail["choice"] ?? "")
        case "decision.passed": return "motion passed — " + (entry.detail["explanation"] ?? "")
        case "decision.failed": return "motion did not pass — " + (entry.detail["explanation"] ?? "")
        case "commitment.made": return "made a commitment, due " + (entry.detail["dueOn"] ?? "")
        case "commitment.kept": return "kept a commitment"
        case "commitment.missed": return "missed a commitment due " + (entry.detail["dueOn"] ?? "")
        case "commitment.renegotiated": return "renegotiated a commitment to " + (entry.detail["dueOn"] ?? "")
        case "commitment.withdrawn": return "withdrew a commitment"
        case "consultation.invited": return "invited feedback on a consultation"
        case "consultation.feedback": return "gave feedback on a consultation"
        case "consultation.answered": return "answered a feedback item (" + (entry.detail["response"] ?? "") + ")"
        case "consultation.closed": return "closed a consultation"
        case "thread.message": return "wrote in a conversation"
        case "signal.sent":
            return "signalled: " + (entry.detail["kind"].flatMap(Signal.Kind.init(rawValue:)).map(signal) ?? "a choice made for partners")
        case "signal.acknowledged": return "acknowledged a signal"
        case "funding.agreed": return "agreed joint funding"
        case "funding.renewal": return "updated a funding renewal: " + (entry.detail["renewal"] ?? "")
        case "referral.created": return "sent a referral"
        case "referral.status-changed": return "moved a referral"
        case "referral.claimed": return "claimed an open referral"
        case "referral.message-sent": return "wrote on a referral"
        case "referral.message-read": return "read a message on a referral"
        case "consent.recorded": return "recorded a client's consent to share"
        case "consent.revoked": return "recorded a revoked consent"
        case ClimateLedger.policyMoveKind: return policyMove(entry.detail)
        case ClimateLedger.loopLapsedKind: return "let an accepted referral pass its follow-up date without an outcome"
        default: return entry.kind
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
