import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The practices the climate counts beyond one-to-one exchanges, on every backend: committee
/// work between the members it reaches, walk-outs, referral loops closed or left to lapse, and
/// policy moves with or without notice. Each is checked as the change it makes to the pairs'
/// counts, and the stored months stay equal to a rebuild from the ledger.
@Suite struct ClimatePracticesContractTests {
    /// All of a pair's counts over the months around the world's start.
    static func counts(_ w: World, _ a: Organization, _ b: Organization) async throws -> PairCounts {
        let from = CalendarDate(World.start).firstOfMonth(adding: -1), to = from.firstOfMonth(adding: 4)
        return try await w.store.scoped(to: w.networkAdmin).pairClimate(a.id, b.id, period: .month, from: from, to: to)
            .reduce(PairCounts()) { $0 + $1.counts }
    }

    /// What happened to each pair between two readings.
    static func change(_ before: PairCounts, _ after: PairCounts) -> PairCounts {
        PairCounts { after.counterValues[$0] - before.counterValues[$0] }
    }

    @Test(arguments: Backend.available)
    func committeeWorkReachesTheMembersInvolvedAndAWalkOutCountsAgainstThem(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await PartnershipContractTests().leads(w)
            let committee = try await l.clinic.createCommittee(
                NewCommittee(
                    name: "Primary care integration table", purpose: "Plan primary care under endemic conditions",
                    decisionRule: .simpleMajority, quorum: 1, memberOrganizationIds: [w.clinic.id, w.housing.id, w.food.id]))
            let pairs = [(w.clinic, w.housing), (w.clinic, w.food), (w.housing, w.food)]
            func all() async throws -> [PairCounts] {
                var out: [PairCounts] = []
                for (a, b) in pairs { out.append(try await Self.counts(w, a, b)) }
                return out
            }
            var before = try await all()
            // The clinic's and housing's people attend; the food bank sends nobody.
            let housingPeople = try await l.clinic.committeePeople(committee.id).filter { $0.organizationId == w.housing.id }
            _ = try await l.clinic.recordMeeting(
                committee.id, heldAt: w.clock.now(), agenda: ["Endemic plan"], minutes: "Agreed to draft together",
                attendees: [w.clinicLead.userId] + housingPeople.map(\.id))
            var after = try await all()
            #expect(zip(before, after).map { Self.change($0, $1).formal } == [1, 0, 0])
            before = after

            // A motion reaches both other members, a vote the voter's two fellow members, the decision both.
            let motion = try await l.clinic.proposeDecision(committee.id, motion: "Meet weekly through the Omicron wave")
            _ = try await l.housing.vote(motion.id, .approve)
            _ = try await l.clinic.closeDecision(motion.id)
            after = try await all()
            #expect(zip(before, after).map { Self.change($0, $1).formal } == [3, 2, 1])
            #expect(zip(before, after).allSatisfy { Self.change($0, $1).loToHi + Self.change($0, $1).hiToLo == 0 })
            before = after

            // The food bank walks out: a broken commitment with each member left at the table, and no contact.
            _ = try await l.food.leaveCommittee(committee.id, reason: "The plan was announced before we saw it", walkOut: true)
            after = try await all()
            #expect(zip(before, after).map { Self.change($0, $1).missed } == [0, 1, 1])
            #expect(zip(before, after).allSatisfy { Self.change($0, $1).interactions == 0 })

            // The walk-out and the vote are on the timeline of the housing and food pair, which shares no direct entry.
            let timeline = try await l.food.pairTimeline(w.housing.id, w.food.id).compactMap(\.activity?.kind)
            #expect(timeline.contains(ClimateLedger.walkOutKind) && timeline.contains("decision.vote"))
            #expect(!timeline.contains("meeting.held"))
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }

