import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Partnership practice on every backend: committees and decision rules,
/// commitments (missed automatically), consultations, threads, and who sees what.
@Suite struct PartnershipContractTests {
    struct Leads {
        let clinic: ScopedStore, housing: ScopedStore, food: ScopedStore, unrelated: ScopedStore
        let clinicActor: Actor, housingActor: Actor, foodActor: Actor
    }

    func leads(_ w: World) async throws -> Leads {
        func lead(_ org: Organization, _ email: String) async throws -> Actor {
            let user = try await w.store.createUser(
                NewUser(
                    organizationId: org.id, email: email, displayName: email, roles: [.partnershipLead],
                    password: "correct horse battery"), passwordHash: "x")
            return Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: [.partnershipLead])
        }
        let housing = try await lead(w.housing, "lead@housing.test"), food = try await lead(w.food, "lead@food.test")
        let unrelated = try await lead(w.unrelated, "lead@library.test")
        return Leads(
            clinic: w.store.scoped(to: w.clinicLead), housing: w.store.scoped(to: housing), food: w.store.scoped(to: food),
            unrelated: w.store.scoped(to: unrelated), clinicActor: w.clinicLead, housingActor: housing, foodActor: food)
    }

    @Test(arguments: Backend.available)
    func sectorParityCommitteeVotesQuorumAndWalkOut(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await leads(w)
            let committee = try await l.clinic.createCommittee(
                NewCommittee(
                    name: "Integrated care council", purpose: "Shared governance",
                    decisionRule: .sectorParity, quorum: 2, memberOrganizationIds: [w.clinic.id, w.housing.id, w.food.id]))
            await #expect(throws: ThawError.notFound("committee \(committee.id)")) { try await l.unrelated.committee(committee.id) }
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.clinicAdmin).createCommittee(
                    NewCommittee(
                        name: "x", purpose: "",
                        decisionRule: .consensus, quorum: 1, memberOrganizationIds: [w.clinic.id]))
            }

            // Primary care approves, social care splits 1–1: parity fails.
            var motion = try await l.clinic.proposeDecision(committee.id, motion: "Fund a shared navigator post")
            _ = try await l.clinic.vote(motion.id, .approve)
            _ = try await l.housing.vote(motion.id, .approve)
            _ = try await l.food.vote(motion.id, .reject)
            await #expect(throws: ThawError.conflict(code: "already-voted", message: "your organisation has already voted on this motion")) {
                try await l.food.vote(motion.id, .approve)
            }
            await #expect(throws: ThawError.self) { try await l.unrelated.vote(motion.id, .approve) }
            motion = try await l.clinic.closeDecision(motion.id)
            #expect(motion.status == .failed)
            #expect(motion.tally?.sectors["social-care"] == .init(members: 2, approve: 1))

            // Quorum: one vote of three members with quorum 2 decides nothing, and the motion stays open.
            let thin = try await l.clinic.proposeDecision(committee.id, motion: "Change the meeting day")
            _ = try await l.clinic.vote(thin.id, .approve)
            await #expect(throws: ThawError.self) { try await l.clinic.closeDecision(thin.id) }
            #expect(try await l.clinic.decisions(committee.id).first { $0.id == thin.id }?.status == .open)

            // The food bank walks out; it still reads the record but no longer votes.
            let members = try await l.food.leaveCommittee(committee.id, reason: "Our concerns about billing were not heard")
            #expect(members.first { $0.organizationId == w.food.id }?.isCurrent == false)
            await #expect(throws: ThawError.self) { try await l.food.vote(thin.id, .approve) }
            #expect(try await l.food.decisions(committee.id).count == 2)
            _ = try await l.housing.vote(thin.id, .approve)
            #expect(try await l.clinic.closeDecision(thin.id).status == .passed)

            let meeting = try await l.clinic.recordMeeting(
                committee.id, heldAt: w.clock.now(), agenda: ["Navigator post", "Billing codes"],
                minutes: "Agreed to revisit billing codes.", attendees: [l.clinicActor.userId, l.housingActor.userId])
            await #expect(throws: ThawError.self) {
                try await l.clinic.recordMeeting(committee.id, heldAt: w.clock.now(), agenda: ["x"], minutes: nil, attendees: [l.foodActor.userId])
            }
            #expect(try await l.housing.meetings(committee.id).map(\.id) == [meeting.id])
            let formal = try await w.database.read { c in
                try await c.query("SELECT kind FROM activity WHERE channel = 'formal' ORDER BY seq", []).map { $0.string("kind") }
            }
            #expect(
                formal.contains("committee.member-left") && formal.contains("decision.failed") && formal.contains("decision.passed")
                    && formal.contains("meeting.held"))
        }
    }

    @Test(arguments: Backend.available)
    func commitmentsAreMissedAutomaticallyRenegotiatedAndKept(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await leads(w)
            let today = CalendarDate(w.clock.now())
            await #expect(throws: ThawError.self) {
                try await l.clinic.createCommitment(
                    NewCommitment(
                        toOrganizationId: w.housing.id, what: "x", context: .meeting,
                        dueOn: CalendarDate(w.clock.now().adding(days: -1))))
            }
            let due = CalendarDate(w.clock.now().adding(days: 3))
            var commitment = try await l.clinic.createCommitment(
                NewCommitment(
                    toOrganizationId: w.housing.id, what: "Supply protective equipment",
                    context: .meeting, dueOn: due))
            #expect(try await l.housing.commitments().map(\.id) == [commitment.id])
            await #expect(throws: ThawError.notFound("commitment \(commitment.id)")) {
                try await l.unrelated.changeCommitment(commitment.id, .keep(evidence: "x"), expectedVersion: 1)
            }
            await #expect(throws: ThawError.self) { try await l.housing.changeCommitment(commitment.id, .keep(evidence: "x"), expectedVersion: 1) }
            #expect(try await w.store.markMissedCommitments() == 0)
            w.clock.advance(seconds: 4 * 86_400)
            commitment = try #require(try await l.clinic.commitments().first)  // listing sweeps first
            #expect(commitment.status == .missed && commitment.version == 2)
            #expect(try await w.store.markMissedCommitments() == 0)  // once only
            let missed = try await w.database.read { c in
                try await c.query("SELECT at, actor_user_id, counterpart_organization_id FROM activity WHERE kind = 'commitment.missed'", [])
            }
            #expect(
                missed.count == 1 && missed[0].timestamp("at") == due.startOfDay.adding(days: 1) && missed[0].optionalString("actor_user_id") == nil)
            await #expect(throws: ThawError.self) { try await l.clinic.changeCommitment(commitment.id, .keep(evidence: "late"), expectedVersion: 1) }
            // A new date is only proposed until the organisation promised agrees; it is the one to agree.
            commitment = try await l.clinic.changeCommitment(
                commitment.id,
                .renegotiate(
                    newDueOn: CalendarDate(w.clock.now().adding(days: 10)),
                    reason: "Supplier delay"), expectedVersion: 2)
            #expect(commitment.status == .missed && commitment.renegotiations == 0 && commitment.proposedDueOn != nil)
            await #expect(throws: ThawError.self) { try await l.clinic.changeCommitment(commitment.id, .agree, expectedVersion: 3) }
            commitment = try await l.housing.changeCommitment(commitment.id, .agree, expectedVersion: 3)
            #expect(commitment.status == .open && commitment.renegotiations == 1 && commitment.dueOn == CalendarDate(w.clock.now().adding(days: 10)))
            #expect(commitment.proposedDueOn == nil)

            // Marked kept by the promiser, it waits for the organisation promised, which disputes it: open again.
            commitment = try await l.clinic.changeCommitment(
                commitment.id, .keep(evidence: "2,000 masks delivered"), expectedVersion: commitment.version)
            #expect(commitment.status == .awaitingConfirmation)
            await #expect(throws: ThawError.self) {
                try await l.clinic.changeCommitment(commitment.id, .confirm(note: nil), expectedVersion: commitment.version)
            }
            commitment = try await l.housing.changeCommitment(
                commitment.id, .dispute(reason: "Only half arrived"), expectedVersion: commitment.version)
            #expect(commitment.status == .open)
            // Marked again and confirmed: kept, in the recipient's name.
            commitment = try await l.clinic.changeCommitment(
                commitment.id, .keep(evidence: "The other 1,000 delivered"), expectedVersion: commitment.version)
            commitment = try await l.housing.changeCommitment(commitment.id, .confirm(note: "All here"), expectedVersion: commitment.version)
            #expect(commitment.status == .kept)
            let kept = try await w.database.read { c in
                try await c.query("SELECT actor_organization_id, counterpart_organization_id FROM activity WHERE kind = 'commitment.kept'", [])
            }
            #expect(kept.count == 1 && kept[0].string("actor_organization_id") == w.housing.id.raw)
            await #expect(throws: ThawError.conflict(code: "commitment-closed", message: "a commitment already kept cannot be withdrawn")) {
                try await l.clinic.changeCommitment(commitment.id, .withdraw(reason: "no"), expectedVersion: commitment.version)
            }

            // A promise to two organisations: one commitment each. One confirms; the other's silence confirms after two weeks.
            let group = try await l.clinic.createCommitments(
                NewCommitment(
                    toOrganizationId: w.housing.id, alsoToOrganizationIds: [w.food.id], what: "Share the winter bed counts weekly",
                    context: .meeting, dueOn: CalendarDate(w.clock.now().adding(days: 7))))
            #expect(group.count == 2 && group[0].groupId != nil && group[0].groupId == group[1].groupId)
            let foodSees = try await l.food.commitments().map(\.id)
            #expect(foodSees.contains(group[1].id) && !foodSees.contains(group[0].id))
            for commitment in group { _ = try await l.clinic.changeCommitment(commitment.id, .keep(evidence: "Sent Monday"), expectedVersion: 1) }
            _ = try await l.housing.changeCommitment(group[0].id, .confirm(note: nil), expectedVersion: 2)
            w.clock.advance(seconds: 13 * 86_400)
            #expect(try await w.store.confirmUndisputedCommitments() == 0)
            w.clock.advance(seconds: 2 * 86_400)
            #expect(try await w.store.sweepDeadlines().confirmedCommitments == 1)
            #expect(try await l.food.commitments().first { $0.id == group[1].id }?.status == .kept)
            #expect(try await w.store.confirmUndisputedCommitments() == 0)
            #expect(try await w.store.rebuildFindsClimateUnchanged())
            _ = today
        }
    }

    @Test(arguments: Backend.available)
    func consultationsAreAnsweredItemByItemBeforeClosing(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await leads(w)
            let deadline = CalendarDate(w.clock.now().adding(days: 14))
            let consultation = try await l.clinic.createConsultation(
                NewConsultation(
                    title: "Billing codes for navigation",
                    proposal: "Add codes for navigator time", invitedOrganizationIds: [w.housing.id], deadline: deadline))
            await #expect(throws: ThawError.notFound("consultation \(consultation.id)")) { try await l.food.consultation(consultation.id) }
            await #expect(throws: ThawError.self) { try await l.clinic.addFeedback(consultation.id, text: "Our own view") }
            let item = try await l.housing.addFeedback(consultation.id, text: "Include time spent on housing forms")
            w.clock.advance(seconds: 60)
            let second = try await l.housing.addFeedback(consultation.id, text: "Pay for missed appointments")
            await #expect(throws: ThawError.self) { try await l.clinic.closeConsultation(consultation.id) }
            await #expect(throws: ThawError.self) { try await l.housing.respond(consultation.id, item: item.id, .adopted, text: "self-answer") }
            await #expect(throws: ThawError.self) { try await l.clinic.respond(consultation.id, item: item.id, .notAdopted, text: "  ") }
            _ = try await l.clinic.respond(consultation.id, item: item.id, .adopted, text: "Added code N-12 for form time")
            _ = try await l.clinic.respond(consultation.id, item: second.id, .notAdopted, text: "The ministry does not fund no-shows")
            #expect(try await l.clinic.closeConsultation(consultation.id).status == .closed)
            await #expect(throws: ThawError.self) { try await l.housing.addFeedback(consultation.id, text: "One more") }
            let (_, items) = try await l.housing.consultation(consultation.id)
            #expect(items.map(\.response) == [.adopted, .notAdopted])
            // After the deadline no new feedback is taken.
            let late = try await l.clinic.createConsultation(
                NewConsultation(
                    title: "Hours", proposal: "Evening clinics",
                    invitedOrganizationIds: [w.housing.id], deadline: CalendarDate(w.clock.now())))
            w.clock.advance(seconds: 2 * 86_400)
            await #expect(throws: ThawError.conflict(code: "deadline-passed", message: "the deadline for feedback was \(late.deadline)")) {
                try await l.housing.addFeedback(late.id, text: "Too late")
            }
        }
    }

    @Test(arguments: Backend.available)
    func threadsAreForTheirParticipantsOnly(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await leads(w)
            let thread = try await l.clinic.startThread(subject: "Coffee next week?", with: [w.housingStaff.userId], message: "Shall we meet?")
            let staff = w.store.scoped(to: w.housingStaff)
            w.clock.advance(seconds: 60)
            _ = try await staff.postToThread(thread.id, body: "Tuesday works")
            #expect(try await staff.thread(thread.id).1.map(\.body) == ["Shall we meet?", "Tuesday works"])
            await #expect(throws: ThawError.notFound("thread \(thread.id)")) { try await w.store.scoped(to: w.clinicAdmin).thread(thread.id) }
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.clinicAdmin).postToThread(thread.id, body: "hi") }
            await #expect(throws: ThawError.self) { try await l.clinic.startThread(subject: "Internal", with: [w.navigator.userId], message: "x") }
            let informal = try await w.database.read { c in
                try await c.query(
                    "SELECT actor_organization_id, counterpart_organization_id FROM activity WHERE channel = 'informal' ORDER BY seq", [])
            }
            #expect(informal.map { $0.string("counterpart_organization_id") } == [w.housing.id.raw, w.clinic.id.raw])
        }
    }

    @Test(arguments: Backend.available)
    func pairAndCommitteeTimelinesShowEverythingInOrder(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let l = try await leads(w)
            _ = try await w.refer()  // a referral between the clinic and housing
            w.clock.advance(seconds: 60)
            _ = try await l.clinic.startThread(subject: "Hello", with: [l.housingActor.userId], message: "Coffee?")
            w.clock.advance(seconds: 60)
            _ = try await l.clinic.createCommitment(
                NewCommitment(
                    toOrganizationId: w.housing.id, what: "Share the on-call list",
                    context: .thread, dueOn: CalendarDate(w.clock.now().adding(days: 5))))
            _ = try await l.housing.recordEvent(
                NewOutsideEvent(
                    kind: .cabinetChange, title: "Cabinet shuffle", description: "",
                    occurredOn: CalendarDate(w.clock.now()), affectedOrganizationIds: [w.housing.id]))
            let timeline = try await l.housing.pairTimeline(w.housing.id, w.clinic.id)
            let kinds = timeline.map { $0.activity?.kind ?? "event:" + ($0.event?.kind.rawValue ?? "?") }
            // The world's consent and the referral are about a client: left out entirely. An event sits at the start of its day.
            #expect(kinds == ["event:cabinet-change", "thread.message", "commitment.made"])
            #expect(
                !timeline.contains { item in
                    guard let entry = item.activity else { return false }
                    return entry.subjectId == w.client.id.raw || entry.detail.values.contains(w.client.id.raw) || entry.channel == .referral
                })
            await #expect(throws: ThawError.self) { try await l.food.pairTimeline(w.housing.id, w.clinic.id) }
            // An organisation that does not exist is not a pair with no history: 404.
            await #expect(throws: ThawError.notFound("the pair of organisations \(w.housing.id) and org_00000000000000000000000000000000")) {
                try await l.housing.pairTimeline(w.housing.id, ID("org_00000000000000000000000000000000"))
            }
            await #expect(throws: ThawError.notFound("the pair of organisations \(w.housing.id) and org_00000000000000000000000000000000")) {
                try await l.housing.pairClimate(
                    w.housing.id, ID("org_00000000000000000000000000000000"), period: .month,
                    from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!)
            }
            let committee = try await l.clinic.createCommittee(
                NewCommittee(
                    name: "Council", purpose: "", decisionRule: .consensus, quorum: 1,
                    memberOrganizationIds: [w.clinic.id, w.housing.id]))
            let motion = try await l.clinic.proposeDecision(committee.id, motion: "Meet monthly")
            _ = try await l.housing.vote(motion.id, .approve)
            _ = try await l.clinic.closeDecision(motion.id)
            let committeeKinds = try await l.housing.committeeTimeline(committee.id).compactMap { $0.activity?.kind }
            #expect(committeeKinds == ["committee.created", "committee.member-joined", "decision.proposed", "decision.vote", "decision.passed"])
            await #expect(throws: ThawError.self) { try await l.food.committeeTimeline(committee.id) }
        }
    }
}
