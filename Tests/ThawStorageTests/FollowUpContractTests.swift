import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// The navigator's follow-up log on a referral, on both databases.
@Suite struct FollowUpContractTests {
    @Test(arguments: Backend.available)
    func aFollowUpIsLoggedAndMovesTheFollowUpDate(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let referral = try await w.refer()
            _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            w.clock.advance(seconds: 3 * 86_400)
            let next = w.clock.now().adding(days: 7)
            let (first, moved) = try await nav.recordFollowUp(
                referral: referral.id,
                NewFollowUp(
                    happenedAt: w.clock.now().adding(seconds: -3600), method: .phone, party: .client, result: .noAnswer,
                    note: "  Left a voicemail  ", nextFollowUpDue: next))
            #expect(moved.followUpDue == next && moved.version == 3)
            #expect(first.note == "Left a voicemail" && first.organizationId == w.clinic.id)
            w.clock.advance(seconds: 86_400)
            let (second, cleared) = try await nav.recordFollowUp(
                referral: referral.id, NewFollowUp(method: .visit, party: .partner, result: .needMet))
            #expect(cleared.followUpDue == nil, "no next date: no further follow-up planned")
            #expect(second.happenedAt == w.clock.now())
            let log = try await nav.followUps(referral: referral.id)
            #expect(log.map(\.id) == [first.id, second.id])
            #expect(log.allSatisfy { $0.userName == "nav@clinic.test" })
            // The ledger: a follow-up with the partner is a contact with it; one with the client is not.
            let entries = try await nav.timeline(referral: referral.id).filter { $0.kind == "referral.followed-up" }
            #expect(entries.map(\.counterpartOrganizationId) == [nil, w.housing.id])
            #expect(entries.last?.detail["result"] == "need-met")
            let writes = try await db.database.read { c in
                try await c.query("SELECT subject_id FROM access_log WHERE action = 'write' AND subject_type = 'follow-up'", [])
            }
            #expect(Set(writes.map { $0.string("subject_id") }) == [first.id.raw, second.id.raw])
        }
    }

    @Test(arguments: Backend.available)
    func onlyTheReferringSideKeepsTheLog(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            let input = NewFollowUp(method: .phone, party: .client, result: .reached)
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).recordFollowUp(referral: referral.id, input) }
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).followUps(referral: referral.id) }
            let stranger = try await w.addPerson(w.food, "nav@food.test", [.navigator])
            await #expect(throws: ThawError.notFound("referral \(referral.id)")) {
                try await w.store.scoped(to: stranger).followUps(referral: referral.id)
            }
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.clinicAdmin).recordFollowUp(referral: referral.id, input) }
            #expect(try await w.count("follow_ups") == 0)
        }
    }

    @Test(arguments: Backend.available)
    func badFollowUpsAreRefusedAndNothingIsWritten(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let referral = try await w.refer()
            let now = w.clock.now()
            let cases: [(NewFollowUp, String)] = [
                (NewFollowUp(happenedAt: now.adding(days: 1), method: .phone, party: .client, result: .reached), "happenedAt:not-in-future"),
                (NewFollowUp(happenedAt: now.adding(days: -30), method: .phone, party: .client, result: .reached), "happenedAt:after-referral"),
                (NewFollowUp(method: .phone, party: .client, result: .reached, nextFollowUpDue: now.adding(days: -1)), "nextFollowUpDue:not-in-past"),
                (NewFollowUp(method: .phone, party: .client, result: .reached, note: String(repeating: "x", count: 4001)), "note:max-length")
            ]
            for (input, expected) in cases {
                do {
                    _ = try await nav.recordFollowUp(referral: referral.id, input)
                    Issue.record("accepted: \(expected)")
                } catch {
                    #expect(brokenRules(error) == expected)
                }
            }
            // A closed referral takes a follow-up, but no next date on it.
            _ = try await nav.changeStatus(referral.id, StatusChange(status: .cancelled, reason: "moved away"), expectedVersion: 1)
            do {
                _ = try await nav.recordFollowUp(
                    referral: referral.id, NewFollowUp(method: .phone, party: .client, result: .reached, nextFollowUpDue: now.adding(days: 3)))
                Issue.record("a next date on a closed referral was accepted")
            } catch {
                #expect(brokenRules(error) == "nextFollowUpDue:closed")
            }
            #expect(try await w.count("follow_ups") == 0)
            let (_, unchanged) = try await nav.recordFollowUp(referral: referral.id, NewFollowUp(method: .phone, party: .client, result: .needNotMet))
            #expect(unchanged.version == 2 && unchanged.status == .cancelled)
        }
    }

    /// "Due today" and "overdue" are the navigator's organisation's days, not UTC's.
    @Test(arguments: Backend.available)
    func dueTodayAndOverdueFollowTheOrganisationsDay(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let edmonton = LocalCalendar("America/Edmonton")
            let nav = w.store.scoped(
                to: Actor(
                    userId: w.navigator.userId, organizationId: w.clinic.id, sector: w.clinic.sector, roles: w.navigator.roles,
                    timeZone: edmonton.identifier))
            let referral = try await w.refer()
            // Due on Tuesday 13 January in Edmonton: kept as that day's end, 07:00 UTC on the 14th.
            let tuesday = CalendarDate("2026-01-13")!
            _ = try await nav.updateReferral(referral.id, ReferralUpdate(followUpDue: edmonton.endOfDay(tuesday)), expectedVersion: 1)
            func due() async throws -> (today: Int, overdue: Int) {
                let counts = try await nav.worklistCounts(.caseload)
                return (counts.followUpDueToday, counts.followUpOverdue)
            }
            w.clock.set(ISO8601.parse("2026-01-13T06:30:00Z")!)  // 23:30 Monday in Edmonton
            #expect(try await due() == (0, 0))
            w.clock.set(ISO8601.parse("2026-01-14T06:30:00Z")!)  // 23:30 Tuesday: the 14th in UTC, still Tuesday there
            #expect(try await due() == (1, 0))
            #expect(try await nav.worklist(WorklistQuery(view: .caseload, filter: .followUpDue)).items.map(\.referral.id) == [referral.id])
            w.clock.set(ISO8601.parse("2026-01-14T07:30:00Z")!)  // 00:30 Wednesday
            #expect(try await due() == (0, 1))
            #expect(try await nav.worklist(WorklistQuery(view: .caseload, filter: .followUpOverdue)).items.map(\.referral.id) == [referral.id])
            // Recording the follow-up with a new date takes it off the overdue list.
            _ = try await nav.recordFollowUp(
                referral: referral.id,
                NewFollowUp(method: .phone, party: .client, result: .reached, nextFollowUpDue: edmonton.endOfDay(CalendarDate("2026-01-20")!)))
            #expect(try await due() == (0, 0))
        }
    }

    @Test(arguments: Backend.available)
    func theClientsExperienceIsAskedOnceTheReferralHasClosed(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            let referral = try await w.refer()
            let answers = NewClientExperience(easy: .partly, needMet: .yes, wouldUseAgain: .yes, comment: "  The wait was long  ")
            await #expect(throws: ThawError.conflict(code: "not-closed", message: "ask the client once the referral has closed; it is requested")) {
                try await nav.recordClientExperience(referral: referral.id, answers)
            }
            _ = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await partner.changeStatus(
                referral.id, StatusChange(status: .completed, outcome: ReferralOutcome(code: .needMet, summary: "Housed")), expectedVersion: 2)
            #expect(try await nav.clientExperience(referral: referral.id) == nil)
            // The partner does not record or read the client's view of it.
            await #expect(throws: ThawError.self) { try await partner.recordClientExperience(referral: referral.id, answers) }
            let recorded = try await nav.recordClientExperience(referral: referral.id, answers)
            #expect(recorded.comment == "The wait was long" && recorded.easy == .partly)
            #expect(try await nav.clientExperience(referral: referral.id) == recorded)
            await #expect(throws: ThawError.self) { try await nav.recordClientExperience(referral: referral.id, answers) }
            // The ledger carries the answers for evaluation, never the client's words.
            let entry = try await db.database.read { c in
                try await c.query("SELECT detail FROM activity WHERE kind = 'referral.experience-recorded'", []).first?.string("detail")
            }
            #expect(entry?.contains("partly") == true && entry?.contains("wait") == false)
            #expect(try await w.count("client_experiences") == 1)
        }
    }
}
