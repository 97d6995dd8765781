import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

extension PartnerEndpoint: ResponseEncodable {}

/// A partner organisation's own FHIR server, named by a network administrator: referrals to it
/// go there (see `PartnerExchangeWorker`).
struct PartnerEndpointRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "organizations/:organizationId/fhir-endpoint", id: "getPartnerEndpoint", tag: "directory",
                summary: "The partner's own FHIR server, if it names one", answer: .one(PartnerEndpoint.self)),
            use: get)
        routes.add(
            .init(
                .put, "organizations/:organizationId/fhir-endpoint", id: "setPartnerEndpoint", tag: "directory",
                summary: "Send referrals to this partner's own FHIR server (network administrators)", body: NewPartnerEndpoint.self,
                answer: .one(PartnerEndpoint.self)),
            use: set)
    }

    @Sendable func get(_ request: Request, context: CallerContext) async throws -> PartnerEndpoint {
        let id: ID<Organization> = try context.id("organizationId")
        guard let endpoint = try await store.partnerEndpoint(id) else { throw ThawError.notFound("FHIR endpoint of \(id)") }
        return endpoint
    }

    @Sendable func set(_ request: Request, context: CallerContext) async throws -> PartnerEndpoint {
        let input = try await body(NewPartnerEndpoint.self, request)
        return try await store.configurePartnerEndpoint(try context.id("organizationId"), input, by: context.actor)
    }
}
