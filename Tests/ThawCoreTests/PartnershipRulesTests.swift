import Testing
import ThawCore

@Suite("Partnership rules: decisions, commitments, consultations")
struct PartnershipRulesTests {
    // Two health-system and two social-care members, one community member.
    let members: [String: Sector] = ["h1": .healthSystem, "h2": .healthSystem, "s1": .socialCare, "s2": .socialCare, "c1": .community]

    @Test("sector parity passes only with a majority of members approving in every sector")
    func parity() throws {
        let all = try DecisionTally.count(
            rule: .sectorParity, members: members,
            votes: ["h1": .approve, "h2": .approve, "s1": .approve, "s2": .approve, "c1": .approve], quorum: 3)
        #expect(all.passed)
        // Health approves unanimously, social care splits 1–1: a tie in a sector is no majority.
        let split = try DecisionTally.count(
            rule: .sectorParity, members: members,
            votes: ["h1": .approve, "h2": .approve, "s1": .approve, "s2": .reject, "c1": .approve], quorum: 3)
        #expect(!split.passed)
        #expect(split.explanation.contains("social-care"))
        #expect(split.sectors["social-care"] == .init(members: 2, approve: 1))
        // A sector with no members present blocks: its absent members are not a majority approving.
        let absent = try DecisionTally.count(
            rule: .sectorParity, members: members,
            votes: ["h1": .approve, "h2": .approve, "c1": .approve], quorum: 3)
        #expect(!absent.passed)
        #expect(absent.absent == 2)
        // The same votes pass by simple majority: parity is what protects the smaller side.
        #expect(
            try DecisionTally.count(
                rule: .simpleMajority, members: members,
                votes: ["h1": .approve, "h2": .approve, "c1": .approve], quorum: 3
            ).passed)
        // Abstaining is not approving.
        let abstain = try DecisionTally.count(
            rule: .sectorParity, members: ["h1": .healthSystem, "s1": .socialCare],
            votes: ["h1": .approve, "s1": .abstain], quorum: 2)
        #expect(!abstain.passed)
    }

    @Test("simple majority: ties fail; consensus: any rejection fails, abstaining stands aside")
    func majorityAndConsensus() throws {
        #expect(
            try !DecisionTally.count(
                rule: .simpleMajority, members: members,
                votes: ["h1": .approve, "s1": .reject, "c1": .abstain], quorum: 3
            ).passed)
        #expect(
            try DecisionTally.count(
                rule: .simpleMajority, members: members,
                votes: ["h1": .approve, "s1": .approve, "c1": .reject], quorum: 3
            ).passed)
        #expect(
            try DecisionTally.count(
                rule: .consensus, members: members,
                votes: ["h1": .approve, "s1": .abstain, "c1": .approve], quorum: 3
            ).passed)
        #expect(
            try !DecisionTally.count(
                rule: .consensus, members: members,
                votes: ["h1": .approve, "s1": .reject, "c1": .approve], quorum: 3
            ).passed)
        #expect(
            try !DecisionTally.count(
                rule: .consensus, members: members,
                votes: ["h1": .abstain, "s1": .abstain, "c1": .abstain], quorum: 3
            ).passed)
    }

    @Test("no decision without quorum; votes from outside the membership do not count toward it")
    func quorum() {
        #expect(throws: ThawError.self) {
            try DecisionTally.count(rule: .consensus, members: members, votes: ["h1": .approve, "x9": .approve], quorum: 2)
        }
    }

    @Test("commitments: kept with evidence, renegotiated forward with a count, final ones stay final, overdue by the day")
    func commitments() throws {
        let now = ISO8601.parse("2026-03-10T12:00:00Z")!
        var c = Commitment(
            id: ID("com_1"), organizationId: ID("o1"), personId: nil, toOrganizationId: ID("o2"),
            what: "Supply protective equipment", context: .meeting, contextId: nil,
            dueOn: CalendarDate("2026-03-10")!, createdAt: now, updatedAt: now)
        #expect(!c.isOverdue(at: now))
        #expect(c.isOverdue(at: ISO8601.parse("2026-03-11T00:00:00Z")!))
        let today = CalendarDate(now)
        #expect(throws: ThawError.self) {
            try CommitmentChange.renegotiate(newDueOn: CalendarDate("2026-03-01")!, reason: "late").check(c, today: today)
        }
        #expect(throws: ThawError.self) { try CommitmentChange.keep(evidence: "  ").check(c, today: today) }
        let move = CommitmentChange.renegotiate(newDueOn: CalendarDate("2026-04-01")!, reason: "supplier delay")
        try move.check(c, today: today)
        move.apply(to: &c, at: now)
        // Only proposed: the original date stands until the organisation promised agrees.
        #expect(c.renegotiations == 0 && c.dueOn == CalendarDate("2026-03-10")! && c.proposedDueOn == CalendarDate("2026-04-01")! && c.version == 2)
        #expect(CommitmentChange.agree.byRecipient && !move.byRecipient)
        try CommitmentChange.agree.check(c, today: today)
        CommitmentChange.agree.apply(to: &c, at: now)
        #expect(c.renegotiations == 1 && c.dueOn == CalendarDate("2026-04-01")! && c.proposedDueOn == nil && c.status == .open)
        #expect(throws: ThawError.conflict(code: "commitment-closed", message: "no new due date has been proposed")) {
            try CommitmentChange.agree.check(c, today: today)
        }
        #expect(throws: ThawError.conflict(code: "commitment-closed", message: "only a commitment marked kept can be confirmed")) {
            try CommitmentChange.confirm(note: nil).check(c, today: today)
        }
        let keep = CommitmentChange.keep(evidence: "Delivered 2,000 masks, receipt attached")
        try keep.check(c, today: today)
        keep.apply(to: &c, at: now)
        #expect(c.status == .awaitingConfirmation && c.keptMarkedAt == now)
        #expect(throws: ThawError.conflict(code: "commitment-closed", message: "a commitment awaiting confirmation cannot be marked kept")) {
            try keep.check(c, today: today)
        }
        CommitmentChange.confirm(note: "Received").apply(to: &c, at: now)
        #expect(c.status == .kept)
        #expect(throws: ThawError.conflict(code: "commitment-closed", message: "a commitment already kept cannot be withdrawn")) {
            try CommitmentChange.withdraw(reason: "changed our mind").check(c, today: today)
        }
    }

    @Test("a consultation closes only when every item has an answer")
    func consultationClosure() throws {
        let now = ISO8601.parse("2026-03-10T12:00:00Z")!
        let consultation = Consultation(
            id: ID("con_1"), organizationId: ID("o1"), title: "Billing codes", proposal: "…",
            invitedOrganizationIds: [ID("o2")], deadline: CalendarDate("2026-04-01")!, createdAt: now)
        var item = FeedbackItem(
            id: ID("fb_1"), consultationId: consultation.id, organizationId: ID("o2"), authorId: ID("u2"),
            text: "Add a code for navigation time", createdAt: now)
        #expect(throws: ThawError.self) { try ConsultationRules.checkClosable(consultation, items: [item]) }
        #expect(throws: ThawError.self) { try ConsultationRules.checkResponse(.notAdopted, text: " ") }
        item.response = .adapted
        item.responseText = "Added as a time-based modifier"
        try ConsultationRules.checkClosable(consultation, items: [item])
        var closed = consultation
        closed.status = .closed
        #expect(throws: ThawError.self) { try ConsultationRules.checkClosable(closed, items: [item]) }
    }
}
