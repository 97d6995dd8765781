import ThawCore

/// An organisation's own services as its staff keep them: capacity in two clicks (this page,
/// then the capacity), the wait on a waitlist, and when each was last verified and by whom.
/// Services unverified for longer than the network's policy come first, to be checked.
struct OurServicesView {
    var services: [Service]
    var stale: [Service]
    var policyDays: Int
    /// A service to check now (after a referral to it was declined for lack of capacity).
    var check: Service?
    var now: Timestamp
    var csrf: String?

    /// The waits offered on a waitlist, in days.
    static var waits: [(days: Int, label: Phrase)] {
        [
            (7, "About a week"), (14, "About 2 weeks"), (30, "About a month"), (60, "About 2 months"), (90, "About 3 months"),
            (180, "About 6 months")
        ]
    }

    func render() -> HTML {
        let checkHTML: HTML =
            check.map { service in
                """
                <section class="panel callout" aria-labelledby="check-heading">
                <h2 id="check-heading">\(say("Is %1 still %2?", service.name, Self.state(service.capacity)))</h2>
                <p>A referral to it was declined for lack of capacity. If it has no room, say so here, and navigators will see it before they refer.</p>
                \(capacityForm(service, context: "check"))
                </section>
                """
            } ?? .empty
        let staleHTML: HTML =
            stale.isEmpty
            ? .empty
            : """
            <section class="panel" aria-labelledby="stale-heading">
            <h2 id="stale-heading">To verify (\(stale.count))</h2>
            <p>Not verified in the last \(policyDays) days: navigators see these flagged as possibly out of date.</p>
            <ul class="plain">\(stale.map { service -> HTML in
                """
                <li><strong>\(service.name)</strong> — \(verified(service)) \(verifyForm(service))</li>
                """
            })</ul>
            </section>
            """
        let items: HTML =
            services.isEmpty
            ? "<p>Your organisation has no services in the directory yet.</p>"
            : "<ul class=\"plain results\">\(services.map(item))</ul>"
        return """
            <h1>Our services</h1>
            <p class="hint">What navigators see when they choose where to refer. Keep capacity current: one click sets it, and says the record is right.</p>
            \(checkHTML)\(staleHTML)
            <section aria-labelledby="all-heading"><h2 id="all-heading">All our services</h2>\(items)</section>
            """
    }

    private func item(_ service: Service) -> HTML {
        let wait: HTML = service.estimatedWaitDays.map { " <span class=\"meta\">Wait: \(Freshness.waitTime(days: $0))</span>" } ?? .empty
        return """
            <li class="panel service" id="service-\(service.id.raw)">
            <p><strong>\(service.name)</strong> \(Components.capacityBadge(service.capacity))\(wait)</p>
            <p class="freshness">\(verified(service))</p>
            \(capacityForm(service, context: "list"))
            </li>
            """
    }

    private func verified(_ service: Service) -> HTML {
        guard let at = service.verifiedAt else {
            return "<span class=\"overdue stale\"><span aria-hidden=\"true\">⚠ </span>Never verified</span>"
        }
        let text = service.verifiedBy.map { say("Verified %1 by %2", Words.day(at), $0) } ?? say("Verified %1", Words.day(at))
        return service.isStale(policyDays: policyDays, now: now)
            ? "<span class=\"overdue stale\"><span aria-hidden=\"true\">⚠ </span>\(text)</span>" : "<span class=\"meta\">\(text)</span>"
    }

    /// One button per capacity (the current one says it is still right), and the wait for a waitlist.
    private func capacityForm(_ service: Service, context: String) -> HTML {
        let waitId = "wait-\(context)-\(service.id.raw)"
        let current = service.estimatedWaitDays ?? 30
        let options = Self.waits.map { wait -> HTML in
            "<option value=\"\(wait.days)\"\(HTML.attribute("selected", if: wait.days == current))>\(wait.label)</option>"
        }
        let buttons = Capacity.allCases.map { capacity -> HTML in
            let label = capacity == service.capacity ? say("Still %1", Self.state(capacity)) : Words.capacity(capacity)
            let style: HTML = capacity == service.capacity ? "" : HTML(raw: " class=\"button-secondary\"")
            return """
                <button type="submit" name="capacity" value="\(capacity.rawValue)"\(style)>\(label)<span class="visually-hidden"> — \(service.name)</span></button>
                """
        }
        return """
            <form method="post" action="\(WebPath.ourServices)" class="filters capacity-buttons">\(Components.csrfField(csrf))\(Components.hidden("action", "capacity"))\(Components.hidden("service", service.id.raw))
            \(buttons)
            <div class="field"><label for="\(waitId)">Wait, if waitlisted<span class="visually-hidden"> — \(service.name)</span></label>
            <select id="\(waitId)" name="estimatedWaitDays">\(options)</select></div>
            </form>
            """
    }

    /// A capacity as the rest of a sentence: "still accepting referrals".
    static func state(_ capacity: Capacity) -> String {
        switch capacity {
        case .accepting: say("accepting referrals")
        case .waitlist: say("on a waitlist")
        case .closed: say("closed to referrals")
        }
    }

    private func verifyForm(_ service: Service) -> HTML {
        """
        <form method="post" action="\(WebPath.ourServices)" class="inline">\(Components.csrfField(csrf))\(Components.hidden("action", "verify"))\(Components.hidden("service", service.id.raw))
        <button type="submit" class="button-secondary">Still correct<span class="visually-hidden"> — \(service.name)</span></button></form>
        """
    }
}
