import ThawCore
import ThawStorage

/// Policy moves on the partnership page: the ones my organisation made or was
/// affected by, each with the notice partners had, and the form to record one
/// (ours, told to the partners it affects, or a partner's that caught us out).
struct PolicyMovesPanel {
    var me: Organization
    var moves: [PolicyMove]
    var organizations: [Organization]
    var state: FormState
    var open: Bool
    var csrf: String?

    private var names: [ID<Organization>: String] { Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) }) }

    func render() -> HTML {
        let rows = moves.prefix(12).map { move -> HTML in
            let mine = move.organizationId == me.id
            let whom =
                mine
                ? say("to %1", move.affectedOrganizationIds.compactMap { names[$0] }.joined(separator: ", "))
                : say("by %1", names[move.organizationId] ?? say("a partner"))
            return """
                <li><strong>\(move.title)</strong> <span class="muted">(\(PolicyMoveWords.kind(move.kind)) \(whom))</span><br>
                Effective \(Components.date(move.effectiveOn)), told \(Components.date(move.announcedOn)):
                <span class="badge \(move.notice == .advance ? "status-completed" : "status-requested")">\(PolicyMoveWords.notice(move))</span></li>
                """
        }
        let partners = organizations.filter { $0.id != me.id }
        return """
            <section class="panel" aria-labelledby="policy-moves-heading"><h2 id="policy-moves-heading">Policy moves</h2>
            <p class="hint">Changes, plans and decisions that affect partners, with the day they take effect and the day partners were told. \
            Telling them at least \(PolicyNotice.defaultDays) days ahead counts for the relationship; a surprise counts against it.</p>
            \(moves.isEmpty ? HTML(stringLiteral: "<p>No policy moves recorded.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            <details\(HTML.attribute("open", if: open))><summary>Record a policy move</summary>
            \(Components.errorSummary(state, idSuffix: "-policy"))
            <form method="post" action="\(WebPath.partnership)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "policy"))
            \(Components.select("madeBy", "Whose move", state: state, options: [(me.id.raw, "Ours")] + partners.map { ($0.id.raw, Phrase(said: say("%1’s, affecting us", $0.name))) }, selected: me.id.raw, idSuffix: "-policy"))
            \(Components.select("kind", "Kind", state: state, options: Components.options(PolicyMove.Kind.self, label: PolicyMoveWords.kind), idSuffix: "-policy"))
            \(Components.textField("title", "Title", state: state, required: true, idSuffix: "-policy"))
            \(Components.textArea("summary", "What changes, for whom", state: state, required: true, idSuffix: "-policy"))
            \(Components.textField("effectiveOn", "Takes effect on", state: state, type: "date", required: true, idSuffix: "-policy"))
            \(Components.textField("announcedOn", "Partners were told on", state: state, type: "date", hint: "Leave empty for today", idSuffix: "-policy"))
            \(Components.textField("noticeDays", "Notice partners expect, in days", state: state, type: "number", hint: Phrase(said: say("%1 unless you have agreed otherwise", String(PolicyNotice.defaultDays))), idSuffix: "-policy"))
            \(Components.checkboxes("affected", "Partners it affects (for our own moves)", state: state, options: partners.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: [], idSuffix: "-policy"))
            <button type="submit">Record the policy move</button></form></details></section>
            """
    }
}

/// How policy moves read to people.
enum PolicyMoveWords {
    static func kind(_ kind: PolicyMove.Kind) -> String {
        switch kind {
        case .policyChange: return say("policy change")
        case .plan: return say("plan")
        case .decision: return say("decision")
        }
    }

    static func notice(_ move: PolicyMove) -> String {
        let days = move.effectiveOn.days(since: move.announcedOn)
        switch move.notice {
        case .advance: return say("%1 days’ notice", days)
        case .short: return say("short notice (%1 of %2 days): a surprise", days, move.noticeDays)
        case .after:
            return days == 0
                ? say("told the day it took effect: a surprise")
                : Words.count(-days, one: "told %1 day after it took effect: a surprise", many: "told %1 days after it took effect: a surprise")
        }
    }
}
