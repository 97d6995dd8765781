import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Signals, people in roles over time, outside events and joint funding, on every backend.
@Suite struct SignalsRolesFundingContractTests {
    func lead(_ w: World, _ org: Organization, _ email: String) async throws -> ScopedStore {
        let user = try await w.store.createUser(
            NewUser(
                organizationId: org.id, email: email, displayName: email, roles: [.partnershipLead],
                password: "correct horse battery"), passwordHash: "x")
        return w.store.scoped(to: Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: [.partnershipLead]))
    }

    @Test(arguments: Backend.available)
    func signalsAreAcknowledgedOnceByTheirAddressees(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let clinic = w.store.scoped(to: w.clinicLead)
            let housing = try await lead(w, w.housing, "lead@housing.test"), food = try await lead(w, w.food, "lead@food.test")
            let signal = try await clinic.sendSignal(
                NewSignal(
                    kind: .liaisonAppointed, description: "A liaison nurse for housing partners",
                    madeOn: CalendarDate(w.clock.now()), addressedToOrganizationIds: [w.housing.id]))
            await #expect(throws: ThawError.notFound("signal \(signal.id)")) { try await food.acknowledgeSignal(signal.id, note: nil) }
            // Acknowledging is a partnership act, like every other: staff of the addressed partner may not.
            await #expect(
                throws: ThawError.forbidden("acknowledging a signal needs one of the roles: administrator, network-administrator, partnership-lead")
            ) {
                try await w.store.scoped(to: w.housingStaff).acknowledgeSignal(signal.id, note: nil)
            }
            let acknowledged = try await housing.acknowledgeSignal(signal.id, note: "Welcome!")
            #expect(acknowledged.addressedTo.first?.acknowledgedAt != nil)
            await #expect(throws: ThawError.conflict(code: "already-acknowledged", message: "your organisation has already acknowledged this signal"))
            {
                try await housing.acknowledgeSignal(signal.id, note: nil)
            }
            #expect(try await housing.signals().map(\.id) == [signal.id])
            #expect(try await food.signals().isEmpty)
            await #expect(throws: ThawError.self) {
                try await clinic.sendSignal(
                    NewSignal(
                        kind: .other, description: "later", madeOn: CalendarDate(w.clock.now().adding(days: 2)),
                        addressedToOrganizationIds: [w.housing.id]))
            }
        }
    }

    @Test(arguments: Backend.available)
    func singleHolderTermsDoNotOverlapAndANewLeaderIsAnEvent(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let clinic = w.store.scoped(to: w.clinicLead)
            let first = try await clinic.recordRole(
                NewRoleHolding(
                    title: "Executive director", holderName: "Ada Lovelace", singleHolder: true,
                    leadership: true, startsOn: CalendarDate("2021-01-01")!))
            await #expect(throws: ThawError.self) {
                try await clinic.recordRole(
                    NewRoleHolding(
                        title: "Navigator lead", holderName: "X", singleHolder: true, leadership: false,
                        startsOn: CalendarDate("2022-02-01")!, endsOn: CalendarDate("2022-01-01")!))
            }
            let before = try await w.count("role_holdings")
            await #expect(throws: ThawError.self) {  // the first term has no end yet
                try await clinic.recordRole(
                    NewRoleHolding(
                        title: "Executive director", holderName: "Grace Hopper", singleHolder: true,
                        leadership: true, startsOn: CalendarDate("2022-03-01")!))
            }
            #expect(try await w.count("role_holdings") == before)
            await #expect(throws: ThawError.self) { try await clinic.endRole(first.id, endsOn: CalendarDate("2020-12-31")!) }
            _ = try await clinic.endRole(first.id, endsOn: CalendarDate("2022-02-28")!)
            _ = try await clinic.recordRole(
                NewRoleHolding(
                    title: "Executive director", holderName: "Grace Hopper", singleHolder: true,
                    leadership: true, startsOn: CalendarDate("2022-03-01")!))
            // Several navigators may serve at once.
            _ = try await clinic.recordRole(
                NewRoleHolding(title: "Navigator", holderName: "N1", singleHolder: false, leadership: false, startsOn: CalendarDate("2022-01-01")!))
            _ = try await clinic.recordRole(
                NewRoleHolding(title: "Navigator", holderName: "N2", singleHolder: false, leadership: false, startsOn: CalendarDate("2022-01-01")!))
            let roles = try await w.store.scoped(to: w.housingStaff).roles(organization: w.clinic.id)
            #expect(roles.filter { $0.title == "Executive director" }.map(\.holderName) == ["Ada Lovelace", "Grace Hopper"])
            let events = try await clinic.events(affecting: w.clinic.id)
            #expect(events.map(\.kind) == [.leadershipChange, .leadershipChange])
            #expect(events.last?.title == "Grace Hopper becomes Executive director, Riverside Clinic")
            let wave = try await clinic.recordEvent(
                NewOutsideEvent(
                    kind: .outbreakWave, title: "Fourth wave", description: "Delta",
                    occurredOn: CalendarDate("2021-08-15")!, endsOn: CalendarDate("2021-11-30")!,
                    affectedOrganizationIds: [w.clinic.id, w.housing.id]))
            #expect(try await clinic.events().map(\.id).contains(wave.id))
            await #expect(throws: ThawError.self) {
                try await clinic.recordEvent(
                    NewOutsideEvent(
                        kind: .election, title: "Vote", description: "", occurredOn: CalendarDate("2021-09-20")!,
                        endsOn: CalendarDate("2021-09-01")!, affectedOrganizationIds: []))
            }
        }
    }

    @Test(arguments: Backend.available)
    func fundingAlertsAt180_90And30DaysAndOnlyPartiesSeeIt(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let clinic = w.store.scoped(to: w.clinicLead)
            let housing = try await lead(w, w.housing, "lead@housing.test"), food = try await lead(w, w.food, "lead@food.test")
            let today = CalendarDate(w.clock.now())
            let agreement = try await clinic.recordFunding(
                NewFundingAgreement(
                    title: "Integrated care pilot", purpose: "Navigator post",
                    amountCents: 25_000_000, partyOrganizationIds: [w.clinic.id, w.housing.id], startsOn: CalendarDate("2024-04-01")!,
                    endsOn: CalendarDate(today.startOfDay.adding(days: 200))))
            #expect(try await clinic.funding().first?.alert == nil)
            w.clock.advance(seconds: 25 * 86_400)  // 175 days left
            #expect(try await housing.funding().first?.alert == 180)
            w.clock.advance(seconds: 90 * 86_400)  // 85 days left
            #expect(try await housing.funding().first?.alert == 90)
            w.clock.advance(seconds: 60 * 86_400)  // 25 days left
            #expect(try await clinic.funding(endingWithinDays: 365).map(\.alert) == [30])
            #expect(try await food.funding().isEmpty)
            await #expect(throws: ThawError.notFound("funding agreement \(agreement.id)")) {
                try await food.setRenewal(agreement.id, .renewed, expectedVersion: 1)
            }
            let renewed = try await housing.setRenewal(agreement.id, .renewed, expectedVersion: 1)
            #expect(renewed.version == 2)
            #expect(try await clinic.funding().first?.alert == nil)  // renewed: no alarm
            await #expect(throws: ThawError.self) { try await clinic.setRenewal(agreement.id, .notRenewed, expectedVersion: 1) }
            await #expect(throws: ThawError.self) {
                try await clinic.recordFunding(
                    NewFundingAgreement(
                        title: "Solo", purpose: "", amountCents: 1, partyOrganizationIds: [w.clinic.id],
                        startsOn: today, endsOn: today))
            }
        }
    }
}
