/// The quadruple aim and the referral loop for one period, with the period before beside
/// it: population health, patient experience, provider experience, cost and effort, and the
/// loop itself. Every figure is an aggregate; counts under the threshold are hidden.
public struct EvaluationReport: Codable, Sendable {
    public var period: EvaluationPeriod
    public var previousPeriod: EvaluationPeriod
    /// Counts from 1 to `threshold - 1` are hidden, and whatever is derived from them.
    public var threshold: Int
    /// The organisation the report is limited to; nil for the whole network.
    public var organizationId: ID<Organization>?
    public var organizationName: String?
    public var generatedAt: Timestamp
    public var tables: [ReportTable]

    public func table(_ id: String) -> ReportTable? { tables.first { $0.id == id } }

    public static func build(
        _ facts: EvaluationFacts, period: EvaluationPeriod, threshold: Int = SmallCells.defaultThreshold,
        organization: ID<Organization>? = nil, at now: Timestamp
    ) -> EvaluationReport {
        let scoped = organization.map { facts.limited(to: $0) } ?? facts
        let builder = Builder(facts: scoped, current: period, previous: period.previous, figures: ReportFigures(threshold: threshold))
        return EvaluationReport(
            period: period, previousPeriod: period.previous, threshold: threshold, organizationId: organization,
            organizationName: organization.flatMap { facts.organizationNames[$0] }, generatedAt: now,
            tables: [builder.headline()] + builder.populationHealth() + [builder.patientExperience(), builder.providerExperience()]
                + builder.costAndEffort() + builder.loop())
    }

    /// Builds each table from the facts of the two periods.
    struct Builder {
        let facts: EvaluationFacts
        let current: EvaluationPeriod
        let previous: EvaluationPeriod
        let figures: ReportFigures

        func referrals(in period: EvaluationPeriod) -> [EvaluationFacts.ReferralFact] { facts.referrals.filter { period.contains($0.sentAt) } }
        func needs(in period: EvaluationPeriod) -> [EvaluationFacts.NeedFact] { facts.needs.filter { period.contains($0.identifiedOn) } }
        func closed(in period: EvaluationPeriod) -> [EvaluationFacts.ReferralFact] {
            facts.referrals.filter { $0.closedAt.map(period.contains) ?? false }
        }
        func experiences(in period: EvaluationPeriod) -> [EvaluationFacts.ExperienceFact] {
            facts.experiences.filter { period.contains($0.recordedAt) }
        }
        func survey(in period: EvaluationPeriod) -> [EvaluationFacts.SurveyFact] { facts.survey.filter { period.contains($0.closesOn) } }

        func name(_ id: ID<Organization>?) -> String { id.map { facts.organizationNames[$0] ?? $0.raw } ?? "Not yet claimed" }

        // MARK: headline

        func headline() -> ReportTable {
            func measures(_ p: EvaluationPeriod) -> [Int] {
                let needs = needs(in: p), sent = referrals(in: p), closed = closed(in: p)
                return [
                    needs.count, needs.count(where: { $0.status == .met }), needs.count(where: { !$0.referred }),
                    sent.count, closed.count, closed.count(where: \.helped), closed.count(where: { $0.status == .rejected }),
                    sent.count(where: \.lapsed), experiences(in: p).count, Set(survey(in: p).map(\.respondent)).count
                ]
            }
            let names = [
                "Needs identified", "Of them, met", "Of them, never referred", "Referrals sent", "Referrals closed",
                "Closed with the client helped", "Declined by the partner", "Loops lapsed (nobody answered)",
                "Client experience answers", "Pulse survey respondents"
            ]
            let now = measures(current), before = measures(previous)
            return ReportTable(
                id: "headline", title: "The period at a glance", section: .headline,
                note: "Counts for the period and the period of the same length before it.",
                columns: [.init("measure", .label), .init("this period", .count), .init("previous period", .count, previous: true)],
                rows: names.indices.map { [.label(names[$0]), figures.count(now[$0]), figures.count(before[$0])] })
        }

        // MARK: population health

        func populationHealth() -> [ReportTable] {
            [
                needsTable(
                    id: "needs-by-domain", title: "Needs by domain", by: { $0.category.title },
                    note: "Needs identified in the period by domain, and what has become of them since."),
                needsTable(
                    id: "needs-by-area", title: "Needs by area", by: { $0.area ?? "Area not recorded" },
                    note: "Needs identified in the period by the area of the organisation holding the client's record."),
                needsTable(
                    id: "needs-by-language", title: "Needs by the client's language (equity)", by: { $0.language ?? "Not recorded" },
                    note: "Needs identified in the period by the client's preferred language, to see whether every group is served alike."),
                needsTrend()
            ]
        }