    @Test(arguments: Backend.available)
    func policyMovesCountForThePairWithNoticeAndAgainstItAsSurprises(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await PartnershipContractTests().leads(w)
            let today = CalendarDate(w.clock.now())
            let clinicHousing = try await Self.counts(w, w.clinic, w.housing), clinicFood = try await Self.counts(w, w.clinic, w.food)

            let planned = try await l.clinic.recordPolicyMove(
                NewPolicyMove(
                    kind: .plan, title: "Primary care under endemic conditions", summary: "Testing moves to family practices",
                    effectiveOn: today.adding(days: 21), affectedOrganizationIds: [w.housing.id, w.food.id]))
            #expect(planned.notice == .advance && planned.affectedOrganizationIds == [w.food.id, w.housing.id].sorted())
            let hurried = try await l.clinic.recordPolicyMove(
                NewPolicyMove(
                    kind: .policyChange, title: "Walk-in hours end", summary: "Walk-in closes at five from next week",
                    effectiveOn: today.adding(days: 3), affectedOrganizationIds: [w.housing.id]))
            #expect(hurried.notice == .short)
            // Housing records a move the clinic made without telling anyone until it had taken effect.
            let sprung = try await l.housing.recordPolicyMove(
                NewPolicyMove(
                    kind: .decision, title: "Mass testing suspended", summary: "Heard of it from the news",
                    effectiveOn: today.adding(days: -2), madeByOrganizationId: w.clinic.id))
            #expect(sprung.notice == .after && sprung.organizationId == w.clinic.id && sprung.affectedOrganizationIds == [w.housing.id])

            let pair = Self.change(clinicHousing, try await Self.counts(w, w.clinic, w.housing))
            #expect(pair.noticed == 1 && pair.surprised == 2 && pair.formal == 3)
            let food = Self.change(clinicFood, try await Self.counts(w, w.clinic, w.food))
            #expect(food.noticed == 1 && food.surprised == 0)
            let components = ClimateComponents.from(pair, weeksWithContact: 1, weeksInPeriod: 1, people: 1, survey: nil)
            #expect(components.notice.map { abs($0 - 1.0 / 3) < 1e-9 } == true)

            // Only the organisation that made a move and those it affected see it.
            #expect(try await l.food.policyMove(planned.id).id == planned.id)
            await #expect(throws: ThawError.notFound("policy move \(hurried.id)")) { try await l.food.policyMove(hurried.id) }
            await #expect(throws: ThawError.notFound("policy move \(planned.id)")) { try await l.unrelated.policyMove(planned.id) }
            #expect(try await l.housing.policyMoves().map(\.id).sorted() == [planned.id, hurried.id, sprung.id].sorted())
            #expect(try await l.clinic.policyMoves(with: w.food.id).map(\.id) == [planned.id])
            #expect(try await l.unrelated.policyMoves().isEmpty)

            // Refused: a move affecting the mover itself, a future announcement, an unknown partner, a staff member.
            func refused(_ input: NewPolicyMove, by store: ScopedStore) async -> String? {
                do {
                    _ = try await store.recordPolicyMove(input)
                    return nil
                } catch ThawError.invalid(let violations), ThawError.unprocessable(let violations) {
                    return violations.first?.field
                } catch { return "\(error)" }
            }
            let base = NewPolicyMove(kind: .plan, title: "t", summary: "s", effectiveOn: today, affectedOrganizationIds: [w.housing.id])
            var own = base
            own.affectedOrganizationIds = [w.clinic.id]
            var future = base
            future.announcedOn = today.adding(days: 1)
            var unknown = base
            unknown.affectedOrganizationIds = [ID("org_nowhere")]
            #expect(await refused(own, by: l.clinic) == "affectedOrganizationIds")
            #expect(await refused(future, by: l.clinic) == "announcedOn")
            #expect(await refused(unknown, by: l.clinic) == "affectedOrganizationIds")
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).recordPolicyMove(base) }

            // The surprises are on the pair's timeline, for people of either organisation.
            let moves = try await l.housing.pairTimeline(w.clinic.id, w.housing.id).compactMap(\.activity).filter {
                $0.kind == ClimateLedger.policyMoveKind
            }
            #expect(moves.compactMap { $0.detail[PolicyNotice.detailKey] }.sorted() == ["advance", "after", "short"])
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }

    @Test(arguments: Backend.available)
    func aClosedReferralLoopIsAPromiseKeptAndALapsedOneIsNot(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let partner = w.store.scoped(to: w.housingStaff)
            let before = try await Self.counts(w, w.clinic, w.housing)
            var closed = try await w.refer()
            closed = try await partner.changeStatus(closed.id, StatusChange(status: .accepted), expectedVersion: closed.version)
            closed = try await partner.changeStatus(
                closed.id, StatusChange(status: .completed, outcome: ReferralOutcome(code: .needMet, summary: "Housed")),
                expectedVersion: closed.version)
            var kept = Self.change(before, try await Self.counts(w, w.clinic, w.housing))
            #expect(kept.kept == 1 && kept.missed == 0)

            // Accepted, then left past its follow-up date with no outcome: the sweep records it once.
            var lapsing = try await w.refer()
            lapsing = try await partner.changeStatus(lapsing.id, StatusChange(status: .accepted), expectedVersion: lapsing.version)
            let due = try #require(lapsing.followUpDue)
            w.clock.set(due.adding(seconds: -60))
            #expect(try await w.store.sweepDeadlines().lapsedLoops == 0)
            w.clock.set(due.adding(seconds: 60))
            #expect(try await w.store.sweepDeadlines().lapsedLoops == 1)
            #expect(try await w.store.sweepDeadlines().lapsedLoops == 0)
            kept = Self.change(before, try await Self.counts(w, w.clinic, w.housing))
            #expect(kept.kept == 1 && kept.missed == 1)
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }

    @Test(arguments: Backend.available)
    func aMotionOrProposalBroughtBackIsLinkedToItsFirstAttempt(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await PartnershipContractTests().leads(w)
            let members = [w.clinic.id, w.housing.id, w.food.id]
            let first = try await l.clinic.createCommittee(
                NewCommittee(name: "Advisory committee", purpose: "Advice", decisionRule: .simpleMajority, quorum: 1, memberOrganizationIds: members))
            var motion = try await l.housing.proposeDecision(first.id, motion: "Run the intake from the clinic")
            _ = try await l.clinic.vote(motion.id, .reject)
            _ = try await l.food.vote(motion.id, .reject)
            motion = try await l.clinic.closeDecision(motion.id)
            #expect(motion.status == .failed)

            // Refused: bringing back a motion nobody of the organisation can see, or one that did not fail.
            let elsewhere = try await l.unrelated.createCommittee(
                NewCommittee(
                    name: "Library board", purpose: "Reading programme", decisionRule: .consensus, quorum: 1,
                    memberOrganizationIds: [w.unrelated.id, w.clinic.id]))
            var hidden = try await l.unrelated.proposeDecision(elsewhere.id, motion: "Open on Sundays")
            _ = try await l.unrelated.vote(hidden.id, .reject)
            hidden = try await l.unrelated.closeDecision(hidden.id)
            let second = try await l.clinic.createCommittee(
                NewCommittee(name: "Working group", purpose: "Resurrected", decisionRule: .simpleMajority, quorum: 1, memberOrganizationIds: members))
            await #expect(throws: ThawError.unprocessable("revivesDecisionId", "exists", "no motion \(hidden.id) your organisation can see")) {
                try await l.housing.proposeDecision(second.id, motion: "x", revives: hidden.id)
            }
            #expect(try await l.housing.failedMotions().map(\.id) == [motion.id])

            // Brought back in the resurrected group, where it passes: linked, and counted as committee work.
            let before = try await Self.counts(w, w.housing, w.food)
            let again = try await l.housing.proposeDecision(
                second.id, motion: "Run the intake from the clinic, with a housing worker", revives: motion.id)
            #expect(again.revivesDecisionId == motion.id)
            #expect(Self.change(before, try await Self.counts(w, w.housing, w.food)).formal == 1)
            for lead in [l.clinic, l.housing, l.food] { _ = try await lead.vote(again.id, .approve) }
            let passed = try await l.clinic.closeDecision(again.id)
            await #expect(throws: ThawError.unprocessable("revivesDecisionId", "failed", "only a motion that failed can be brought back")) {
                try await l.housing.proposeDecision(second.id, motion: "again", revives: passed.id)
            }

            // A consultation's proposal brought back once the first round closed.
            let proposal = try await l.clinic.createConsultation(
                NewConsultation(
                    title: "Shared intake form", proposal: "One form", invitedOrganizationIds: [w.housing.id],
                    deadline: CalendarDate(w.clock.now().adding(days: 7))))
            await #expect(
                throws: ThawError.unprocessable("revivesConsultationId", "closed", "only a closed consultation's proposal can be brought back")
            ) {
                try await l.clinic.createConsultation(
                    NewConsultation(
                        title: "Shared intake form, again", proposal: "One form", invitedOrganizationIds: [w.housing.id],
                        deadline: CalendarDate(w.clock.now().adding(days: 7)), revivesConsultationId: proposal.id))
            }
            _ = try await l.clinic.closeConsultation(proposal.id)
            let revived = try await l.clinic.createConsultation(
                NewConsultation(
                    title: "Shared intake form, shorter", proposal: "One page", invitedOrganizationIds: [w.housing.id],
                    deadline: CalendarDate(w.clock.now().adding(days: 7)), revivesConsultationId: proposal.id))
            #expect(try await l.housing.consultation(revived.id).0.revivesConsultationId == proposal.id)

            // The pair's thread from the first attempt to the outcome, for people of either organisation only.
            let threads = try await l.food.perseverance(between: w.housing.id, w.food.id)
            #expect(threads.map { $0.steps.map(\.outcome) } == [["failed", "passed"]])
            #expect(threads.first?.steps.map(\.place) == ["Advisory committee", "Working group"])
            let clinicHousing = try await l.housing.perseverance(between: w.clinic.id, w.housing.id)
            #expect(clinicHousing.map { $0.steps.map(\.kind) } == [[.motion, .motion], [.consultation, .consultation]])
            await #expect(throws: ThawError.self) { try await l.unrelated.perseverance(between: w.housing.id, w.food.id) }
            let timeline = try await l.food.pairTimeline(w.housing.id, w.food.id).compactMap(\.activity?.kind)
            #expect(timeline.contains(ClimateLedger.revivedKind))
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }
}
