import ThawCore
import ThawStorage

/// On an organisation's administration page: the people placed with it from other organisations,
/// with the roles, dates and a way to end each placement, and a form to place someone.
struct PlacementsPanel {
    var organization: Organization
    var placements: [Placement]
    var names: [ID<Organization>: String]
    var today: CalendarDate
    var csrf: String?
    var failed: (action: String, state: FormState)?

    func render() -> HTML {
        let path = WebPath.organization(organization.id)
        let rows = placements.map { placement -> HTML in
            let state: HTML =
                placement.endedAt != nil ? "ended" : placement.isActive(on: today) ? "<strong>active</strong>" : say("not in its dates")
            let end: HTML =
                placement.endedAt == nil
                ? """
                <form method="post" action="\(path)" class="inline">\(Components.csrfField(csrf))\(Components.hidden("action", "end-placement"))\
                \(Components.hidden("placement", placement.id.raw))<button type="submit" class="button-secondary">End</button></form>
                """ : .empty
            return """
                <li>\(names[placement.homeOrganizationId] ?? say("Another organisation")) · \(placement.roles.map { Words.role($0) }.sorted().joined(separator: ", ")) \
                · \(Components.date(placement.fromOn))\(placement.untilOn.map { " to \(Components.date($0))" } ?? HTML.empty) · \(state) \(end)</li>
                """
        }
        let state = FormState.of("placement", failed: failed)
        let roles = NewPlacement.placeableRoles.sorted { $0.rawValue < $1.rawValue }.map { ($0.rawValue, Phrase(said: Words.role($0))) }
        return """
            <section class="panel" aria-labelledby="placements-heading">
            <h2 id="placements-heading">People placed with us</h2>
            \(placements.isEmpty ? HTML(stringLiteral: "<p>Nobody from another organisation is placed here.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            <details\(HTML.attribute("open", if: state.hasErrors))><summary>Place someone from another organisation</summary>
            \(Components.errorSummary(state, idSuffix: "-placement"))
            <form method="post" action="\(path)" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "placement"))
            \(Components.textField("email", "Their email (they sign in with it)", state: state, type: "email", required: true, idSuffix: "-placement"))
            \(Components.checkboxes("roles", "Roles here", state: state, options: roles, checked: [Role.navigator.rawValue], idSuffix: "-placement"))
            \(Components.textField("fromOn", "From", state: state, type: "date", required: true, idSuffix: "-placement"))
            \(Components.textField("untilOn", "Until", state: state, type: "date", hint: "Leave empty for no end date", idSuffix: "-placement"))
            <p class="hint">While placed, they work this organisation's clients and referrals with these roles; the record names both organisations.</p>
            <button type="submit">Place</button>
            </form></details>
            </section>
            """
    }
}
