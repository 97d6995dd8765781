import HTTPTypes
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Organisation administrators administer their own organisation; the network
/// administrator adds organisations and their first administrators, and nothing
/// that would let it into another organisation's clients.
@Suite struct AdministrationTests {
    static func user(_ org: Organization, _ email: String, _ roles: [Role]) -> String {
        let list = roles.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return #"{"organizationId":"\#(org.id)","email":"\#(email)","displayName":"Someone","roles":[\#(list)],"password":"a long enough password"}"#
    }

    @Test(arguments: Backend.available)
    func anOrganisationAdministratorStaysInItsOrganisation(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            // The hole: an administrator of one organisation made a navigator in another, and read its clients.
            let elsewhere = try await api.call(
                .post, "/api/v1/users", as: "clinicAdmin", json: Self.user(w.housing, "spy@housing.test", [.navigator]))
            #expect(elsewhere.status == 403 && elsewhere.problemField == "request")
            #expect(
                try await api.call(
                    .post, "/api/v1/users", as: "clinicAdmin",
                    json: Self.user(w.housing, "admin2@housing.test", [.administrator])
                ).status == 403)
            #expect(try await w.store.user(email: "spy@housing.test") == nil)
            #expect(try await api.call(.get, "/api/v1/users?organizationId=\(w.housing.id)", as: "clinicAdmin").status == 403)
            #expect(
                try await api.call(.post, "/api/v1/organizations", as: "clinicAdmin", json: #"{"name":"Shadow","sector":"community"}"#).status == 403)
            #expect(
                try await api.call(
                    .post, "/api/v1/users", as: "clinicAdmin",
                    json: Self.user(w.clinic, "boss@clinic.test", [.networkAdministrator])
                ).status == 403)
            #expect(
                try await api.call(.patch, "/api/v1/services/\(w.foodService.id)", as: "clinicAdmin", json: #"{"capacity":"closed"}"#).status == 404)
            #expect(
                try await api.call(
                    .post, "/api/v1/services", as: "clinicAdmin",
                    json:
                        #"{"organizationId":"\#(w.food.id)","name":"Fake","description":"","needCategories":["food"],"eligibility":"","areaServed":"","languages":["en"],"capacity":"accepting"}"#
                ).status == 403)
            // In its own organisation it does all of it.
            let own = try await api.call(.post, "/api/v1/users", as: "clinicAdmin", json: Self.user(w.clinic, "new@clinic.test", [.navigator]))
            #expect(own.status == 201)
            #expect(try await api.call(.get, "/api/v1/users?organizationId=\(w.clinic.id)", as: "clinicAdmin").items.count >= 5)
            #expect(
                try await api.call(.post, "/api/v1/users", as: "clinicAdmin", json: Self.user(w.clinic, "new@clinic.test", [.navigator])).status
                    == 409)
            // Another organisation's people cannot be changed, nor confirmed to exist.
            await #expect(throws: ThawError.notFound("user \(w.housingStaff.userId)")) {
                try await w.store.updateUser(w.housingStaff.userId, roles: nil, active: false, by: w.clinicAdmin)
            }
        }
    }

    @Test(arguments: Backend.available)
    func theNetworkAdministratorAddsOrganisationsAndTheirFirstAdministratorOnly(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let created = try await api.call(
                .post, "/api/v1/organizations", as: "networkAdmin", json: #"{"name":"Harbour Shelter","sector":"social-care"}"#)
            #expect(created.status == 201)
            let shelter = try #require(created["id"] as? String)
            let organization = try await w.store.organization(ID(shelter))
            // Not a navigator, not anyone but an administrator: a way into the shelter's clients would start there.
            let navigator = try await api.call(
                .post, "/api/v1/users", as: "networkAdmin", json: Self.user(organization, "nav@shelter.test", [.navigator]))
            #expect(navigator.status == 422 && navigator.problemRule == "first-administrator")
            let first = try await api.call(
                .post, "/api/v1/users", as: "networkAdmin", json: Self.user(organization, "admin@shelter.test", [.administrator]))
            #expect(first.status == 201)
            let second = try await api.call(
                .post, "/api/v1/users", as: "networkAdmin", json: Self.user(organization, "two@shelter.test", [.administrator]))
            #expect(second.status == 409 && second.problemRule == "organization-has-administrator")
            #expect(try await api.call(.get, "/api/v1/users?organizationId=\(shelter)", as: "networkAdmin").items.count == 1)
            // The ledger names the administrator's own organisation as the actor's, the shelter as the counterpart.
            let entry = try #require(
                try await w.database.read { db in
                    try await db.first(
                        "SELECT actor_organization_id, counterpart_organization_id FROM activity WHERE kind = 'user.created' ORDER BY seq DESC LIMIT 1"
                    )
                })
            #expect(entry.string("actor_organization_id") == w.clinic.id.raw && entry.optionalString("counterpart_organization_id") == shelter)
            let organizationEntry = try #require(
                try await w.database.read { db in
                    try await db.first("SELECT actor_organization_id FROM activity WHERE kind = 'organization.created' ORDER BY seq DESC LIMIT 1")
                })
            #expect(organizationEntry.string("actor_organization_id") == w.clinic.id.raw)
            // It may switch another organisation's administrator off, but not hand out roles there.
            let adminId: ID<User> = ID(try #require(first["id"] as? String))
            _ = try await w.store.updateUser(adminId, roles: nil, active: false, by: w.networkAdmin)
            await #expect(throws: ThawError.self) {
                try await w.store.updateUser(adminId, roles: [.administrator, .navigator], active: true, by: w.networkAdmin)
            }
            // With the only administrator deactivated, the network administrator may add the next one.
            #expect(
                try await api.call(
                    .post, "/api/v1/users", as: "networkAdmin",
                    json: Self.user(organization, "three@shelter.test", [.administrator])
                ).status == 201)
            // Network administration gives no sight of anyone's clients.
            #expect(try await api.call(.get, "/api/v1/clients/\(w.client.id)", as: "networkAdmin").status == 404)
            #expect(try await api.call(.get, "/api/v1/clients", as: "networkAdmin").status == 403)
        }
    }
}
