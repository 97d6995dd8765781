extension EvaluationReport.Builder {
    // MARK: cost and effort

    func costAndEffort() -> [ReportTable] { [referralsByService(), fundedInitiatives()] }

    func referralsByService() -> ReportTable {
        let now = referrals(in: current), before = referrals(in: previous)
        let services = Set(now.compactMap(\.service)).union(before.compactMap(\.service))
        let owners = Dictionary(facts.referrals.compactMap { r in r.service.map { ($0, r.owner) } }, uniquingKeysWith: { a, _ in a })
        func label(_ s: ID<Service>) -> String { facts.serviceNames[s] ?? s.raw }
        var table = ReportTable(
            id: "referrals-by-service", title: "Referrals per service", section: .costAndEffort,
            note: "Referrals sent in the period to each service, how many closed with the client helped, and the period before.",
            columns: [
                .init("service", .label), .init("organisation", .label), .init("sent", .count), .init("helped", .count),
                .init("sent", .count, previous: true)
            ],
            rows: [[.label("All"), .label(""), figures.count(now.count), figures.count(now.count(where: \.helped)), figures.count(before.count)]]
                + services.sorted { label($0) < label($1) }.map { s in
                    let n = now.filter { $0.service == s }
                    return [
                        .label(label(s)), .label(name(owners[s] ?? nil)), figures.count(n.count), figures.count(n.count(where: \.helped)),
                        figures.count(before.count(where: { $0.service == s }))
                    ]
                })
        table.hideComplements(totalRow: true)
        return table
    }

    /// Each joint funding agreement running in the period, its money prorated to the days of
    /// the period it covers, against the referrals between its parties in those days.
    func fundedInitiatives() -> ReportTable {
        func share(_ agreement: FundingAgreement, _ period: EvaluationPeriod) -> (amount: Double, referrals: [EvaluationFacts.ReferralFact])? {
            let start = max(agreement.startsOn, period.from), end = min(agreement.endsOn, period.until)
            guard start <= end else { return nil }
            let term = Double(agreement.endsOn.days(since: agreement.startsOn) + 1), covered = Double(end.days(since: start) + 1)
            let parties = Set(agreement.partyOrganizationIds)
            let days = start.startOfDay..<end.adding(days: 1).startOfDay
            let between = facts.referrals.filter { r in
                days.contains(r.sentAt) && parties.contains(r.requester) && r.owner.map(parties.contains) == true
            }
            return (Double(agreement.amountCents) / 100 * covered / term, between)
        }
        var rows: [[ReportTable.Cell]] = []
        for agreement in facts.funding.sorted(by: { $0.title < $1.title }) {
            let now = share(agreement, current), before = share(agreement, previous)
            guard now != nil || before != nil else { continue }
            let referrals = now?.referrals ?? [], helped = referrals.count(where: \.helped), amount = now?.amount ?? 0
            func per(_ n: Int) -> ReportTable.Cell {
                guard n > 0 else { return .none }
                return SmallCells.isHidden(n, threshold: figures.threshold) ? .hidden : .number((amount / Double(n) * 100).rounded() / 100)
            }
            rows.append(
                [
                    .label(agreement.title), .label(agreement.partyOrganizationIds.map { name($0) }.sorted().joined(separator: "; ")),
                    .label(agreement.currency), .number((amount * 100).rounded() / 100), figures.count(referrals.count), figures.count(helped),
                    per(referrals.count), per(helped), figures.count(before?.referrals.count ?? 0)
                ])
        }
        return ReportTable(
            id: "funded-initiatives", title: "Joint funding against the referrals it pays for", section: .costAndEffort,
            note: "Each agreement's amount prorated to the days of the period it covers, and the referrals sent between its "
                + "parties in those days.",
            columns: [
                .init("agreement", .label), .init("parties", .label), .init("currency", .label), .init("amount in period", .money),
                .init("referrals", .count), .init("helped", .count), .init("per referral", .money), .init("per client helped", .money),
                .init("referrals", .count, previous: true)
            ],
            rows: rows)
    }

    // MARK: the loop

    func loop() -> [ReportTable] {
        [
            loopTable(
                id: "loop-by-partner", title: "The loop, per partner", group: { name($0.owner) }, label: "partner",
                note: "Referrals sent in the period, per partner receiving them."),
            loopTable(
                id: "loop-by-need", title: "The loop, per need domain", group: { $0.need.title }, label: "need domain",
                note: "Referrals sent in the period, per need domain."),
            declines()
        ]
    }

    func loopTable(id: String, title: String, group: (EvaluationFacts.ReferralFact) -> String, label: String, note: String) -> ReportTable {
        let now = referrals(in: current), before = referrals(in: previous)
        func row(_ title: String, _ n: [EvaluationFacts.ReferralFact], _ b: [EvaluationFacts.ReferralFact]) -> [ReportTable.Cell] {
            let closed = n.filter { $0.closedAt != nil }, closedBefore = b.filter { $0.closedAt != nil }
            return [.label(title), figures.count(n.count), figures.count(n.count(where: { $0.firstResponseAt != nil }))]
                + figures.spread(n.compactMap { ReportFigures.hours($0.sentAt, $0.firstResponseAt) })
                + figures.spread(n.compactMap { ReportFigures.days($0.sentAt, $0.acceptedAt) })
                + figures.spread(closed.compactMap { ReportFigures.days($0.sentAt, $0.closedAt) })
                + [
                    figures.count(closed.count), figures.rate(closed.count, of: n.count), figures.count(n.count(where: \.helped)),
                    figures.count(n.count(where: { $0.status == .rejected })), figures.count(n.count(where: \.lapsed)),
                    figures.count(b.count), figures.rate(closedBefore.count, of: b.count)
                ]
        }
        let groups = Set(now.map(group)).union(before.map(group)).sorted()
        var table = ReportTable(
            id: id, title: title, section: .loop,
            note: note + " Times to the first response (hours), to acceptance and to the outcome (days), as median and 90th "
                + "percentile; how many closed, with the client helped, declined, or lapsed unanswered.",
            columns: [
                .init(label, .label), .init("sent", .count), .init("answered", .count), .init("first response, median", .hours),
                .init("first response, 90th percentile", .hours), .init("acceptance, median", .days), .init("acceptance, 90th percentile", .days),
                .init("outcome, median", .days), .init("outcome, 90th percentile", .days), .init("closed", .count), .init("closure rate", .rate),
                .init("helped", .count), .init("declined", .count), .init("lapsed", .count), .init("sent", .count, previous: true),
                .init("closure rate", .rate, previous: true)
            ],
            rows: [row("All", now, before)] + groups.map { g in row(g, now.filter { group($0) == g }, before.filter { group($0) == g }) })
        table.hideComplements(totalRow: true, derived: [10: 9])
        return table
    }

    func declines() -> ReportTable {
        let now = referrals(in: current).filter { $0.status == .rejected }, before = referrals(in: previous).filter { $0.status == .rejected }
        func title(_ reason: DeclineReason?) -> String { reason?.title ?? "No reason given" }
        let reasons: [DeclineReason?] = DeclineReason.allCases.map(Optional.some) + [nil]
        var table = ReportTable(
            id: "declines-by-reason", title: "Declines by reason", section: .loop,
            note: "Referrals sent in the period that the partner declined, by the reason it gave.",
            columns: [.init("reason", .label), .init("declined", .count), .init("declined", .count, previous: true)],
            rows: [[.label("All"), figures.count(now.count), figures.count(before.count)]]
                + reasons.map { r in
                    [
                        .label(title(r)), figures.count(now.count(where: { $0.declineReason == r })),
                        figures.count(before.count(where: { $0.declineReason == r }))
                    ]
                })
        table.hideComplements(totalRow: true)
        return table
    }
}
