import ThawCore
@testable import ThawStorage

/// A small network for the contract tests: a primary-care clinic that refers,
/// two social-care partners (housing, food), an unrelated community
/// organisation, users in every role, and one client consenting to housing.
public struct World: Sendable {
    public let store: ThawStore
    public let clock: ManualClock
    public let clinic: Organization, housing: Organization, food: Organization, unrelated: Organization
    public let navigator: Actor, clinician: Actor, clinicAdmin: Actor, clinicLead: Actor
    /// The network's administrator, in the clinic (the hosting organisation here).
    public let networkAdmin: Actor
    public let housingStaff: Actor, foodStaff: Actor, unrelatedStaff: Actor
    public let housingService: Service, foodService: Service
    public let client: Client
    public let housingConsent: Consent

    public static let start = ISO8601.parse("2026-01-05T09:00:00Z")!

    public static func make(_ database: any SQLDatabase) async throws -> World {
        let clock = ManualClock(start)
        let store = ThawStore(database: database, clock: clock)
        let clinic = try await store.createOrganization(
            NewOrganization(name: "Riverside Clinic", sector: .primaryCare, alignment: .independentPrimaryCare))
        let housing = try await store.createOrganization(NewOrganization(name: "Homeward Housing", sector: .socialCare))
        let food = try await store.createOrganization(NewOrganization(name: "Food Bank", sector: .socialCare))
        let unrelated = try await store.createOrganization(NewOrganization(name: "Library", sector: .community))
        func actor(_ org: Organization, _ email: String, _ roles: Set<Role>) async throws -> Actor {
            let user = try await store.createUser(
                NewUser(
                    organizationId: org.id, email: email, displayName: email,
                    roles: roles, password: "correct horse battery"), passwordHash: "x")
            return Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: roles)
        }
        let navigator = try await actor(clinic, "nav@clinic.test", [.navigator])
        let housingService = try await store.createService(
            NewService(
                name: "Rapid Rehousing", description: "", needCategories: [.housing],
                eligibility: "adults", areaServed: "Riverside", languages: ["en"], capacity: .accepting), organization: housing.id)
        let foodService = try await store.createService(
            NewService(
                name: "Hampers", description: "", needCategories: [.food, .housing],
                eligibility: "anyone", areaServed: "Riverside", languages: ["en", "fr"], capacity: .accepting), organization: food.id)
        let client = try await store.scoped(to: navigator).createClient(
            NewClient(
                givenName: "Amara", familyName: "Okafor",
                birthDate: CalendarDate("1980-04-02"), phone: "555-0101", address: "1 Main St"))
        let consent = try await store.scoped(to: navigator).recordConsent(
            client: client.id,
            NewConsent(
                grantee: .organization(housing.id), scopes: [.needs, .notes], purpose: .referral, validUntil: start.adding(days: 30)))
        return World(
            store: store, clock: clock, clinic: clinic, housing: housing, food: food, unrelated: unrelated,
            navigator: navigator,
            clinician: try await actor(clinic, "doc@clinic.test", [.clinician]),
            clinicAdmin: try await actor(clinic, "admin@clinic.test", [.administrator]),
            clinicLead: try await actor(clinic, "lead@clinic.test", [.partnershipLead]),
            networkAdmin: try await actor(clinic, "network@clinic.test", [.networkAdministrator]),
            housingStaff: try await actor(housing, "staff@housing.test", [.partnerStaff]),
            foodStaff: try await actor(food, "staff@food.test", [.partnerStaff]),
            unrelatedStaff: try await actor(unrelated, "staff@library.test", [.partnerStaff]),
            housingService: housingService, foodService: foodService, client: client, housingConsent: consent)
    }

    public func refer(key: String? = nil, by actor: Actor? = nil) async throws -> Referral {
        try await store.scoped(to: actor ?? navigator).createReferral(
            NewReferral(clientId: client.id, serviceId: housingService.id, needCategory: .housing, note: "Needs housing soon"),
            idempotencyKey: key
        ).0
    }

    /// Another person in one of the world's organisations (an evaluator, for the whole of 2026).
    public func addPerson(_ organization: Organization, _ email: String, _ roles: Set<Role>) async throws -> Actor {
        let user = try await store.createUser(Self.newUser(organization, email, roles), passwordHash: "x")
        return Actor(userId: user.id, organizationId: organization.id, sector: organization.sector, roles: roles)
    }

    /// A new user of `roles`; an evaluator's period is the whole of 2026, the world's year.
    public static func newUser(_ organization: Organization, _ email: String, _ roles: Set<Role>) -> NewUser {
        let evaluator = roles.contains(.evaluator)
        return NewUser(
            organizationId: organization.id, email: email, displayName: email, roles: roles, password: "correct horse battery",
            evaluatorFrom: evaluator ? CalendarDate("2026-01-01") : nil, evaluatorUntil: evaluator ? CalendarDate("2026-12-31") : nil)
    }

    /// The store's database, for tests that look at what was stored.
    public var database: any SQLDatabase { store.database }

    public func count(_ table: String) async throws -> Int {
        try await store.database.read { db in try await db.query("SELECT COUNT(*) AS n FROM \(table)", []).first!.int("n") }
    }
}
