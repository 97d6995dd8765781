import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

@Suite struct WorklistContractTests {
    @Test(arguments: Backend.available)
    func cursorPagesCoverEveryReferralOnceInOrder(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            var ids: [ID<Referral>] = []
            for i in 0..<23 {
                w.clock.advance(seconds: i % 3 == 0 ? 0 : 5)  // equal timestamps exercise the id tie-break
                ids.append(try await w.refer().id)
            }
            for sort in WorklistQuery.Sort.allCases {
                var seen: [ID<Referral>] = []
                var cursor: WorklistCursor?
                repeat {
                    let page = try await w.store.scoped(to: w.navigator).worklist(
                        WorklistQuery(view: .caseload, sort: sort, limit: 5, cursor: cursor))
                    seen += page.items.map(\.referral.id)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(Set(seen) == Set(ids) && seen.count == ids.count, "sort \(sort)")
            }
            let inbox = try await w.store.scoped(to: w.housingStaff).worklist(WorklistQuery(view: .inbox, limit: 200))
            #expect(inbox.items.count == 23)
            #expect(inbox.items.allSatisfy { $0.referral.note == nil && $0.clientName == "Amara Okafor" })
        }
    }

    @Test(arguments: Backend.available)
    func filtersFindOverdueAwaitingAndFollowUp(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            let waiting = try await w.refer()
            let answered = try await w.refer()
            _ = try await partner.changeStatus(answered.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await partner.sendMessage(referral: answered.id, body: "Can you confirm the client's phone?")
            let closed = try await w.refer()
            _ = try await nav.changeStatus(closed.id, StatusChange(status: .cancelled, reason: "duplicate"), expectedVersion: 1)
            func ids(_ scoped: ScopedStore, _ view: WorklistQuery.View, _ filter: WorklistQuery.Filter) async throws -> Set<ID<Referral>> {
                Set(try await scoped.worklist(WorklistQuery(view: view, filter: filter)).items.map(\.referral.id))
            }
            #expect(try await ids(nav, .caseload, .overdueFirstResponse).isEmpty)
            w.clock.advance(seconds: 6 * 86_400)  // past the routine 5-day first-response window
            #expect(try await ids(nav, .caseload, .overdueFirstResponse) == [waiting.id])
            #expect(try await ids(partner, .inbox, .overdueFirstResponse) == [waiting.id])
            #expect(try await ids(nav, .caseload, .awaitingMyReply) == [answered.id])
            #expect(try await ids(partner, .inbox, .awaitingTheirReply) == [answered.id])
            #expect(try await ids(partner, .inbox, .awaitingMyReply) == [waiting.id])
            #expect(try await ids(nav, .caseload, .open) == [waiting.id, answered.id])
            #expect(try await ids(nav, .caseload, .followUpDue).isEmpty)
            w.clock.advance(seconds: 8 * 86_400 - 3600)  // follow-up defaults to 14 days: the morning of its day
            #expect(try await ids(nav, .caseload, .followUpDue) == [waiting.id, answered.id])
            #expect(try await ids(nav, .caseload, .followUpOverdue).isEmpty)
            w.clock.advance(seconds: 2 * 3600)  // past the hour, the same day: still due today, not overdue
            #expect(try await ids(nav, .caseload, .followUpDue) == [waiting.id, answered.id])
            w.clock.advance(seconds: 86_400)  // the next day: overdue, and no longer counted as due today
            #expect(try await ids(nav, .caseload, .followUpDue).isEmpty)
            #expect(try await ids(nav, .caseload, .followUpOverdue) == [waiting.id, answered.id])
            let cancelled = try await nav.worklist(WorklistQuery(view: .caseload, statuses: [.cancelled]))
            #expect(cancelled.items.map(\.referral.id) == [closed.id])
        }
    }

    @Test(arguments: Backend.available)
    func rolesWithoutClientAccessCannotReadWorklists(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await w.refer()
            for actor in [w.clinicAdmin, w.clinicLead] {
                await #expect(throws: ThawError.self) { try await w.store.scoped(to: actor).worklist(WorklistQuery(view: .caseload)) }
            }
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).worklist(WorklistQuery(view: .caseload)) }
            #expect(try await w.store.scoped(to: w.unrelatedStaff).worklist(WorklistQuery(view: .inbox)).items.isEmpty)
        }
    }
}
