import Testing

@testable import ThawCore

/// The evaluation report's figures, worked by hand from facts made for each test, and the
/// suppression that keeps any of them from singling someone out.
@Suite struct EvaluationReportTests {
    static let clinic = ID<Organization>("org_clinic"), housing = ID<Organization>("org_housing"), food = ID<Organization>("org_food")
    static let period = try! EvaluationPeriod(from: CalendarDate("2026-03-01")!, until: CalendarDate("2026-03-31")!)
    static let sent = ISO8601.parse("2026-03-02T09:00:00Z")!

    static func referral(
        to owner: ID<Organization> = housing, need: NeedCategory = .housing, sentAt: Timestamp = sent, respondedAfterHours: Int64? = nil,
        acceptedAfterDays: Int? = nil, closedAfterDays: Int? = nil, status: TaskStatus = .requested, reason: DeclineReason? = nil,
        outcome: ReferralOutcome.Code? = nil, lapsed: Bool = false
    ) -> EvaluationFacts.ReferralFact {
        EvaluationFacts.ReferralFact(
            requester: clinic, owner: owner, service: nil, need: need, sentAt: sentAt,
            firstResponseAt: respondedAfterHours.map { sentAt.adding(seconds: $0 * 3600) },
            acceptedAt: acceptedAfterDays.map { sentAt.adding(days: $0) },
            closedAt: closedAfterDays.map { sentAt.adding(days: $0) }, status: status, declineReason: reason, outcome: outcome, lapsed: lapsed)
    }

    static func facts(referrals: [EvaluationFacts.ReferralFact] = [], needs: [EvaluationFacts.NeedFact] = [], funding: [FundingAgreement] = [])
        -> EvaluationFacts
    {
        EvaluationFacts(
            referrals: referrals, needs: needs, experiences: [], survey: [], funding: funding,
            organizationNames: [clinic: "Clinic", housing: "Housing", food: "Food"], serviceNames: [:])
    }

    static func need(_ category: NeedCategory, on day: String = "2026-03-03", status: IdentifiedNeed.Status = .active, referred: Bool = false)
        -> EvaluationFacts.NeedFact
    {
        EvaluationFacts.NeedFact(
            organization: clinic, category: category, identifiedOn: CalendarDate(day)!, status: status, closedOn: nil, area: "Riverside",
            language: "English", referred: referred, everyReferralFailed: false)
    }

    static func row(_ table: ReportTable, _ label: String) -> [ReportTable.Cell] {
        table.rows.first { $0.first == .label(label) } ?? []
    }
    static func value(_ table: ReportTable, _ label: String, _ column: String, previous: Bool = false) -> ReportTable.Cell? {
        guard let index = table.columns.firstIndex(where: { $0.name == column && $0.previous == previous }) else { return nil }
        return row(table, label)[index]
    }

    @Test func countsFromOneToFourAreHiddenAndOneHiddenCellNeverStandsAlone() {
        #expect(SmallCells.hide([7, 3, 12], threshold: 5) == [nil, nil, 12])
        #expect(SmallCells.hide([0, 3, 12, 20], threshold: 5) == [0, nil, nil, 20])
        #expect(SmallCells.hide([0, 5, 12], threshold: 5) == [0, 5, 12])
        #expect(SmallCells.hide([1, 2, 30], threshold: 5) == [nil, nil, 30])
        #expect(SmallCells.hide([4, 9], threshold: 10) == [nil, nil])
    }

    @Test func theLoopsTimesAreMediansAndNinetiethPercentilesOfWhatWasMeasured() throws {
        let answered = [1, 2, 3, 4, 5, 50].map { Self.referral(respondedAfterHours: Int64($0), acceptedAfterDays: 1, status: .accepted) }
        let report = EvaluationReport.build(Self.facts(referrals: answered), period: Self.period, at: Self.sent)
        let loop = try #require(report.table("loop-by-partner"))
        #expect(Self.value(loop, "All", "sent") == .number(6))
        #expect(Self.value(loop, "All", "first response, median") == .number(3))
        #expect(Self.value(loop, "All", "first response, 90th percentile") == .number(50))
        #expect(Self.value(loop, "All", "acceptance, median") == .number(1))
        // Nothing closed: no outcome time and no closure rate to give, rather than a zero.
        #expect(Self.value(loop, "All", "outcome, median") == ReportTable.Cell.none)
        #expect(Self.value(loop, "All", "closure rate") == .number(0))
        #expect(Self.value(loop, "Housing", "sent") == .number(6))
    }

    @Test func fewerThanTheThresholdHidesTheCountAndEveryFigureMadeFromIt() throws {
        let three = (0..<3).map { _ in Self.referral(respondedAfterHours: 2, closedAfterDays: 4, status: .completed, outcome: .needMet) }
        let report = EvaluationReport.build(Self.facts(referrals: three), period: Self.period, at: Self.sent)
        let loop = try #require(report.table("loop-by-partner"))
        for column in ["sent", "answered", "first response, median", "closed", "closure rate", "helped"] {
            #expect(Self.value(loop, "All", column) == .hidden, "\(column)")
        }
        #expect(report.table("headline").map { Self.value($0, "Referrals sent", "this period") } == .hidden)
        // The same three in a report whose evaluator asked for a threshold of 3 are shown.
        let looser = EvaluationReport.build(Self.facts(referrals: three), period: Self.period, threshold: 3, at: Self.sent)
        #expect(looser.table("loop-by-partner").map { Self.value($0, "All", "sent") } == .number(3))
    }

