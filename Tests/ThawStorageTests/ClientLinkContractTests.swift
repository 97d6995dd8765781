import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// One client, several organisations: records matched on a health number, or on name and birth
/// date with a confirmation, linked only with the client's consent, and read as it allows.
@Suite struct ClientLinkContractTests {
    @Test(arguments: Backend.available)
    func recordsLinkOnlyWithConsentAndReadAsItAllows(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            // The food bank's navigator registered the same person, with the same health number.
            let foodNavigator = w.store.scoped(to: try await w.addPerson(w.food, "nav@food.test", [.navigator]))
            let theirs = try await foodNavigator.createClient(
                NewClient(givenName: "Amara", familyName: "Okafor", birthDate: CalendarDate("1980-04-02"), phone: "555-0199"))
            let phn = "https://health.example/phn"
            try await w.database.write { c in
                for (org, client) in [(w.clinic.id, w.client.id), (w.food.id, theirs.id)] {
                    try await c.execute(
                        "INSERT INTO client_identifiers (organization_id, system, value, client_id) VALUES (?, ?, '9876543210', ?)", org, phn, client)
                }
            }
            _ = try await foodNavigator.recordScreening(client: theirs.id, NewScreening(answers: [.income: .yes]))
            // Without the client's consent to coordinate care with the clinic, nothing is offered: not even that a record exists.
            #expect(try await nav.linkCandidates(client: w.client.id).isEmpty)
            await #expect(throws: ThawError.self) { try await nav.linkClient(w.client.id, NewClientLink(clientId: theirs.id)) }
            let consent = try await foodNavigator.recordConsent(
                client: theirs.id, NewConsent(grantee: .organization(w.clinic.id), scopes: [.needs], purpose: .careCoordination))
            let candidates = try await nav.linkCandidates(client: w.client.id)
            #expect(
                candidates == [ClientLinkCandidate(clientId: theirs.id, organizationId: w.food.id, organizationName: "Food Bank", basis: .identifier)]
            )
            let link = try await nav.linkClient(w.client.id, NewClientLink(clientId: theirs.id))
            #expect(link.basis == .identifier && link.linkedOrganizationId == w.food.id)
            #expect(try await nav.linkCandidates(client: w.client.id).isEmpty, "linked already")
            let records = try await nav.linkedRecords(client: w.client.id)
            #expect(records.count == 1 && records.first?.organizationName == "Food Bank")
            #expect(records.first?.needs?.map(\.category) == [.income])
            // Linking, reading and unlinking are in the other record's access log.
            _ = try await nav.unlinkClient(w.client.id, link: link.id)
            #expect(try await nav.linkedRecords(client: w.client.id).isEmpty)
            let actions = try await w.database.read { c in
                try await c.query("SELECT action FROM access_log WHERE client_id = ? AND user_id = ? ORDER BY seq", theirs.id, w.navigator.userId)
                    .map { $0.string("action") }
            }
            #expect(actions == ["link", "read", "unlink"])
            // Linked again, then the client withdraws that consent: the record shows nothing.
            _ = try await nav.linkClient(w.client.id, NewClientLink(clientId: theirs.id))
            _ = try await foodNavigator.revokeConsent(client: theirs.id, consent: consent.id)
            #expect(try await nav.linkedRecords(client: w.client.id).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func aMatchOnNameAndBirthDateNeedsConfirming(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let housingNavigator = w.store.scoped(to: try await w.addPerson(w.housing, "nav@housing.test", [.navigator]))
            let theirs = try await housingNavigator.createClient(
                NewClient(givenName: "AMARA", familyName: "okafor", birthDate: CalendarDate("1980-04-02")))
            let other = try await housingNavigator.createClient(
                NewClient(givenName: "Amara", familyName: "Okafor", birthDate: CalendarDate("1981-04-02")))
            for client in [theirs.id, other.id] {
                _ = try await housingNavigator.recordConsent(
                    client: client, NewConsent(grantee: .sector(.primaryCare), scopes: [.contact], purpose: .careCoordination))
            }
            let candidates = try await nav.linkCandidates(client: w.client.id)
            #expect(
                candidates.map(\.clientId) == [theirs.id] && candidates.first?.basis == .nameAndBirthDate, "a different birth date is not a match")
            do {
                _ = try await nav.linkClient(w.client.id, NewClientLink(clientId: theirs.id))
                Issue.record("linked on name and birth date without confirming")
            } catch ThawError.unprocessable(let v) {
                #expect(v.map(\.field) == ["confirmed"])
            }
            await #expect(throws: ThawError.self) { try await nav.linkClient(w.client.id, NewClientLink(clientId: other.id, confirmed: true)) }
            let link = try await nav.linkClient(w.client.id, NewClientLink(clientId: theirs.id, confirmed: true))
            #expect(link.basis == .nameAndBirthDate)
            // Contact is shared for care coordination but not needs: the linked record shows none.
            #expect(try await nav.linkedRecords(client: w.client.id).first?.needs == nil)
            // Another organisation cannot unlink or read the clinic's links.
            await #expect(throws: ThawError.self) { try await housingNavigator.unlinkClient(w.client.id, link: link.id) }
            await #expect(throws: ThawError.self) { try await housingNavigator.linkedRecords(client: w.client.id) }
        }
    }
}
