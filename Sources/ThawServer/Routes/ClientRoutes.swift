import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct ScreeningResult: Encodable { var screening: Screening; var identifiedNeeds: [IdentifiedNeed] }

/// Clients, their consents, screenings and identified needs. Every call goes
/// through a `ScopedStore`, which checks organisation and consent.
struct ClientRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on group: RouterGroup<CallerContext>) {
        group.post("clients", use: create)
        group.get("clients", use: list)
        group.get("clients/:clientId", use: get)
        group.get("clients/:clientId/consents", use: consents)
        group.post("clients/:clientId/consents", use: recordConsent)
        group.post("clients/:clientId/consents/:consentId/revoke", use: revokeConsent)
        group.get("clients/:clientId/screenings", use: screenings)
        group.post("clients/:clientId/screenings", use: recordScreening)
        group.get("clients/:clientId/needs", use: needs)
    }

    @Sendable func create(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        return try JSONBody.response(try await scoped.createClient(try await body(NewClient.self, request)), status: .created)
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> Response {
        let limit = try request.integer("limit", in: 1...500) ?? 100
        return try JSONBody.response(["items": try await scoped(context).clients(nameContains: request.query("name"), limit: limit)])
    }

    @Sendable func get(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(try await scoped(context).client(try context.id("clientId")))
    }

    @Sendable func consents(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).consents(client: try context.id("clientId"))])
    }

    @Sendable func recordConsent(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewConsent.self, request)
        return try JSONBody.response(try await scoped.recordConsent(client: try context.id("clientId"), input), status: .created)
    }

    @Sendable func revokeConsent(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(try await scoped(context).revokeConsent(client: try context.id("clientId"),
                                                                      consent: try context.id("consentId")))
    }

    @Sendable func screenings(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).screenings(client: try context.id("clientId"))])
    }

    @Sendable func recordScreening(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewScreening.self, request)
        let (screening, needs) = try await scoped.recordScreening(client: try context.id("clientId"), input)
        return try JSONBody.response(ScreeningResult(screening: screening, identifiedNeeds: needs), status: .created)
    }

    @Sendable func needs(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).needs(client: try context.id("clientId"))])
    }
}
