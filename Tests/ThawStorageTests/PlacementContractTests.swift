import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// A navigator employed by a community agency and placed in a clinic: while placed, and working
/// for it, they work the clinic's clients with the placement's roles, and the ledger names both
/// organisations. On both databases.
@Suite struct PlacementContractTests {
    struct Placed {
        let w: World
        let person: Actor
        let home: Principal
    }

    func world(_ db: TestDatabase) async throws -> Placed {
        let w = try await World.make(db.database)
        let person = try await w.addPerson(w.housing, "navigator@housing.test", [.partnerStaff])
        let user = try #require(try await w.store.user(email: "navigator@housing.test"))
        return Placed(w: w, person: person, home: Principal(user: user, organization: w.housing))
    }

    @Test(arguments: Backend.available)
    func whilePlacedTheyWorkTheHostsClientsAndTheLedgerNamesBoth(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let p = try await world(db)
            let w = p.w
            let today = CalendarDate(w.clock.now())
            #expect(try await w.store.placedPrincipal(p.home, in: w.clinic.id) == nil, "not placed yet")
            let placement = try await w.store.createPlacement(
                NewPlacement(email: "NAVIGATOR@housing.test", roles: [.navigator], fromOn: today, untilOn: today.adding(days: 90)), in: w.clinic.id,
                by: w.clinicAdmin)
            #expect(placement.homeOrganizationId == w.housing.id && placement.organizationId == w.clinic.id)
            let placed = try #require(try await w.store.placedPrincipal(p.home, in: w.clinic.id))
            let actor = placed.actor
            #expect(actor.organizationId == w.clinic.id && actor.homeOrganizationId == w.housing.id && actor.roles == [.navigator])
            // The clinic's client and caseload are theirs to work now; their own organisation's are not reached this way.
            let scoped = w.store.scoped(to: actor)
            #expect(try await scoped.client(w.client.id).disclosedScopes == nil)
            let referral = try await scoped.createReferral(
                NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing)
            ).0
            #expect(referral.requesterOrganizationId == w.clinic.id && referral.requesterUserId == p.person.userId)
            let entry = try await db.database.read { c in
                try await c.query(
                    "SELECT actor_organization_id, detail FROM activity WHERE kind = 'referral.created' AND subject_id = ?", referral.id
                )
                .first
            }
            #expect(entry?.string("actor_organization_id") == w.clinic.id.raw)
            #expect(entry?.string("detail").contains(w.housing.id.raw) == true, "the ledger names their home organisation too")
            // Before it starts, after it ends, or once ended, nothing.
            w.clock.advance(seconds: 91 * 86_400)
            #expect(try await w.store.placedPrincipal(p.home, in: w.clinic.id) == nil)
            w.clock.advance(seconds: -91 * 86_400)
            _ = try await w.store.endPlacement(placement.id, by: w.clinicAdmin)
            #expect(try await w.store.placedPrincipal(p.home, in: w.clinic.id) == nil)
        }
    }

    @Test(arguments: Backend.available)
    func onlyTheHostPlacesAndOnlyWorkingRoles(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let p = try await world(db)
            let w = p.w
            let today = CalendarDate(w.clock.now())
            let ok = NewPlacement(email: "navigator@housing.test", roles: [.navigator], fromOn: today)
            let housingAdmin = try await w.addPerson(w.housing, "admin@housing.test", [.administrator])
            // Housing's administrator cannot open the clinic's records to anyone; the clinic's navigator is not an administrator.
            for outsider in [housingAdmin, w.navigator] {
                await #expect(throws: ThawError.self) { try await w.store.createPlacement(ok, in: w.clinic.id, by: outsider) }
            }
            for (input, field) in [
                (NewPlacement(email: "navigator@housing.test", roles: [.administrator], fromOn: today), "roles"),
                (NewPlacement(email: "nobody@nowhere.test", roles: [.navigator], fromOn: today), "email"),
                (NewPlacement(email: "nav@clinic.test", roles: [.navigator], fromOn: today), "email"),
                (NewPlacement(email: "navigator@housing.test", roles: [.navigator], fromOn: today, untilOn: today.adding(days: -1)), "untilOn")
            ] {
                do {
                    _ = try await w.store.createPlacement(input, in: w.clinic.id, by: w.clinicAdmin)
                    Issue.record("accepted a placement with a bad \(field)")
                } catch ThawError.unprocessable(let v) {
                    #expect(v.map(\.field) == [field])
                }
            }
            #expect(try await w.count("placements") == 0)
            // A placement starting tomorrow does not count today.
            _ = try await w.store.createPlacement(
                NewPlacement(email: "navigator@housing.test", roles: [.navigator], fromOn: today.adding(days: 1)), in: w.clinic.id, by: w.clinicAdmin)
            #expect(try await w.store.placedPrincipal(p.home, in: w.clinic.id) == nil)
            // Another organisation's administrator does not see or end the clinic's placements.
            await #expect(throws: ThawError.self) { try await w.store.placements(in: w.clinic.id, by: housingAdmin) }
        }
    }

    @Test(arguments: Backend.available)
    func aSessionWorksForThePlacementUntilItEnds(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let p = try await world(db)
            let w = p.w
            let placement = try await w.store.createPlacement(
                NewPlacement(email: "navigator@housing.test", roles: [.navigator], fromOn: CalendarDate(w.clock.now())), in: w.clinic.id,
                by: w.clinicAdmin)
            let session = try await w.store.startSession(user: p.person.userId, lifetimeSeconds: 3600)
            try await w.store.setActingOrganization(sessionSecret: session.secret, w.clinic.id)
            #expect(try await w.store.principal(sessionSecret: session.secret)?.0.organization.id == w.clinic.id)
            _ = try await w.store.endPlacement(placement.id, by: w.clinicAdmin)
            let after = try #require(try await w.store.principal(sessionSecret: session.secret)?.0)
            #expect(after.organization.id == w.housing.id && after.homeOrganizationId == nil && after.user.roles == [.partnerStaff])
        }
    }
}
