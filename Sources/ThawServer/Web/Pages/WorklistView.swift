import ThawCore
import ThawStorage

/// The navigator's caseload and the partner's inbox: the counts that matter
/// first, filters, the list, and (in the inbox) open referrals to claim.
struct WorklistView {
    var query: WorklistQuery
    var counts: WorklistCounts
    var page: WorklistPage
    var openReferrals: [OpenReferralSummary]
    /// The caseload's open needs that are falling through the cracks.
    var needGaps: [NeedGap] = []
    var now: Timestamp
    var csrf: String?

    var path: String { query.view == .caseload ? WebPath.caseload : WebPath.inbox }
    var title: String { query.view == .caseload ? say("Caseload") : say("Inbox") }

    func render() -> HTML {
        """
        <h1>\(title)</h1>
        <p class="visually-hidden" id="live-status" role="status" aria-live="polite" data-said="\(say("Updated just now."))"></p>
        <div id="worklist-live" data-live-region>
        \(countsHTML)
        \(filtersHTML)
        \(tableHTML)
        \(query.view == .inbox ? openHTML : gapsHTML)
        </div>
        """
    }

    private func count(_ n: Int, _ label: Phrase, filter: WorklistQuery.Filter?, status: TaskStatus? = nil, attention: Bool = false) -> HTML {
        var href = path
        if let filter { href += "?filter=" + filter.rawValue }
        if let status { href += (filter == nil ? "?" : "&") + "status=" + status.rawValue }
        let cls: HTML = attention && n > 0 ? " class=\"attention\"" : .empty
        return "<li\(cls)><a href=\"\(href)\"><span class=\"n\">\(n)</span> \(label)</a></li>"
    }

    private var countsHTML: HTML {
        let items: [HTML]
        switch query.view {
        case .caseload:
            items = [
                count(counts.overdueFirstResponse, "first response overdue", filter: .overdueFirstResponse, attention: true),
                count(counts.awaitingTheirReply, "awaiting the partner", filter: .awaitingTheirReply),
                count(counts.followUpOverdue, "follow-up overdue", filter: .followUpOverdue, attention: true),
                count(counts.followUpDueToday, "follow-up due today", filter: .followUpDue, attention: true),
                count(counts.awaitingMyReply, "awaiting my reply", filter: .awaitingMyReply),
                count(counts.closedThisWeek, "closed this week", filter: nil)
            ]
        case .inbox:
            items = [
                count(counts.requested, "new", filter: .open, status: .requested),
                count(counts.accepted, "accepted", filter: .open, status: .accepted),
                count(counts.inProgress, "in progress", filter: .open, status: .inProgress),
                count(counts.overdueFirstResponse, "overdue for a first response", filter: .overdueFirstResponse, attention: true),
                count(counts.awaitingMyReply, "awaiting my reply", filter: .awaitingMyReply)
            ]
        }
        return "<h2 class=\"visually-hidden\">Summary</h2><ul class=\"counts\">\(items)</ul>"
    }

    private var filtersHTML: HTML {
        let state = FormState()
        let filterLabels: [WorklistQuery.Filter: Phrase] = [
            .all: "All", .open: "Open", .overdueFirstResponse: "First response overdue",
            .awaitingMyReply: "Awaiting my reply", .awaitingTheirReply: "Awaiting their reply", .followUpDue: "Follow-up due today",
            .followUpOverdue: "Follow-up overdue"
        ]
        let filters = WorklistQuery.Filter.allCases.map { ($0.rawValue, filterLabels[$0] ?? Phrase(said: $0.rawValue)) }
        let statuses: [(value: String, label: Phrase)] =
            [("", "Any status")] + TaskStatus.allCases.map { ($0.rawValue, Phrase(said: Words.status($0))) }
        let sorts: [(value: String, label: Phrase)] = [
            (WorklistQuery.Sort.updated.rawValue, "Recently changed"), (WorklistQuery.Sort.due.rawValue, "First response due")
        ]
        return """
            <form class="filters no-print" method="get" action="\(path)" aria-label="Filter the list">
            \(Components.select("filter", "Show", state: state, options: filters, selected: query.filter.rawValue))
            \(Components.select("status", "Status", state: state, options: statuses, selected: query.statuses.first?.rawValue ?? ""))
            \(Components.select("sort", "Sort by", state: state, options: sorts, selected: query.sort.rawValue))
            <button type="submit" class="button-secondary">Apply</button>
            </form>
            """
    }

