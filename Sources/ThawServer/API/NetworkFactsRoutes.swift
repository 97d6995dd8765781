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

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "signals", id: "listSignals", tag: "partnership", summary: "Signals my organisation sent or received",
                answer: .list(Signal.self)),
            use: listSignals)
        routes.add(
            .init(
                .post, "signals", id: "sendSignal", tag: "partnership", summary: "Record a staffing or resource choice made for partners",
                body: NewSignal.self, success: 201, answer: .one(Signal.self)),
            use: sendSignal)
        routes.add(
            .init(
                .post, "signals/:signalId/acknowledge", id: "acknowledgeSignal", tag: "partnership",
                summary: "Acknowledge a signal addressed to my organisation", body: AcknowledgeSignal.self, answer: .one(Signal.self), conflicts: true
            ),
            use: acknowledgeSignal)
        routes.add(
            .init(
                .get, "policy-moves", id: "listPolicyMoves", tag: "partnership",
                summary: "Policy moves my organisation made or was affected by, with the notice given; `with` keeps those shared with one partner",
                query: ["with"], answer: .list(PolicyMove.self)),
            use: listPolicyMoves)
        routes.add(
            .init(
                .post, "policy-moves", id: "recordPolicyMove", tag: "partnership",
                summary: "Record a policy move: my organisation's, told to the partners it affects, or another's that affected mine",
                body: NewPolicyMove.self, success: 201, answer: .one(PolicyMove.self)),
            use: recordPolicyMove)
        routes.add(
            .init(
                .get, "policy-moves/:policyMoveId", id: "getPolicyMove", tag: "partnership",
                summary: "One policy move (for the organisation that made it and those it affected)", answer: .one(PolicyMove.self)),
            use: getPolicyMove)
        routes.add(
            .init(
                .get, "roles", id: "listRoles", tag: "partnership", summary: "Who held which role in an organisation, from when to when",
                query: ["organizationId"], answer: .list(RoleHolding.self)),
            use: listRoles)
        routes.add(
            .init(
                .post, "roles", id: "recordRole", tag: "partnership", summary: "Record who holds a role (a new leader is also an outside event)",
                body: NewRoleRequest.self, success: 201, answer: .one(RoleHolding.self), conflicts: true),
            use: recordRole)
        routes.add(
            .init(
                .post, "roles/:roleId/end", id: "endRole", tag: "partnership", summary: "End a term", body: EndRole.self,
                answer: .one(RoleHolding.self), conflicts: true),
            use: endRole)
        routes.add(
            .init(
                .get, "events", id: "listEvents", tag: "partnership", summary: "Outside events, oldest first", query: ["organizationId"],
                answer: .list(OutsideEvent.self)),
            use: listEvents)
        routes.add(
            .init(
                .post, "events", id: "recordEvent", tag: "partnership", summary: "Record an outside event", body: NewOutsideEvent.self, success: 201,
                answer: .one(OutsideEvent.self)),
            use: recordEvent)
        routes.add(
            .init(
                .get, "funding", id: "listFunding", tag: "partnership", summary: "My organisation's funding agreements with expiry alerts",
                query: ["endingWithinDays"], answer: .list(FundingAlert.self)),
            use: listFunding)
        routes.add(
            .init(
                .post, "funding", id: "recordFunding", tag: "partnership", summary: "Record a joint funding agreement",
                body: NewFundingAgreement.self, success: 201, answer: .one(FundingAgreement.self)),
            use: recordFunding)
        routes.add(
            .init(
                .post, "funding/:fundingId/renewal", id: "setRenewal", tag: "partnership", summary: "Update the renewal status",
                body: RenewalChange.self, answer: .one(FundingAgreement.self), ifMatch: true),
            use: setRenewal)
    }

    @Sendable func listSignals(_ request: Request, context: CallerContext) async throws -> ItemList<Signal> {
        ItemList(try await scoped(context).signals())
    }
    @Sendable func sendSignal(_ request: Request, context: CallerContext) async throws -> EditedResponse<Signal> {
        let scoped = scoped(context)
        return EditedResponse(status: .created, response: try await scoped.sendSignal(try await body(NewSignal.self, request)))
    }
    @Sendable func acknowledgeSignal(_ request: Request, context: CallerContext) async throws -> Signal {
        let scoped = scoped(context)
        let input = try await body(AcknowledgeSignal.self, request)
        return try await scoped.acknowledgeSignal(try context.id("signalId"), note: input.note)
    }
    @Sendable func listPolicyMoves(_ request: Request, context: CallerContext) async throws -> ItemList<PolicyMove> {
        ItemList(try await scoped(context).policyMoves(with: request.query("with").map { ID($0) }))
    }
    @Sendable func recordPolicyMove(_ request: Request, context: CallerContext) async throws -> EditedResponse<PolicyMove> {
        let scoped = scoped(context)
        return EditedResponse(status: .created, response: try await scoped.recordPolicyMove(try await body(NewPolicyMove.self, request)))
    }
    @Sendable func getPolicyMove(_ request: Request, context: CallerContext) async throws -> PolicyMove {
        try await scoped(context).policyMove(try context.id("policyMoveId"))
    }
    @Sendable func listRoles(_ request: Request, context: CallerContext) async throws -> ItemList<RoleHolding> {
        let scoped = scoped(context)
        let organization: ID<Organization> = request.query("organizationId").map { ID($0) } ?? scoped.actor.organizationId
        return ItemList(try await scoped.roles(organization: organization))
    }
    @Sendable func recordRole(_ request: Request, context: CallerContext) async throws -> EditedResponse<RoleHolding> {
        let scoped = scoped(context)
        let input = try await body(NewRoleRequest.self, request)
        return EditedResponse(status: .created, response: try await scoped.recordRole(input.role, organization: input.organizationId))
    }
    @Sendable func endRole(_ request: Request, context: CallerContext) async throws -> RoleHolding {
        let scoped = scoped(context)
        let input = try await body(EndRole.self, request)
        return try await scoped.endRole(try context.id("roleId"), endsOn: input.endsOn)
    }
    @Sendable func listEvents(_ request: Request, context: CallerContext) async throws -> ItemList<OutsideEvent> {
        ItemList(try await scoped(context).events(affecting: request.query("organizationId").map { ID($0) }))
    }
    @Sendable func recordEvent(_ request: Request, context: CallerContext) async throws -> EditedResponse<OutsideEvent> {
        let scoped = scoped(context)
        return EditedResponse(status: .created, response: try await scoped.recordEvent(try await body(NewOutsideEvent.self, request)))
    }
    @Sendable func listFunding(_ request: Request, context: CallerContext) async throws -> ItemList<FundingAlert> {
        let within = try request.integer("endingWithinDays", in: 0...3650)
        return ItemList(try await scoped(context).funding(endingWithinDays: within))
    }
    @Sendable func recordFunding(_ request: Request, context: CallerContext) async throws -> EditedResponse<FundingAgreement> {
        let scoped = scoped(context)
        let agreement = try await scoped.recordFunding(try await body(NewFundingAgreement.self, request))
        return EditedResponse(status: .created, headers: [.eTag: "\"\(agreement.version)\""], response: agreement)
    }
    @Sendable func setRenewal(_ request: Request, context: CallerContext) async throws -> EditedResponse<FundingAgreement> {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let input = try await body(RenewalChange.self, request)
        let agreement = try await scoped.setRenewal(try context.id("fundingId"), input.renewal, expectedVersion: version)
        return EditedResponse(headers: [.eTag: "\"\(agreement.version)\""], response: agreement)
    }
}
