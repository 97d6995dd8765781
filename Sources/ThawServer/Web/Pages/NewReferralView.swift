import ThawCore
import ThawStorage

/// Starting a referral: from a need, find matching services in the directory (need, words,
/// language, capacity, ranked by relevance and distance from a postal code), see whether the
/// client's consent covers each partner, record consent on the spot if not, and send — or leave
/// the referral open for any eligible partner to claim. Services outside the Thaw network are
/// listed to contact directly. One form with two buttons, so a search never loses what was typed.
struct NewReferralView {
    struct Match {
        var hit: DirectoryHit
        /// nil: the service is in the directory but its organisation is not in the network.
        var service: Service?
        var organization: Organization?
        var consentScopes: Set<ConsentScope>
    }

    var client: Client
    var needs: [IdentifiedNeed]
    var state: FormState
    var matches: [Match]?
    /// Whether the postal code searched from could be placed (nil: none was given).
    var placed: Bool?
    var hasActiveConsent: Bool
    var idempotencyKey: String
    var csrf: String?

    func render() -> HTML {
        let categories: [(value: String, label: Phrase)] =
            [("", "Choose a need…")] + NeedCategory.allCases.map { ($0.rawValue, Phrase(said: Words.need($0))) }
        let needBoxes: HTML =
            needs.isEmpty
            ? .empty
            : Components.checkboxes(
                "needIds", "Identified needs this referral addresses", state: state,
                options: needs.map { ($0.id.raw, Phrase(said: say("%1 (identified %2)", Words.need($0.category), Words.date($0.identifiedOn)))) },
                checked: [])
        let capacities = state.values("capacity").isEmpty ? [Capacity.accepting.rawValue, Capacity.waitlist.rawValue] : state.values("capacity")
        return """
            <h1>New referral for \(client.givenName) \(client.familyName)</h1>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.newReferral(client.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("idempotencyKey", idempotencyKey))
            <section class="panel" aria-labelledby="need-heading">
            <h2 id="need-heading">1. The need and matching services</h2>
            \(Components.select("needCategory", "Need", state: state, options: categories, required: true))
            \(needBoxes)
            <div class="filters">
            \(Components.textField("keyword", "Words", state: state, type: "search", hint: "e.g. rent bank, épicerie"))
            \(Components.textField("postalCode", "Near postal code", state: state, hint: "Nearest first, within 50 km"))
            \(Components.textField("language", "Language", state: state, hint: "e.g. en, fr, pa"))
            </div>
            \(Components.checkboxes("capacity", "Capacity", state: state,
                                options: Capacity.allCases.map { ($0.rawValue, Phrase(said: Words.capacity($0))) }, checked: Set(capacities)))
            \(Components.checkboxes("openNow", "Hours", state: state, options: [("yes", "Open now")], checked: []))
            <button type="submit" name="action" value="search" class="button-secondary">Find services</button>
            </section>
            \(matches.map(resultsHTML) ?? .empty)
            </form>
            """
    }