        func needsTable(id: String, title: String, by group: (EvaluationFacts.NeedFact) -> String, note: String) -> ReportTable {
            let now = needs(in: current), before = needs(in: previous)
            let groups = Set(now.map(group)).union(before.map(group)).sorted()
            func row(_ label: String, _ n: [EvaluationFacts.NeedFact], _ b: [EvaluationFacts.NeedFact]) -> [ReportTable.Cell] {
                [
                    .label(label), figures.count(n.count), figures.count(n.count(where: \.referred)),
                    figures.count(n.count(where: { $0.status == .met })), figures.count(n.count(where: \.notMet)),
                    figures.count(n.count(where: { !$0.referred })), figures.count(b.count), figures.count(b.count(where: { $0.status == .met }))
                ]
            }
            var table = ReportTable(
                id: id, title: title, section: .populationHealth,
                note: note + " Not met: closed unmet, or every referral failed.",
                columns: [
                    .init("group", .label), .init("identified", .count), .init("referred", .count), .init("met", .count),
                    .init("not met", .count), .init("never referred", .count), .init("identified", .count, previous: true),
                    .init("met", .count, previous: true)
                ],
                rows: [row("All", now, before)]
                    + groups.map { g in row(g, now.filter { group($0) == g }, before.filter { group($0) == g }) })
            table.hideComplements(totalRow: true, partitions: [[2, 5]])
            return table
        }

        func needsTrend() -> ReportTable {
            let months = previous.months.filter { $0 < current.from.firstOfMonth } + current.months
            var table = ReportTable(
                id: "needs-trend", title: "Needs month by month", section: .populationHealth,
                note: "Needs identified each month across both periods, and how many of them were referred and met.",
                columns: [.init("month", .label), .init("identified", .count), .init("referred", .count), .init("met", .count)],
                rows: months.map { month in
                    let n = facts.needs.filter {
                        $0.identifiedOn.firstOfMonth == month && ($0.identifiedOn >= previous.from) && $0.identifiedOn <= current.until
                    }
                    return [
                        .label(String(month.description.prefix(7))), figures.count(n.count), figures.count(n.count(where: \.referred)),
                        figures.count(n.count(where: { $0.status == .met }))
                    ]
                })
            table.hideComplements(totalRow: false)
            return table
        }

        // MARK: patient experience

        func patientExperience() -> ReportTable {
            let now = experiences(in: current), before = experiences(in: previous)
            let closedNow = closed(in: current).count, closedBefore = closed(in: previous).count
            let questions: [(String, KeyPath<EvaluationFacts.ExperienceFact, ClientExperience.Answer>)] = [
                ("Easy to get help", \.easy), ("Got what they needed", \.needMet), ("Would use the service again", \.wouldUseAgain)
            ]
            var table = ReportTable(
                id: "client-experience", title: "Client experience after a referral closed", section: .patientExperience,
                note: "The client's three answers, recorded by the navigator once a referral closed; the response rate is answers "
                    + "over referrals closed in the period.",
                columns: [
                    .init("question", .label), .init("yes", .count), .init("partly", .count), .init("no", .count),
                    .init("declined to answer", .count),
                    .init("answers", .count), .init("referrals closed", .count), .init("response rate", .rate),
                    .init("answers", .count, previous: true),
                    .init("response rate", .rate, previous: true)
                ],
                rows: questions.map { title, answer in
                    [.label(title)] + ClientExperience.Answer.allCases.map { a in figures.count(now.count(where: { $0[keyPath: answer] == a })) }
                        + [
                            figures.count(now.count), figures.count(closedNow), figures.rate(now.count, of: closedNow), figures.count(before.count),
                            figures.rate(before.count, of: closedBefore)
                        ]
                })
            table.hideComplements(totalRow: false, partitions: [[1, 2, 3, 4]], derived: [7: 5, 9: 8])
            return table
        }

        // MARK: provider experience

        func providerExperience() -> ReportTable {
            let now = survey(in: current), before = survey(in: previous)
            func cells(_ answers: [EvaluationFacts.SurveyFact], _ item: SurveyItem) -> [ReportTable.Cell] {
                let mine = answers.filter { $0.item == item }
                let respondents = Set(mine.map(\.respondent)).count
                return [figures.count(respondents), figures.mean(mine.map(\.score), respondents: respondents, minimum: SurveyItem.minimumRespondents)]
            }
            return ReportTable(
                id: "provider-experience", title: "Provider experience (pulse survey)", section: .providerExperience,
                note: "Partnership members' ratings of their partners in the rounds that closed in the period. A mean is shown only "
                    + "where enough people answered to keep each of them anonymous.",
                columns: [
                    .init("item", .label), .init("scale", .label), .init("respondents", .count), .init("mean", .score),
                    .init("respondents", .count, previous: true), .init("mean", .score, previous: true)
                ],
                rows: SurveyItem.allCases.map { item in
                    [.label(item.question), .label("1–\(item.scale)")] + cells(now, item) + cells(before, item)
                })
        }
    }
}
