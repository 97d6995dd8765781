import ThawCore
import ThawStorage

/// Each identified need's story on the client page: identified, referred where and what came
/// of it, and how it closed. Open needs come first, each with a way to refer it or close it.
struct NeedStoriesPanel {
    var clientId: ID<Client>
    var needs: [IdentifiedNeed]
    var referrals: [ClientReferral]
    var csrf: String?
    var failed: [String: FormState]

    func render() -> HTML {
        let open = needs.filter(\.isOpen), closed = needs.filter { !$0.isOpen }
        let closedHTML: HTML =
            closed.isEmpty
            ? .empty
            : "<h3>Closed</h3><ul class=\"plain needs\">\(closed.map(story))</ul>"
        return """
            <section class="panel" aria-labelledby="needs-heading">
            <h2 id="needs-heading">Identified needs</h2>
            \(open.isEmpty ? HTML(stringLiteral: "<p>No open needs. Record a screening below when something changes.</p>") : "<ul class=\"plain needs\">\(open.map(story))</ul>")
            <p><a href="\(WebPath.newReferral(clientId))">Start a referral</a></p>
            \(closedHTML)
            </section>
            """
    }

    private func story(_ need: IdentifiedNeed) -> HTML {
        let mine = referrals.filter { $0.referral.status != .draft && ScopedStore.isFor($0.referral, need) }.reversed()
        let steps = mine.map { item -> HTML in
            let r = item.referral
            let outcome: HTML = r.outcome.map { " — \(Words.outcome($0.code).lowercased())" } ?? .empty
            return """
                <li>Referred to <a href="\(WebPath.referral(r.id))">\(item.partnerName ?? say("any eligible partner"))</a> \
                \(Components.day(r.createdAt)): \(Components.statusBadge(r.status))\(outcome)</li>
                """
        }
        let closing: HTML =
            need.closedOn.map { "<li><strong>\(Words.needStatus(need.status))</strong> \(Components.date($0))</li>" } ?? .empty
        let referredNote: HTML = mine.isEmpty && need.isOpen ? "<li class=\"attention-text\">Not referred yet</li>" : .empty
        return """
            <li class="need-story"><strong>\(Words.need(need.category))</strong> \
            <span class="muted">identified \(Components.date(need.identifiedOn))</span>
            <ol class="story">\(referredNote)\(steps)\(closing)</ol>
            \(need.isOpen ? actions(need) : .empty)
            </li>
            """
    }

    private func actions(_ need: IdentifiedNeed) -> HTML {
        let action = "close-need-" + need.id.raw
        let state = failed[action] ?? FormState()
        let reasons = IdentifiedNeed.Status.allCases.filter { $0 != .active }.map { ($0.rawValue, Phrase(said: Words.needStatus($0))) }
        return """
            <p class="no-print"><a class="button button-secondary" href="\(WebPath.newReferral(clientId))?need=\(need.id.raw)">Refer\
            <span class="visually-hidden"> for \(Words.need(need.category).lowercased())</span></a></p>
            <details class="no-print"\(HTML.attribute("open", if: state.hasErrors))><summary>Close this need\
            <span class="visually-hidden"> (\(Words.need(need.category).lowercased()))</span></summary>
            <form method="post" action="\(WebPath.client(clientId))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "close-need"))\(Components.hidden("need", need.id.raw))
            \(Components.select("status", "Why", state: state, options: reasons, required: true, idSuffix: "-" + need.id.raw))
            \(Components.textField("closedOn", "On", state: state, type: "date", hint: "Leave empty for today", idSuffix: "-" + need.id.raw))
            <button type="submit">Close need</button>
            </form></details>
            """
    }
}
