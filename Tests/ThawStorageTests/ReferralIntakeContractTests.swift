import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// A referral received whole from another system, on every backend: the client found by
/// identifier or registered, consents and needs recorded with the referral in one
/// transaction, and the sender's identifier making a retry safe.
@Suite struct ReferralIntakeContractTests {
    func intake(_ w: World, owner: Organization, mrn: String, sent: String?, purpose: ConsentPurpose = .referral) -> ReferralIntake {
        ReferralIntake(
            client: .described(
                NewClient(givenName: "Colin", familyName: "Baxter", birthDate: CalendarDate("1987-02-20")),
                identifiers: [ClientIdentifier(system: "urn:example:mrn", value: mrn)]),
            consents: [NewConsent(grantee: .organization(owner.id), scopes: [.contact, .needs], purpose: purpose)],
            needs: [.identified(.food, on: nil)], organizationId: owner.id, serviceId: nil, needCategory: .food,
            priority: .urgent, note: nil, firstResponseDue: nil,
            senderIdentifier: sent.map { ClientIdentifier(system: "urn:example:referrals", value: $0) })
    }

    @Test(arguments: Backend.available)
    func recordsAllOrNothingMatchesByIdentifierAndReplaysBySenderIdentifier(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let navigator = w.store.scoped(to: w.navigator)
            let clients = try await w.count("clients"), consents = try await w.count("consents"), needs = try await w.count("needs")

            // Refused by the consent rule (care coordination does not cover referral): nothing is kept.
            await #expect(throws: ThawError.self) {
                try await navigator.receiveReferral(intake(w, owner: w.food, mrn: "m-1", sent: "r-1", purpose: .careCoordination))
            }
            #expect(try await w.count("clients") == clients)
            #expect(try await w.count("consents") == consents)
            #expect(try await w.count("needs") == needs)
            #expect(try await w.count("client_identifiers") == 0)

            let first = try await navigator.receiveReferral(intake(w, owner: w.food, mrn: "m-1", sent: "r-1"))
            #expect(first.clientRegistered && !first.replayed && first.needs.count == 1 && first.needs[0].identified)
            #expect(first.referral.ownerOrganizationId == w.food.id && first.referral.needIds == [first.needs[0].need.id])
            #expect(first.referral.priority == .urgent && first.referral.status == .requested)
            let inbox = try await w.store.scoped(to: w.foodStaff).referral(first.referral.id)
            #expect(inbox.client.familyName == "Baxter")

            // A retry with the sender's identifier: the same referral, nothing new.
            let referrals = try await w.count("referrals"), identifiers = try await w.count("client_identifiers")
            let replay = try await navigator.receiveReferral(intake(w, owner: w.food, mrn: "m-1", sent: "r-1"))
            #expect(replay.replayed && replay.referral.id == first.referral.id && replay.consents.map(\.id) == first.consents.map(\.id))
            #expect(try await w.count("referrals") == referrals)
            #expect(try await w.count("client_identifiers") == identifiers)

            // Another referral for the same patient: found by identifier, its active need reused.
            let second = try await navigator.receiveReferral(intake(w, owner: w.food, mrn: "m-1", sent: "r-2"))
            #expect(!second.clientRegistered && second.client.id == first.client.id && second.referral.id != first.referral.id)
            #expect(second.needs.map(\.need.id) == first.needs.map(\.need.id) && !second.needs[0].identified)

            // Identifiers are the sender organisation's: another organisation's identical number is another client.
            let otherClinic = try await w.addPerson(w.unrelated, "nav@library.test", [.navigator])
            let elsewhere = try await w.store.scoped(to: otherClinic).receiveReferral(intake(w, owner: w.food, mrn: "m-1", sent: "r-1"))
            #expect(elsewhere.clientRegistered && elsewhere.client.id != first.client.id && !elsewhere.replayed)

            // A partner without a referring role cannot send one.
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.housingStaff).receiveReferral(intake(w, owner: w.food, mrn: "m-9", sent: "r-9"))
            }
        }
    }
}
