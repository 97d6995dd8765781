import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct NewServiceRequest: Codable {
    var organizationId: ID<Organization>?
    var service: NewService
    init(from decoder: any Decoder) throws {
        service = try NewService(from: decoder)
        organizationId = try decoder.container(keyedBy: Key.self).decodeIfPresent(ID<Organization>.self, forKey: .organizationId)
    }
    private enum Key: String, CodingKey { case organizationId }
    func encode(to encoder: any Encoder) throws { try service.encode(to: encoder) }
}

/// Organisations, users and the service directory.
struct DirectoryRoutes: APIRouteGroup {
    let store: ThawStore
    let hasher: PasswordHasher
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "organizations", id: "listOrganizations", tag: "directory", summary: "Organisations in the network",
                answer: .list(Organization.self)),
            use: listOrganizations)
        routes.add(
            .init(
                .post, "organizations", id: "createOrganization", tag: "directory", summary: "Add an organisation (network administrator)",
                body: NewOrganization.self, success: 201, answer: .one(Organization.self)),
            use: createOrganization)
        routes.add(
            .init(
                .get, "organizations/:organizationId", id: "getOrganization", tag: "directory", summary: "One organisation",
                answer: .one(Organization.self)),
            use: getOrganization)
        routes.add(
            .init(
                .get, "organizations/:organizationId/placements", id: "listPlacements", tag: "directory",
                summary: "People placed with an organisation (its administrators; network administrators)", answer: .list(Placement.self)),
            use: listPlacements)
        routes.add(
            .init(
                .post, "organizations/:organizationId/placements", id: "createPlacement", tag: "directory",
                summary: "Place a person of another organisation here, with roles, for a time (its administrator)", body: NewPlacement.self,
                success: 201, answer: .one(Placement.self)),
            use: createPlacement)
        routes.add(
            .init(
                .post, "placements/:placementId/end", id: "endPlacement", tag: "directory", summary: "End a placement today",
                answer: .one(Placement.self)),
            use: endPlacement)
        routes.add(
            .init(
                .get, "users", id: "listUsers", tag: "directory", summary: "Users of an organisation (its administrators; network administrators)",
                query: ["organizationId"], answer: .list(User.self)),
            use: listUsers)
        routes.add(
            .init(
                .post, "users", id: "createUser", tag: "directory",
                summary: "Add a user (an administrator to its organisation; a network administrator, another organisation's first administrator)",
                body: NewUser.self, success: 201, answer: .one(User.self), conflicts: true),
            use: createUser)
        routes.add(
            .init(
                .get, "services", id: "searchServices", tag: "directory", summary: "Search the service directory",
                query: ["need", "q", "area", "language", "capacity", "organizationId"], answer: .list(Service.self)),
            use: searchServices)
        routes.add(
            .init(
                .post, "services", id: "createService", tag: "directory", summary: "Add a service", body: NewServiceRequest.self, success: 201,
                answer: .one(Service.self)),
            use: createService)
        routes.add(
            .init(.get, "services/:serviceId", id: "getService", tag: "directory", summary: "One service", answer: .one(Service.self)),
            use: getService)
        routes.add(
            .init(
                .patch, "services/:serviceId", id: "updateServiceCapacity", tag: "directory", summary: "Change a service's capacity",
                body: CapacityUpdate.self, answer: .one(Service.self)),
            use: updateCapacity)
        routes.add(
            .init(
                .get, "directory", id: "searchDirectory", tag: "directory",
                summary: "Ranked directory search: words, need, language, capacity, taxonomy term, open now, near a postal code or point",
                query: ["q", "need", "language", "capacity", "taxonomyTerm", "openNow", "postalCode", "near", "withinKm", "referrable", "limit"],
                answer: .one(DirectoryResults.self)),
            use: searchDirectory)
        routes.add(
            .init(
                .post, "services/:serviceId/verify", id: "verifyService", tag: "directory",
                summary: "Say a service's record is right as it stands (its organisation's staff)", answer: .one(Service.self)),
            use: verifyService)
        routes.add(
            .init(
                .get, "services-to-verify", id: "listServicesToVerify", tag: "directory",
                summary: "Your organisation's services unverified for longer than the network's policy", answer: .list(Service.self)),
            use: servicesToVerify)
    }

    @Sendable func listPlacements(_ request: Request, context: CallerContext) async throws -> ItemList<Placement> {
        ItemList(try await store.placements(in: try context.id("organizationId"), by: context.actor))
    }

    @Sendable func createPlacement(_ request: Request, context: CallerContext) async throws -> EditedResponse<Placement> {
        let input = try await body(NewPlacement.self, request)
        return EditedResponse(
            status: .created, response: try await store.createPlacement(input, in: try context.id("organizationId"), by: context.actor))
    }

    @Sendable func endPlacement(_ request: Request, context: CallerContext) async throws -> Placement {
        try await store.endPlacement(try context.id("placementId"), by: context.actor)
    }

    @Sendable func listOrganizations(_ request: Request, context: CallerContext) async throws -> ItemList<Organization> {
        return ItemList(try await store.organizations())
    }

    @Sendable func getOrganization(_ request: Request, context: CallerContext) async throws -> Organization {
        return try await store.organization(try context.id("organizationId"))
    }

    @Sendable func createOrganization(_ request: Request, context: CallerContext) async throws -> EditedResponse<Organization> {
        let actor = context.principal.actor
        let input = try await body(NewOrganization.self, request)
        return EditedResponse(status: .created, response: try await store.createOrganization(input, by: actor))
    }

    @Sendable func listUsers(_ request: Request, context: CallerContext) async throws -> ItemList<User> {
        let actor = context.principal.actor
        let organization: ID<Organization> = request.query("organizationId").map { ID($0) } ?? actor.organizationId
        return ItemList(try await store.users(in: organization, by: actor))
    }

    /// An organisation's administrators add its users; network administrators add another
    /// organisation's first administrators (`Administration`).
    @Sendable func createUser(_ request: Request, context: CallerContext) async throws -> EditedResponse<User> {
        let actor = context.principal.actor
        // Checked again in the store; here first so nobody else can make us spend a bcrypt hash.
        try AccessPolicy.require(actor, anyOf: [.administrator, .networkAdministrator], to: "adding a user")
        let input = try await body(NewUser.self, request)
        try Administration.checkNewUser(by: actor, in: input.organizationId, roles: input.roles, hasActiveAdministrator: false)
        try input.validate()
        let hash = try await hasher.hash(input.password)
        return EditedResponse(status: .created, response: try await store.createUser(input, passwordHash: hash, by: actor))
    }

    @Sendable func searchServices(_ request: Request, context: CallerContext) async throws -> ItemList<Service> {
        var search = ServiceSearch(keyword: request.query("q"), area: request.query("area"), language: request.query("language"))
        search.need = try need(request)
        search.capacities = try capacities(request)
        if let org = request.query("organizationId") { search.organization = ID(org) }
        return ItemList(try await store.searchServices(search))
    }

    @Sendable func getService(_ request: Request, context: CallerContext) async throws -> Service {
        return try await store.service(try context.id("serviceId"))
    }

    @Sendable func createService(_ request: Request, context: CallerContext) async throws -> EditedResponse<Service> {
        let actor = context.principal.actor
        let input = try await body(NewServiceRequest.self, request)
        let organization = input.organizationId ?? actor.organizationId
        return EditedResponse(status: .created, response: try await store.createService(input.service, organization: organization, by: actor))
    }

    @Sendable func updateCapacity(_ request: Request, context: CallerContext) async throws -> Service {
        let scoped = scoped(context)
        let input = try await body(CapacityUpdate.self, request)
        return try await scoped.updateCapacity(service: try context.id("serviceId"), to: input)
    }

    @Sendable func verifyService(_ request: Request, context: CallerContext) async throws -> Service {
        try await scoped(context).verifyService(try context.id("serviceId"))
    }

    @Sendable func servicesToVerify(_ request: Request, context: CallerContext) async throws -> ItemList<Service> {
        ItemList(try await scoped(context).staleServices(policyDays: configuration.directoryStaleDays))
    }

    /// The directory as navigators search it (the new-referral page's search): see `ThawStore.searchDirectory`.
    @Sendable func searchDirectory(_ request: Request, context: CallerContext) async throws -> DirectoryResults {
        var query = DirectoryQuery(text: request.query("q"), language: request.query("language"), postalCode: request.query("postalCode"))
        query.need = try need(request)
        query.capacities = try capacities(request)
        if let term = request.query("taxonomyTerm") {
            guard HSDS.isUUID(term) else { throw ThawError.invalid("taxonomyTerm", "uuid", "taxonomyTerm is a taxonomy term's UUID") }
            query.taxonomyTerm = term
        }
        query.openNow = try flag(request, "openNow")
        query.referrableOnly = try flag(request, "referrable")
        if let near = request.query("near") {
            let parts = near.split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0).trimmingWhitespace) }
            guard parts.count == 2, let latitude = parts[0], let longitude = parts[1], let point = GeoPoint(latitude: latitude, longitude: longitude)
            else { throw ThawError.invalid("near", "point", "near is latitude,longitude in degrees, e.g. 53.54,-113.49") }
            query.near = point
        }
        if let within = request.query("withinKm") {
            guard let km = Double(within), km > 0, km <= 500 else { throw ThawError.invalid("withinKm", "range", "withinKm is between 0 and 500") }
            query.withinKilometres = km
        }
        if let limit = request.query("limit") {
            guard let n = Int(limit), (1...200).contains(n) else { throw ThawError.invalid("limit", "range", "limit is between 1 and 200") }
            query.limit = n
        }
        configuration.directoryClock(&query, now: store.clock.now())
        return try await store.searchDirectory(query)
    }

    private func need(_ request: Request) throws -> NeedCategory? {
        guard let need = request.query("need") else { return nil }
        guard let category = NeedCategory(rawValue: need) else {
            throw ThawError.invalid("need", "enum", "need must be one of \(NeedCategory.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return category
    }

    /// The `capacity` parameters (repeatable); none: the default of each search.
    private func capacities(_ request: Request) throws -> Set<Capacity> {
        try Set(
            request.uri.queryParameters.getAll("capacity").map { value in
                guard let capacity = Capacity(rawValue: String(value)) else {
                    throw ThawError.invalid("capacity", "enum", "capacity must be accepting, waitlist or closed")
                }
                return capacity
            })
    }

    private func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.query(name) {
        case nil, "false": return false
        case "true": return true
        default: throw ThawError.invalid(name, "boolean", "\(name) is true or false")
        }
    }
}
