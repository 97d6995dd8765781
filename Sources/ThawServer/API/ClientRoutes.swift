import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// How a client agreed to be reminded of appointments; no channel: not reminded.
struct ReminderPreference: Codable, ResponseEncodable { var channel: ReminderChannel? }

struct ScreeningResult: ResponseCodable { var screening: Screening; var identifiedNeeds: [IdentifiedNeed] }

/// Clients, their consents, screenings and identified needs. Every call goes
/// through a `ScopedStore`, which checks organisation and consent.
struct ClientRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .post, "clients", id: "createClient", tag: "clients", summary: "Register a client", body: NewClient.self, success: 201,
                answer: .one(Client.self)),
            use: create)
        routes.add(
            .init(
                .get, "clients", id: "listClients", tag: "clients", summary: "My organisation's clients", query: ["name", "limit"],
                answer: .list(Client.self)),
            use: list)
        routes.add(
            .init(
                .get, "clients/:clientId", id: "getClient", tag: "clients", summary: "A client, as far as consent lets me see",
                answer: .one(ClientView.self)),
            use: get)
        routes.add(
            .init(
                .get, "clients/:clientId/consents", id: "listConsents", tag: "clients", summary: "A client's consents", answer: .list(Consent.self)),
            use: consents)
        routes.add(
            .init(
                .post, "clients/:clientId/consents", id: "recordConsent", tag: "clients", summary: "Record a consent", body: NewConsent.self,
                success: 201, answer: .one(Consent.self)),
            use: recordConsent)
        routes.add(
            .init(
                .post, "clients/:clientId/consents/:consentId/revoke", id: "revokeConsent", tag: "clients", summary: "Revoke a consent",
                answer: .one(Consent.self), conflicts: true),
            use: revokeConsent)
        routes.add(
            .init(
                .get, "clients/:clientId/screenings", id: "listScreenings", tag: "clients", summary: "A client's needs screenings",
                answer: .list(Screening.self)),
            use: screenings)
        routes.add(
            .init(
                .post, "clients/:clientId/screenings", id: "recordScreening", tag: "clients", summary: "Record a needs screening",
                body: NewScreening.self, success: 201, answer: .one(ScreeningResult.self)),
            use: recordScreening)
        routes.add(
            .init(
                .get, "clients/:clientId/needs", id: "listNeeds", tag: "clients", summary: "A client's identified needs",
                answer: .list(IdentifiedNeed.self)),
            use: needs)
        routes.add(
            .init(
                .get, "clients/:clientId/link-candidates", id: "clientLinkCandidates", tag: "clients",
                summary: "Records at other organisations that may be this client, where its consent covers us",
                answer: .list(ClientLinkCandidate.self)),
            use: linkCandidates)
        routes.add(
            .init(
                .get, "clients/:clientId/links", id: "linkedRecords", tag: "clients",
                summary: "The client's linked records at other organisations, as their consent allows", answer: .list(LinkedRecord.self)),
            use: linkedRecords)
        routes.add(
            .init(
                .post, "clients/:clientId/links", id: "linkClient", tag: "clients", summary: "Link another organisation's record of this client",
                body: NewClientLink.self, success: 201, answer: .one(ClientLink.self)),
            use: linkClient)
        routes.add(
            .init(
                .post, "clients/:clientId/links/:linkId/unlink", id: "unlinkClient", tag: "clients", summary: "Undo a link",
                answer: .one(ClientLink.self)),
            use: unlinkClient)
        routes.add(
            .init(
                .put, "clients/:clientId/reminders", id: "setClientReminders", tag: "clients",
                summary: "How the client agreed to be reminded of appointments (no channel: not at all)", body: ReminderPreference.self,
                answer: .one(ReminderPreference.self)),
            use: setReminders)
        routes.add(
            .init(
                .get, "clients/:clientId/tasks", id: "listClientTasks", tag: "clients",
                summary: "What the client was asked to do themselves (FHIR: the IG's tasks for the patient)", answer: .list(ClientTask.self)),
            use: clientTasks)
        routes.add(
            .init(
                .post, "clients/:clientId/tasks", id: "createClientTask", tag: "clients",
                summary: "Ask the client to do something themselves: contact a service, read something, anything else in words",
                body: NewClientTask.self, success: 201, answer: .one(ClientTask.self)),
            use: createClientTask)
        routes.add(
            .init(.get, "client-tasks/:taskId", id: "getClientTask", tag: "clients", summary: "A task for the client", answer: .one(ClientTask.self)),
            use: clientTask)
        routes.add(
            .init(
                .post, "client-tasks/:taskId/status", id: "closeClientTask", tag: "clients",
                summary: "The client did it (completed), or it is no longer needed (cancelled)", body: ClientTaskClosing.self,
                answer: .one(ClientTask.self), conflicts: true),
            use: closeClientTask)
        routes.add(
            .init(
                .post, "needs/:needId/close", id: "closeNeed", tag: "clients",
                summary: "Close a need: met, declined by the client, or no longer applicable", body: NeedClosure.self,
                answer: .one(IdentifiedNeed.self), conflicts: true),
            use: closeNeed)
        routes.add(
            .init(
                .get, "need-gaps", id: "needGaps", tag: "clients",
                summary: "Open needs never referred, or whose referrals all failed", query: ["kind", "limit"],
                answer: .list(NeedGap.self)),
            use: needGaps)
    }

    @Sendable func clientTasks(_ request: Request, context: CallerContext) async throws -> ItemList<ClientTask> {
        ItemList(try await scoped(context).clientTasks(client: try context.id("clientId")))
    }

    @Sendable func createClientTask(_ request: Request, context: CallerContext) async throws -> EditedResponse<ClientTask> {
        let scoped = scoped(context)
        let input = try await body(NewClientTask.self, request)
        return EditedResponse(status: .created, response: try await scoped.createClientTask(client: try context.id("clientId"), input))
    }

    @Sendable func clientTask(_ request: Request, context: CallerContext) async throws -> ClientTask {
        try await scoped(context).clientTask(try context.id("taskId"))
    }

    @Sendable func closeClientTask(_ request: Request, context: CallerContext) async throws -> ClientTask {
        let scoped = scoped(context)
        let input = try await body(ClientTaskClosing.self, request)
        return try await scoped.closeClientTask(try context.id("taskId"), input)
    }

    @Sendable func linkCandidates(_ request: Request, context: CallerContext) async throws -> ItemList<ClientLinkCandidate> {
        ItemList(try await scoped(context).linkCandidates(client: try context.id("clientId")))
    }

    @Sendable func linkedRecords(_ request: Request, context: CallerContext) async throws -> ItemList<LinkedRecord> {
        ItemList(try await scoped(context).linkedRecords(client: try context.id("clientId")))
    }

    @Sendable func linkClient(_ request: Request, context: CallerContext) async throws -> EditedResponse<ClientLink> {
        let scoped = scoped(context)
        let input = try await body(NewClientLink.self, request)
        return EditedResponse(status: .created, response: try await scoped.linkClient(try context.id("clientId"), input))
    }

    @Sendable func unlinkClient(_ request: Request, context: CallerContext) async throws -> ClientLink {
        try await scoped(context).unlinkClient(try context.id("clientId"), link: try context.id("linkId"))
    }

    @Sendable func setReminders(_ request: Request, context: CallerContext) async throws -> ReminderPreference {
        let scoped = scoped(context)
        let input = try await body(ReminderPreference.self, request)
        let id: ID<Client> = try context.id("clientId")
        try await scoped.setReminderChannel(client: id, input.channel)
        return ReminderPreference(channel: try await scoped.reminderChannel(client: id))
    }

    @Sendable func closeNeed(_ request: Request, context: CallerContext) async throws -> IdentifiedNeed {
        let scoped = scoped(context)
        let input = try await body(NeedClosure.self, request)
        return try await scoped.closeNeed(try context.id("needId"), input)
    }

    @Sendable func needGaps(_ request: Request, context: CallerContext) async throws -> ItemList<NeedGap> {
        let limit = try request.integer("limit", in: 1...1000) ?? 200
        let kind = try request.choice("kind", NeedGap.Kind.self)
        return ItemList(try await scoped(context).needGaps(limit: limit).filter { kind == nil || $0.kind == kind })
    }

    @Sendable func create(_ request: Request, context: CallerContext) async throws -> EditedResponse<Client> {
        let scoped = scoped(context)
        return EditedResponse(status: .created, response: try await scoped.createClient(try await body(NewClient.self, request)))
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> ItemList<Client> {
        let limit = try request.integer("limit", in: 1...500) ?? 100
        return ItemList(try await scoped(context).clients(nameContains: request.query("name"), limit: limit))
    }

    @Sendable func get(_ request: Request, context: CallerContext) async throws -> ClientView {
        try await scoped(context).client(try context.id("clientId"))
    }

    @Sendable func consents(_ request: Request, context: CallerContext) async throws -> ItemList<Consent> {
        ItemList(try await scoped(context).consents(client: try context.id("clientId")))
    }

    @Sendable func recordConsent(_ request: Request, context: CallerContext) async throws -> EditedResponse<Consent> {
        let scoped = scoped(context)
        let input = try await body(NewConsent.self, request)
        return EditedResponse(status: .created, response: try await scoped.recordConsent(client: try context.id("clientId"), input))
    }

    @Sendable func revokeConsent(_ request: Request, context: CallerContext) async throws -> Consent {
        try await scoped(context).revokeConsent(
            client: try context.id("clientId"),
            consent: try context.id("consentId"))
    }

    @Sendable func screenings(_ request: Request, context: CallerContext) async throws -> ItemList<Screening> {
        ItemList(try await scoped(context).screenings(client: try context.id("clientId")))
    }

    @Sendable func recordScreening(_ request: Request, context: CallerContext) async throws -> EditedResponse<ScreeningResult> {
        let scoped = scoped(context)
        let input = try await body(NewScreening.self, request)
        let (screening, needs) = try await scoped.recordScreening(client: try context.id("clientId"), input)
        return EditedResponse(status: .created, response: ScreeningResult(screening: screening, identifiedNeeds: needs))
    }

    @Sendable func needs(_ request: Request, context: CallerContext) async throws -> ItemList<IdentifiedNeed> {
        ItemList(try await scoped(context).needs(client: try context.id("clientId")))
    }
}
