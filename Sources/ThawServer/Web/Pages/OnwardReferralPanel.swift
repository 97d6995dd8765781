import ThawCore
import ThawStorage

/// On a referral the partner is working: refer the client on, to another partner or back to
/// primary care, under the consent the client gives for it; and the chain of referrals this one
/// belongs to, which the clinic holding the client sees whole.
struct OnwardReferralPanel {
    var detail: ReferralDetail
    var chain: [ReferralLink]
    var organizations: [Organization]
    var viewer: Actor
    var csrf: String?
    var failed: (action: String, state: FormState)?

    func render() -> HTML {
        "\(chainHTML)\(canReferOnward ? formHTML : .empty)"
    }

    /// A partner working the referral, or one that referred the client on itself.
    private var canReferOnward: Bool {
        let referral = detail.referral
        let working = detail.side == .performer && referral.status.isWorkedByPartner
        return working && viewer.hasAny(AccessPolicy.receivingRoles)
    }

    private var chainHTML: HTML {
        guard !chain.isEmpty else { return .empty }
        let items = chain.map { link -> HTML in
            let name: HTML =
                link.openable
                ? "<a href=\"\(WebPath.referral(link.id))\">\(Words.need(link.needCategory))</a>" : "\(Words.need(link.needCategory))"
            let here: HTML = link.id == detail.referral.id ? " <span class=\"badge\">this referral</span>" : .empty
            let outcome: HTML = link.outcome.map { " — \(Words.outcome($0).lowercased())" } ?? .empty
            return """
                <li\(link.partOf == nil ? HTML.empty : HTML(raw: " class=\"onward\""))>\(name): \(link.requesterName) → \(link.ownerName ?? say("any eligible partner")) \
                \(Components.day(link.createdAt)) \(Components.statusBadge(link.status))\(outcome)\(here)</li>
                """
        }
        return """
            <section class="panel" aria-labelledby="chain-heading">
            <h2 id="chain-heading">Referred on</h2>
            <ol class="chain">\(items)</ol>
            </section>
            """
    }

    private var formHTML: HTML {
        let state = FormState.of("refer-onward", failed: failed)
        let holder = detail.client.organizationId
        let partners = organizations.filter { $0.id != viewer.organizationId }.sorted { $0.name < $1.name }
            .map { ($0.id.raw, Phrase(said: $0.id == holder ? say("%1 (back to the client’s primary care)", $0.name) : $0.name)) }
        let scopes = (detail.disclosedScopes ?? Set(ConsentScope.allCases)).sorted { $0.rawValue < $1.rawValue }
        let shared = scopes.map { Words.scope($0).lowercased() }.joined(separator: ", ")
        return """
            <section class="panel no-print" aria-labelledby="onward-heading">
            <h2 id="onward-heading">Refer the client on</h2>
            <details\(HTML.attribute("open", if: state.hasErrors))><summary>Refer to another partner, or back to primary care</summary>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.referral(detail.referral.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "refer-onward"))
            \(Components.select("organizationId", "To", state: state, options: [("", "Choose…") as (value: String, label: Phrase)] + partners, required: true))
            \(Components.select("needCategory", "For", state: state, options: Components.options(NeedCategory.self, label: Words.need), required: true))
            \(Components.textArea("note", "What they should know", state: state, rows: 2))
            \(Components.checkboxes("consent", "The client's consent", state: state,
                options: [("yes", Phrase(said: say("The client agreed that we share their %1 with this organisation, for this referral", shared)))],
                checked: []))
            <p class="hint">Not needed to refer back to the client's own primary care, which holds their record.</p>
            <button type="submit">Send referral</button>
            </form></details>
            </section>
            """
    }
}