    @Test func aHiddenRowIsNotLeftToBeWorkedOutFromTheTotal() throws {
        let needs = (0..<8).map { _ in Self.need(.housing) } + (0..<2).map { _ in Self.need(.food) } + (0..<6).map { _ in Self.need(.income) }
        let report = EvaluationReport.build(Self.facts(needs: needs), period: Self.period, at: Self.sent)
        let table = try #require(report.table("needs-by-domain"))
        #expect(Self.value(table, "All", "identified") == .number(16))
        #expect(Self.value(table, "Food", "identified") == .hidden)
        // Income (6) is the smallest other figure, hidden with it; housing stays.
        #expect(Self.value(table, "Income", "identified") == .hidden)
        #expect(Self.value(table, "Housing", "identified") == .number(8))
    }

    @Test func thePreviousPeriodIsTheSameLengthJustBefore() throws {
        #expect(Self.period.previous.from == CalendarDate("2026-01-29")!)
        #expect(Self.period.previous.until == CalendarDate("2026-02-28")!)
        let before = (0..<5).map { _ in Self.referral(sentAt: ISO8601.parse("2026-02-10T10:00:00Z")!, status: .rejected, reason: .noCapacity) }
        let now = (0..<7).map { _ in Self.referral(status: .rejected, reason: .notEligible) }
        let report = EvaluationReport.build(Self.facts(referrals: before + now), period: Self.period, at: Self.sent)
        let declines = try #require(report.table("declines-by-reason"))
        #expect(Self.value(declines, "Not eligible", "declined") == .number(7))
        #expect(Self.value(declines, "No capacity", "declined", previous: true) == .number(5))
        #expect(Self.value(declines, "All", "declined", previous: true) == .number(5))
        #expect(throws: ThawError.self) { try EvaluationPeriod(from: CalendarDate("2026-03-02")!, until: CalendarDate("2026-03-01")!) }
    }

    @Test func jointFundingIsProratedToTheDaysOfThePeriodItCovers() throws {
        let agreement = FundingAgreement(
            id: ID("fund_1"), title: "Housing navigator", purpose: "", amountCents: 36_500_00, currency: "CAD",
            partyOrganizationIds: [Self.clinic, Self.housing],
            startsOn: CalendarDate("2026-01-01")!, endsOn: CalendarDate("2026-12-31")!, renewal: .notStarted, createdAt: Self.sent)
        let referrals =
            (0..<10).map { i in Self.referral(status: i < 5 ? .completed : .requested, outcome: i < 5 ? .needMet : nil) }
            + [Self.referral(to: Self.food)]
        let report = EvaluationReport.build(Self.facts(referrals: referrals, funding: [agreement]), period: Self.period, at: Self.sent)
        let table = try #require(report.table("funded-initiatives"))
        #expect(Self.value(table, "Housing navigator", "amount in period") == .number(3_100))
        #expect(Self.value(table, "Housing navigator", "referrals") == .number(10))
        #expect(Self.value(table, "Housing navigator", "per referral") == .number(310))
        #expect(Self.value(table, "Housing navigator", "per client helped") == .number(620))
    }

    @Test func aReportForOneOrganisationHoldsOnlyWhatInvolvesIt() throws {
        let referrals = (0..<5).map { _ in Self.referral(to: Self.housing) } + (0..<6).map { _ in Self.referral(to: Self.food) }
        let report = EvaluationReport.build(Self.facts(referrals: referrals), period: Self.period, organization: Self.food, at: Self.sent)
        let loop = try #require(report.table("loop-by-partner"))
        #expect(Self.value(loop, "All", "sent") == .number(6))
        #expect(Self.row(loop, "Housing").isEmpty)
        #expect(report.organizationName == "Food")
    }

    @Test func aLanguageIsNamedOnlyWhenItLooksLikeALanguageTag() {
        #expect(LanguageNames.name(of: "fr") == "French")
        #expect(LanguageNames.name(of: " pa-IN ") == "Punjabi")
        #expect(LanguageNames.name(of: "xyz") == "xyz")
        #expect(LanguageNames.name(of: "Amara's mother speaks Igbo") == LanguageNames.notCoded)
        #expect(LanguageNames.name(of: "555-0101") == LanguageNames.notCoded)
    }

    @Test func theLedgerKeepsOnlyCodedDetail() {
        let detail = ["from": "requested", "to": "rejected", "reason": "Amara moved in with her sister", "reasonCode": "no-capacity", "note": "x"]
        #expect(Deidentification.codedDetail(detail) == ["from": "requested", "to": "rejected", "reasonCode": "no-capacity"])
        #expect(Deidentification.codedDetail(["status": "Call Amara"]).isEmpty)
        var names = Pseudonyms(prefix: "s-")
        #expect(names.name("cli_9") == "s-1" && names.name("ref_2") == "s-2" && names.name("cli_9") == "s-1")
    }

    @Test func clientNamesEmailsAndLongNumbersAreRemovedFromFreeText() {
        let redactor = Redactor(clientNames: ["Amara", "Okafor", "Li"])
        #expect(
            redactor.redact("Amara Okafor's landlord (555) 010-1234, amara@example.org; health no. 1234 567 890; room 12 on 3 May")
                == "[removed] [removed] landlord ([removed], [removed]; health no. [removed]; room 12 on 3 May")
        // A name inside a longer word is left; a hyphenated name is not.
        #expect(redactor.redact("Lina met Smith-Okafor at the library.") == "Lina met [removed] at the library.")
    }
}
