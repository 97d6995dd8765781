import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

extension SMARTClient: ResponseEncodable {}

/// Systems an organisation's administrator registers for SMART Backend Services: the public
/// keys the system signs with, the user of the organisation it acts as, and its scopes.
struct SMARTClientRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "smart-clients", id: "listSMARTClients", tag: "auth", summary: "My organisation's registered systems (administrators)",
                answer: .list(SMARTClient.self)),
            use: list)
        routes.add(
            .init(
                .post, "smart-clients", id: "registerSMARTClient", tag: "auth",
                summary: "Register a system for SMART Backend Services: its JWKS (public keys, RS384 or ES384), the user it acts as, its scopes",
                body: NewSMARTClient.self, success: 201, answer: .one(SMARTClient.self)),
            use: create)
        routes.add(
            .init(.delete, "smart-clients/:systemId", id: "revokeSMARTClient", tag: "auth", summary: "Revoke a system and its tokens", success: 204),
            use: revoke)
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> ItemList<SMARTClient> {
        ItemList(try await store.scoped(to: context.actor).smartClients())
    }

    @Sendable func create(_ request: Request, context: CallerContext) async throws -> EditedResponse<SMARTClient> {
        let input = try await body(NewSMARTClient.self, request)
        try AccessPolicy.require(context.actor, anyOf: [.administrator], to: "registering a system")
        try await RegisteredKeys.check(input.jwks)
        return EditedResponse(status: .created, response: try await store.scoped(to: context.actor).registerSMARTClient(input))
    }

    @Sendable func revoke(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        try await store.scoped(to: context.actor).revokeSMARTClient(try context.id("systemId"))
        return .noContent
    }
}