    private var tableHTML: HTML {
        guard !page.items.isEmpty else {
            return "<p class=\"panel\">No referrals match. <a href=\"\(path)\">Show all</a></p>"
        }
        let partyHeading = query.view == .caseload ? say("Partner") : say("Referred by")
        let rows = page.items.map { item -> HTML in
            let r = item.referral
            let due: HTML =
                r.status.isTerminal
                ? "<span class=\"muted\">Closed</span>"
                : r.status == .requested && r.firstRespondedAt == nil
                    ? "First response \(Components.due(r.firstResponseDue, now: now))"
                    : (r.followUpDue.map { "Follow-up \(Components.followUp($0, now: now))" } ?? "—")
            let step: HTML = r.businessStatus.map { "<br><span class=\"muted\">\(Words.businessStatus($0))</span>" } ?? .empty
            return """
                <tr>
                <td data-label="Client"><a href="\(WebPath.referral(r.id))">\(item.clientName)</a></td>
                <td data-label="Need">\(Words.need(r.needCategory))</td>
                <td data-label="\(partyHeading)">\(item.counterpartName ?? say("Open to any eligible partner"))</td>
                <td data-label="Status">\(Components.statusBadge(r.status))\(step)</td>
                <td data-label="Due">\(due)</td>
                <td data-label="Updated">\(Components.time(r.updatedAt))</td>
                </tr>
                """
        }
        var pager: HTML = .empty
        if let next = page.nextCursor {
            var href = path + "?filter=" + query.filter.rawValue + "&sort=" + query.sort.rawValue
            if let status = query.statuses.first { href += "&status=" + status.rawValue }
            href += "&cursor=" + next.token
            pager =
                "<nav class=\"pager\" aria-label=\"Pages\"><a href=\"\(path)\">First page</a> <a href=\"\(href)\" rel=\"next\">Next page</a></nav>"
        } else if query.cursor != nil {
            pager = "<nav class=\"pager\" aria-label=\"Pages\"><a href=\"\(path)\">First page</a></nav>"
        }
        return """
            <table class="stack">
            <caption class="visually-hidden">\(title): referrals, most relevant first</caption>
            <thead><tr><th scope="col">Client</th><th scope="col">Need</th><th scope="col">\(partyHeading)</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col">Updated</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(pager)
            """
    }

    private var openHTML: HTML {
        let rows = openReferrals.map { open -> HTML in
            """
            <tr>
            <td data-label="Need">\(Words.need(open.needCategory))</td>
            <td data-label="Priority">\(Words.priority(open.priority))</td>
            <td data-label="Referred by">\(open.requesterName)</td>
            <td data-label="Sent">\(Components.time(open.createdAt))</td>
            <td data-label="Claim"><form method="post" action="\(WebPath.inbox)/claim">\(Components.csrfField(csrf))\(Components.hidden("referral", open.id.raw))<button type="submit">Claim<span class="visually-hidden"> \(say("the %1 referral from %2", Words.need(open.needCategory).lowercased(), open.requesterName))</span></button></form></td>
            </tr>
            """
        }
        let body: HTML =
            openReferrals.isEmpty
            ? "<p>No open referrals match the services your organisation offers.</p>"
            : """
            <table class="stack"><caption class="visually-hidden">Open referrals you may claim</caption>
            <thead><tr><th scope="col">Need</th><th scope="col">Priority</th><th scope="col">Referred by</th><th scope="col">Sent</th><th scope="col">Claim</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            <section aria-labelledby="open-heading">
            <h2 id="open-heading">Open referrals to claim</h2>
            <p class="hint">Referrals left open for any eligible partner. The first organisation to claim one owns it.</p>
            \(body)
            </section>
            """
    }

    /// Needs identified but never referred, and needs whose every referral failed: the two ways a
    /// client's need is lost between organisations.
    private var gapsHTML: HTML {
        func list(_ kind: NeedGap.Kind, _ heading: Phrase, _ empty: Phrase) -> HTML {
            let gaps = needGaps.filter { $0.kind == kind }
            let items = gaps.map { gap -> HTML in
                let tried: HTML =
                    kind == .allReferralsFailed ? " · \(Words.count(gap.referrals, one: "%1 referral failed", many: "%1 referrals failed"))" : .empty
                return """
                    <li><a href="\(WebPath.client(gap.need.clientId))">\(gap.clientName)</a>: \(Words.need(gap.need.category)) \
                    <span class="muted">identified \(Components.date(gap.need.identifiedOn))\(tried)</span></li>
                    """
            }
            return """
                <h3 id="gaps-\(kind.rawValue)">\(heading) <span class="badge">\(gaps.count)</span></h3>
                \(gaps.isEmpty ? "<p class=\"muted\">\(empty)</p>" as HTML : "<ul class=\"plain\">\(items)</ul>")
                """
        }
        return """
            <section class="panel" aria-labelledby="gaps-heading">
            <h2 id="gaps-heading">Needs falling through the cracks</h2>
            \(list(.neverReferred, "Identified, never referred", "Every open need has been referred."))
            \(list(.allReferralsFailed, "Every referral failed", "No open need has only failed referrals."))
            </section>
            """
    }
}