    private func resultsHTML(_ matches: [Match]) -> HTML {
        let chosen = state.value("target")
        let items = matches.map { match -> HTML in
            guard let service = match.service, let organization = match.organization else { return listed(match.hit) }
            let id = "target-\(service.id.raw)"
            let consent: HTML =
                match.consentScopes.isEmpty
                ? "<span class=\"overdue\"><span aria-hidden=\"true\">⚠ </span>No consent covers this partner yet — record it below to send.</span>"
                : "<span>Consent covers this partner: \(match.consentScopes.sorted { $0.rawValue < $1.rawValue }.map { Words.scope($0) }.joined(separator: ", ")).</span>"
            return """
                <li class="panel service">
                <input type="radio" id="\(id)" name="target" value="service:\(service.id.raw)"\(HTML.attribute("checked", if: chosen == "service:" + service.id.raw))>
                <label for="\(id)"><strong>\(service.name)</strong> — \(organization.name)</label>
                \(Components.capacityBadge(service.capacity))\(distance(match.hit))\(hours(match.hit))
                \(freshness(match.hit))
                <p>\(service.description)</p>
                <dl class="facts"><dt>Eligibility</dt><dd>\(service.eligibility.isEmpty ? "Anyone" : service.eligibility)</dd>
                <dt>Area</dt><dd>\(service.areaServed)</dd>
                <dt>Languages</dt><dd>\(verbatim(service.languages.joined(separator: ", ")))</dd>
                <dt>Consent</dt><dd>\(consent)</dd></dl>
                </li>
                """
        }
        let openOption: HTML = """
            <li class="panel service">
            <input type="radio" id="target-open" name="target" value="open"\(HTML.attribute("checked", if: chosen == "open"))>
            <label for="target-open"><strong>Leave it open</strong> for any eligible partner to claim</label>
            <p class="hint">\(hasActiveConsent ? say("The client's active consents decide which partners may see it.") : say("The client has no active consent yet: record one below (for example for every social-care organisation)."))</p>
            </li>
            """
        let grantees: [(value: String, label: Phrase)] =
            [("partner", "The partner chosen above")]
            + Sector.allCases.map { ("sector:" + $0.rawValue, Phrase(said: Words.everyOrganisation(in: $0))) }
        let priorities = Components.options(Priority.self, label: Words.priority)
        let targetError: HTML =
            state.errors["target"].map { "<p class=\"field-error\" id=\"f-target\"><span aria-hidden=\"true\">⚠ </span>\($0)</p>" } ?? .empty
        let consentError: HTML =
            state.errors["consent"].map { "<p class=\"field-error\" id=\"f-consent\"><span aria-hidden=\"true\">⚠ </span>\($0)</p>" } ?? .empty
        let placement: HTML =
            placed == false ? "<p class=\"hint\">The directory has no place for that postal code yet, so the list is not by distance.</p>" : .empty
        return """
            <section aria-labelledby="results-heading">
            <h2 id="results-heading">2. Choose where to send it</h2>\(placement)
            <fieldset class="field"><legend>\(matches.isEmpty ? say("No service matches; you can still leave the referral open.") : Words.count(matches.count, one: "%1 matching service", many: "%1 matching services"))</legend>
            \(targetError)
            <ul class="plain results">\(items)\(openOption)</ul>
            </fieldset>
            </section>
            <section class="panel" aria-labelledby="consent-heading">
            <h2 id="consent-heading">3. Consent</h2>
            \(consentError)
            <div class="check"><input type="checkbox" id="f-recordConsent" name="recordConsent" value="yes"\(HTML.attribute("checked", if: state.value("recordConsent") == "yes"))>
            <label for="f-recordConsent">The client has just consented to share their information as follows</label></div>
            \(ConsentFields.render(state: state, grantees: grantees))
            </section>
            <section class="panel" aria-labelledby="details-heading">
            <h2 id="details-heading">4. Details and send</h2>
            \(Components.select("priority", "Priority", state: state, options: priorities, selected: Priority.routine.rawValue))
            \(Components.textArea("note", "Note for the partner", state: state, hint: "Shared only if the client's consent covers referral notes"))
            \(Components.textField("firstResponseDue", "First response due", state: state, type: "date", hint: "Leave empty for the default for this priority"))
            \(Components.textField("followUpDue", "Follow up on", state: state, type: "date", hint: "Leave empty for two weeks from today"))
            <button type="submit" name="action" value="send">Send referral</button>
            </section>
            """
    }

    /// A service outside the network: shown, not chosen; the navigator contacts it directly.
    private func listed(_ hit: DirectoryHit) -> HTML {
        """
        <li class="panel service listed">
        <p><strong>\(hit.name)</strong> — \(hit.organizationName)</p>
        \(Components.capacityBadge(hit.capacity))\(distance(hit))\(hours(hit))
        \(freshness(hit))
        <p class="hint">Outside the Thaw network: contact this service directly.\(hit.areaServed.isEmpty ? "" : " " + say("Area served: %1.", hit.areaServed))</p>
        </li>
        """
    }

    /// The wait on a waitlist, and when the record was last verified and by whom; a stale record is flagged.
    private func freshness(_ hit: DirectoryHit) -> HTML {
        let wait: HTML = hit.waitTime.map { " <span class=\"meta\">Wait: \($0)</span>" } ?? .empty
        let verified: String
        if let at = hit.verifiedAt {
            verified = hit.verifiedBy.map { say("Verified %1 by %2", Words.day(at), $0) } ?? say("Verified %1", Words.day(at))
        } else {
            verified = say("Never verified")
        }
        let text: HTML =
            hit.stale
            ? "<span class=\"overdue stale\"><span aria-hidden=\"true\">⚠ </span>\(verified): may be out of date — check with the service.</span>"
            : "<span class=\"meta\">\(verified)</span>"
        return "<p class=\"freshness\">\(text)\(wait)</p>"
    }

    private func hours(_ hit: DirectoryHit) -> HTML {
        switch hit.openNow {
        case true?: " <span class=\"meta open-now\">Open now</span>"
        case false?: " <span class=\"meta\">Closed now</span>"
        case nil: .empty
        }
    }

    private func distance(_ hit: DirectoryHit) -> HTML {
        guard let kilometres = hit.kilometres else { return .empty }
        let text = kilometres < 1 ? "\(Int((kilometres * 1000 / 50).rounded()) * 50) m" : "\(Int(kilometres.rounded())) km"
        return " <span class=\"meta\">\(text) away</span>"
    }
}
