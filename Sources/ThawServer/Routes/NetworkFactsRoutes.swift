import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct AcknowledgeSignal: Codable { var note: String? }
struct NewRoleRequest: Codable {
    var organizationId: ID<Organization>?
    var role: NewRoleHolding
    init(from decoder: any Decoder) throws {
        role = try NewRoleHolding(from: decoder)
        organizationId = try decoder.container(keyedBy: Key.self).decodeIfPresent(ID<Organization>.self, forKey: .organizationId)
    }
    private enum Key: String, CodingKey { case organizationId }
    func encode(to encoder: any Encoder) throws { try role.encode(to: encoder) }
}
struct EndRole: Codable { var endsOn: CalendarDate }
struct RenewalChange: Codable { var renewal: FundingAgreement.Renewal }

/// Signals, people in roles over time, outside events and joint funding over HTTP.
struct NetworkFactsRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on group: RouterGroup<CallerContext>) {
        group.get("signals", use: listSignals)
        group.post("signals", use: sendSignal)
        group.post("signals/:signalId/acknowledge", use: acknowledgeSignal)
        group.get("roles", use: listRoles)
        group.post("roles", use: recordRole)
        group.post("roles/:roleId/end", use: endRole)
        group.get("events", use: listEvents)
        group.post("events", use: recordEvent)
        group.get("funding", use: listFunding)
        group.post("funding", use: recordFunding)
        group.post("funding/:fundingId/renewal", use: setRenewal)
    }

    @Sendable func listSignals(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).signals()])
    }
    @Sendable func sendSignal(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        return try JSONBody.response(try await scoped.sendSignal(try await body(NewSignal.self, request)), status: .created)
    }
    @Sendable func acknowledgeSignal(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(AcknowledgeSignal.self, request)
        return try JSONBody.response(try await scoped.acknowledgeSignal(try context.id("signalId"), note: input.note))
    }
    @Sendable func listRoles(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let organization: ID<Organization> = request.query("organizationId").map { ID($0) } ?? scoped.actor.organizationId
        return try JSONBody.response(["items": try await scoped.roles(organization: organization)])
    }
    @Sendable func recordRole(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewRoleRequest.self, request)
        return try JSONBody.response(try await scoped.recordRole(input.role, organization: input.organizationId), status: .created)
    }
    @Sendable func endRole(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(EndRole.self, request)
        return try JSONBody.response(try await scoped.endRole(try context.id("roleId"), endsOn: input.endsOn))
    }
    @Sendable func listEvents(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).events(affecting: request.query("organizationId").map { ID($0) })])
    }
    @Sendable func recordEvent(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        return try JSONBody.response(try await scoped.recordEvent(try await body(NewOutsideEvent.self, request)), status: .created)
    }
    @Sendable func listFunding(_ request: Request, context: CallerContext) async throws -> Response {
        let within = try request.integer("endingWithinDays", in: 0...3650)
        return try JSONBody.response(["items": try await scoped(context).funding(endingWithinDays: within)])
    }
    @Sendable func recordFunding(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let agreement = try await scoped.recordFunding(try await body(NewFundingAgreement.self, request))
        return try JSONBody.response(agreement, status: .created, headers: [.eTag: "\"\(agreement.version)\""])
    }
    @Sendable func setRenewal(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let input = try await body(RenewalChange.self, request)
        let agreement = try await scoped.setRenewal(try context.id("fundingId"), input.renewal, expectedVersion: version)
        return try JSONBody.response(agreement, headers: [.eTag: "\"\(agreement.version)\""])
    }
}
