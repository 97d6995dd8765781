import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Needs that close (met, declined, no longer applicable), and the needs a caseload must not
/// lose: never referred, or referred only where it failed. On both databases.
@Suite struct NeedClosingContractTests {
    @Test(arguments: Backend.available)
    func aNeedClosesOnceWithItsDayAndWhoClosedIt(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let (_, needs) = try await nav.recordScreening(client: w.client.id, NewScreening(answers: [.housing: .yes, .food: .yes]))
            let housing = try #require(needs.first { $0.category == .housing }), food = try #require(needs.first { $0.category == .food })
            let referral = try await nav.createReferral(
                NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, needIds: [housing.id])
            ).0
            // The food need is not this referral's: it cannot be the reason it closed.
            await #expect(throws: ThawError.unprocessable("referralId", "names-need", "referralId must be a referral of this client for this need")) {
                try await nav.closeNeed(food.id, NeedClosure(status: .met, referralId: referral.id))
            }
            w.clock.advance(seconds: 2 * 86_400)
            let met = try await nav.closeNeed(housing.id, NeedClosure(status: .met, referralId: referral.id))
            #expect(met.status == .met && met.closedBy == w.navigator.userId && met.closingReferralId == referral.id)
            #expect(met.closedOn == CalendarDate(w.clock.now()))
            await #expect(throws: ThawError.self) { try await nav.closeNeed(housing.id, NeedClosure(status: .declined)) }
            // Not before it was identified, not after today; "active" is not a way to close.
            for (closure, field) in [
                (NeedClosure(status: .declined, closedOn: CalendarDate("2025-12-01")), "closedOn"),
                (NeedClosure(status: .declined, closedOn: CalendarDate(w.clock.now()).adding(days: 1)), "closedOn"),
                (NeedClosure(status: .active), "status")
            ] {
                do {
                    _ = try await nav.closeNeed(food.id, closure)
                    Issue.record("accepted \(closure)")
                } catch ThawError.unprocessable(let v) {
                    #expect(v.map(\.field) == [field])
                }
            }
            let declined = try await nav.closeNeed(food.id, NeedClosure(status: .declined, closedOn: CalendarDate(World.start)))
            #expect(declined.closedOn == CalendarDate(World.start))
            let stored = try await nav.needs(client: w.client.id)
            #expect(Set(stored.map(\.status)) == [.met, .declined])
            let closings = try await db.database.read { c in
                try await c.query("SELECT COUNT(*) AS n FROM activity WHERE kind = 'need.closed'", []).first?.int("n") ?? 0
            }
            #expect(closings == 2)
        }
    }

    @Test(arguments: Backend.available)
    func onlyTheOrganisationHoldingTheClientClosesItsNeeds(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let (_, needs) = try await nav.recordScreening(client: w.client.id, NewScreening(answers: [.housing: .yes]))
            let need = try #require(needs.first)
            _ = try await nav.createReferral(
                NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, needIds: [need.id]))
            for outsider in [w.housingStaff, w.foodStaff, w.clinicAdmin] {
                await #expect(throws: ThawError.self) { try await w.store.scoped(to: outsider).closeNeed(need.id, NeedClosure(status: .met)) }
            }
            // A navigator of another organisation gets the same 404 as for a need that does not exist.
            let stranger = try await w.addPerson(w.food, "nav@food.test", [.navigator])
            await #expect(throws: ThawError.notFound("need \(need.id)")) {
                try await w.store.scoped(to: stranger).closeNeed(need.id, NeedClosure(status: .met))
            }
            #expect(try await nav.needs(client: w.client.id).first?.status == .active)
        }
    }

    @Test(arguments: Backend.available)
    func theCaseloadListsNeedsNeverReferredAndThoseWhoseReferralsAllFailed(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            _ = try await nav.recordConsent(
                client: w.client.id, NewConsent(grantee: .organization(w.food.id), scopes: [.needs], purpose: .referral))
            let (_, needs) = try await nav.recordScreening(
                client: w.client.id, NewScreening(answers: [.housing: .yes, .food: .yes, .transportation: .yes, .utilities: .yes]))
            func need(_ category: NeedCategory) throws -> IdentifiedNeed { try #require(needs.first { $0.category == category }) }
            func refer(_ category: NeedCategory, draft: Bool = false) async throws -> Referral {
                try await nav.createReferral(
                    NewReferral(
                        clientId: w.client.id, serviceId: category == .housing ? w.housingService.id : w.foodService.id,
                        needCategory: category, needIds: [try need(category).id], draft: draft)
                ).0
            }
            func gaps() async throws -> [NeedCategory: NeedGap.Kind] {
                Dictionary(uniqueKeysWithValues: try await nav.needGaps().map { ($0.need.category, $0.kind) })
            }
            #expect(
                try await gaps() == [.housing: .neverReferred, .food: .neverReferred, .transportation: .neverReferred, .utilities: .neverReferred])
            // Housing: declined, then referred again and accepted: alive.
            let declined = try await refer(.housing)
            _ = try await partner.changeStatus(
                declined.id, StatusChange(status: .rejected, reason: "full", reasonCode: .noCapacity), expectedVersion: 1)
            #expect(try await gaps()[.housing] == .allReferralsFailed)
            let again = try await refer(.housing)
            _ = try await partner.changeStatus(again.id, StatusChange(status: .accepted), expectedVersion: 1)
            // Food: completed, but the need was not met. Transportation: only a draft. Utilities: closed as not applicable.
            let food = try await refer(.food)
            let foodBank = w.store.scoped(to: w.foodStaff)
            _ = try await foodBank.changeStatus(food.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await foodBank.changeStatus(
                food.id, StatusChange(status: .completed, outcome: ReferralOutcome(code: .needNotMet, summary: "not eligible")), expectedVersion: 2)
            _ = try await nav.createReferral(
                NewReferral(clientId: w.client.id, needCategory: .transportation, needIds: [try need(.transportation).id], draft: true))
            _ = try await nav.closeNeed(try need(.utilities).id, NeedClosure(status: .notApplicable))
            #expect(try await gaps() == [.food: .allReferralsFailed, .transportation: .neverReferred])
            // Another organisation's caseload holds none of these.
            #expect(try await w.store.scoped(to: w.addPerson(w.food, "nav@food.test", [.navigator])).needGaps().isEmpty)
        }
    }
}
