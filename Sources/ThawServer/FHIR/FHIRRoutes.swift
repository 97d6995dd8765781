import Foundation
import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// FHIR R4 at `/fhir`: the referral as the SDOH Clinical Care IG's Task and
/// ServiceRequest (and Procedure once completed), and the clients, needs,
/// organisations and services around it. Every read goes through the same
/// `ScopedStore` calls as `/api/v1`, so a partner sees exactly what it sees there.
struct FHIRRoutes {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on group: RouterGroup<ThawRequestContext>) {
        group.get("metadata") { request, _ in FHIRResponse(CapabilityStatement.thaw(base: base(request))) }
        let callers = group.group(context: CallerContext.self)
        callers.post("", use: transaction)
        callers.get("Task", use: searchTasks)
        callers.get("Task/:id", use: readTask)
        callers.put("Task/:id", use: updateTask)
        callers.patch("Task/:id", use: patchTask)
        callers.get("Task/:id/_history", use: taskHistory)
        callers.get("Task/:id/_history/:version", use: readTaskVersion)
        callers.get("ServiceRequest", use: searchServiceRequests)
        callers.get("ServiceRequest/:id", use: readServiceRequest)
        callers.get("Procedure/:id", use: readProcedure)
        callers.post("Procedure", use: createProcedure)
        callers.get("Patient/:id", use: readPatient)
        callers.get("Condition/:id", use: readCondition)
        callers.get("Organization", use: searchOrganizations)
        callers.get("Organization/:id", use: readOrganization)
        callers.get("HealthcareService", use: searchServices)
        callers.get("HealthcareService/:id", use: readService)
        callers.get("Location", use: searchLocations)
        callers.get("Location/:id", use: readLocation)
        registerClientRecords(on: callers)
        registerClientWrites(on: callers)
        callers.post("Subscription", use: createSubscription)
        callers.get("Subscription", use: searchSubscriptions)
        callers.get("Subscription/:id", use: readSubscription)
        callers.delete("Subscription/:id", use: deleteSubscription)
        callers.get("Subscription/:id/$status", use: subscriptionStatus)
        registerBulkExport(on: callers)
    }

    /// The URL of this request, under the base.
    func selfURL(_ request: Request) -> String { base(request) + request.uri.description.dropFirst("/fhir".count) }

    /// The server's base as the client reached it, for `fullUrl` and links.
    func base(_ request: Request) -> String {
        let host = request.head.authority ?? "\(configuration.host):\(configuration.port)"
        let safe = host.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]".contains($0) } ? host : "\(configuration.host):\(configuration.port)"
        return (configuration.secureCookies ? "https://" : "http://") + safe + "/fhir"
    }

    func scoped(_ context: CallerContext) -> ScopedStore { store.scoped(to: context.actor) }

    /// The answer of a search whose matches are few enough to read whole (one client's records,
    /// the directory) and that includes nothing: `_count` of them from where the `next` link of the
    /// page before left off, with their total; an `_include` is refused, not ignored.
    func onePage(_ request: Request, _ matches: [any FHIRResource], _ parameters: FHIRSearchParameters) throws -> FHIRResponse<SearchSetBundle> {
        _ = try parameters.includes([])
        let count = try parameters.count(), offset = try parameters.offset()
        let next = offset + count < matches.count ? nextURL(request, cursor: String(offset + count)) : nil
        return FHIRResponse(
            SearchSetBundle(
                base: base(request), matches: Array(matches.dropFirst(offset).prefix(count)), included: [], selfURL: selfURL(request),
                nextURL: next, timestamp: store.clock.now(), total: matches.count))
    }

    /// The search again, from `cursor`: the `next` link of a page.
    func nextURL(_ request: Request, cursor: String) -> String {
        var query = request.uri.queryParameters.filter { $0.key != "_cursor" }.map {
            "\($0.key)=\(String($0.value).addingPercentEncodingForQuery)"
        }
        query.append("_cursor=\(cursor.addingPercentEncodingForQuery)")
        return base(request) + "/" + (request.uri.path.split(separator: "/").last.map(String.init) ?? "") + "?" + query.joined(separator: "&")
    }

    /// A system's SMART token must have been granted this interaction on this type; a person's
    /// token or session is limited by their role alone (and both by consent and organisation).
    func permit(_ context: CallerContext, _ type: FHIRResourceType, _ interaction: AccessScopes.Interaction) throws {
        guard let scopes = context.principal.scopes, !scopes.allows(type.rawValue, interaction) else { return }
        throw ThawError.forbidden(
            "this token's scopes do not allow \(interaction.rawValue) on \(type.rawValue) (it holds \(scopes.text))", field: "scope")
    }

    /// What `_include` brought in, less the types a system's token may not read.
    func readable(_ context: CallerContext, _ resources: [any FHIRResource]) -> [any FHIRResource] {
        guard let scopes = context.principal.scopes else { return resources }
        return resources.filter { scopes.allows(type(of: $0).type.rawValue, .read) }
    }

    private func withVersion<Value: Encodable & Sendable>(_ value: Value, version: Int) -> FHIRResponse<Value> {
        FHIRResponse(value, headers: [.eTag: "W/\"\(version)\""])
    }

    // MARK: Task and ServiceRequest

    @Sendable func readTask(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRTask> {
        try permit(context, .task, .read)
        let taskId: ID<ClientTask> = try context.fhirId("id")
        if taskId.raw.hasPrefix("ctk_") {
            let task = try await patientTask(try await scoped(context).clientTask(taskId), context)
            return withVersion(task, version: task.status == ClientTask.Status.requested.rawValue ? 1 : 2)
        }
        let visible = VisibleReferral(try await scoped(context).referral(try context.fhirId("id")))
        return withVersion(visible.task, version: visible.referral.version)
    }

    @Sendable func readServiceRequest(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRServiceRequest> {
        try permit(context, .serviceRequest, .read)
        let visible = VisibleReferral(try await scoped(context).referral(try context.fhirId("id")))
        return withVersion(visible.serviceRequest, version: visible.referral.version)
    }

    @Sendable func readProcedure(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRProcedure> {
        try permit(context, .procedure, .read)
        let id: ID<Referral> = try context.fhirId("id")
        let visible = VisibleReferral(try await scoped(context).referral(id))
        if let procedure = visible.procedure { return withVersion(procedure, version: visible.referral.version) }
        guard let recorded = try await scoped(context).recordedProcedure(id),
            let procedure = visible.procedure(recorded.outcome, performed: recorded.performedAt)
        else { throw ThawError.notFound("Procedure \(id)") }
        return FHIRResponse(procedure)
    }

    /// `POST /fhir/Procedure`: the receiving side records what it did, `basedOn` the referral's
    /// ServiceRequest, with its outcome in Thaw's outcome system; completing the Task with an
    /// `output` referencing it then closes the loop with that outcome.
    @Sendable func createProcedure(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRProcedure> {
        try permit(context, .procedure, .create)
        let sent = try await JSONBody.decode(
            IncomingProcedure.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        guard sent.resourceType == "Procedure" else { throw ThawError.invalid("Procedure.resourceType", "Procedure", "the body must be a Procedure") }
        guard sent.status == "completed" else {
            throw ThawError.unprocessable("Procedure.status", "completed", "Thaw records a procedure once it is completed")
        }
        guard let based = sent.basedOn?.compactMap({ $0.id(of: .serviceRequest) }).first else {
            throw ThawError.unprocessable("Procedure.basedOn", "required", "basedOn names the referral's ServiceRequest")
        }
        guard let code = sent.outcome?.code(in: FHIRSystems.outcome), let outcomeCode = ReferralOutcome.Code(rawValue: code) else {
            throw ThawError.unprocessable(
                "Procedure.outcome", "outcome",
                "the outcome is a code in \(FHIRSystems.outcome) (need-met, need-partially-met, service-provided, need-not-met)")
        }
        var performed = store.clock.now()
        if let text = sent.performedDateTime {
            guard let instant = ISO8601.parse(text) else {
                throw ThawError.invalid("Procedure.performedDateTime", "dateTime", "a dateTime with a time zone")
            }
            performed = instant
        }
        let id: ID<Referral> = ID(fhir: based)
        let recorded = try await scoped(context).recordProcedure(
            id, outcome: ReferralOutcome(code: outcomeCode, summary: sent.outcome?.text ?? code), performedAt: performed)
        let visible = VisibleReferral(try await scoped(context).referral(id))
        guard let procedure = visible.procedure(recorded.outcome, performed: recorded.performedAt) else {
            throw ThawError.notFound("Procedure \(id)")
        }
        return FHIRResponse(procedure, status: .created, headers: [.location: "\(base(request))/Procedure/\(procedure.id)"])
    }

    static let taskParameters: Set<String> = ["_id", "code", "patient", "requester", "owner", "owner:missing", "status", "focus", "_lastUpdated"]
    static let taskIncludes: Set<String> = ["Task:focus", "Task:output", "Task:patient", "Task:owner", "Task:requester"]

    @Sendable func searchTasks(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .task, .search)
        let parameters = try FHIRSearchParameters(request, allowed: Self.taskParameters)
        var search = try referralSearch(parameters)
        search.ids += try parameters.reference("focus", to: .serviceRequest).map { [ID(fhir: $0)] } ?? []
        // Tasks for the patient are asked for by their codes, for one patient.
        let codes = parameters.list("code")
        let patientCodes = Set(ClientTask.Kind.allCases.map(\.rawValue))
        let askedKinds = codes.map { $0.split(separator: "|").last.map(String.init) ?? $0 }.filter(patientCodes.contains)
        if !askedKinds.isEmpty {
            return try await searchPatientTasks(request, context, parameters, kinds: Set(askedKinds.compactMap(ClientTask.Kind.init(rawValue:))))
        }
        // Thaw's referral Tasks are all `fulfill`: asked for other codes only, none matches.
        let matchesNone = !codes.isEmpty && !codes.contains { $0 == "fulfill" || $0 == "\(FHIRSystems.taskCode)|fulfill" }
        search.statuses = Set(
            try parameters.list("status").map { raw in
                guard let status = TaskStatus(rawValue: raw) else { throw ThawError.invalid("status", "task-status", "\(raw) is not a Task status") }
                return status
            })
        search.ownerMissing = try parameters.missing("owner")
        let includes = try parameters.includes(Self.taskIncludes)
        return try await answer(request, context, matchesNone ? nil : search) { visible in
            var included: [any FHIRResource] = []
            if includes.contains("Task:focus") { included.append(visible.serviceRequest) }
            if includes.contains("Task:output"), let procedure = visible.procedure { included.append(procedure) }
            return (visible.task, included)
        } including: { items in
            try await included(items, includes: includes, context: context, patient: "Task:patient", owner: "Task:owner", requester: "Task:requester")
        }
    }

    /// `Task?code=make-contact&patient=Patient/…`: what the client was asked to do themselves,
    /// for the organisation holding their record (anyone else: not found, as `/api/v1` answers).
    private func searchPatientTasks(
        _ request: Request, _ context: CallerContext, _ parameters: FHIRSearchParameters, kinds: Set<ClientTask.Kind>
    ) async throws -> FHIRResponse<SearchSetBundle> {
        guard let patient = try parameters.reference("patient", to: .patient) else {
            throw ThawError.invalid("patient", "required", "tasks for the patient are searched for one patient: add patient=Patient/id")
        }
        let statuses = Set(
            try parameters.list("status").map { raw in
                guard let status = ClientTask.Status(rawValue: raw) else {
                    throw ThawError.invalid(
                        "status", "task-status", "\(raw) is not a status of a task for the patient (requested, completed, cancelled)")
                }
                return status
            })
        var matches: [any FHIRResource] = []
        for task in try await scoped(context).clientTasks(client: ID(fhir: patient))
        where kinds.contains(task.kind) && (statuses.isEmpty || statuses.contains(task.status)) {
            matches.append(try await patientTask(task, context))
        }
        return FHIRResponse(
            SearchSetBundle(
                base: base(request), matches: matches, included: [], selfURL: selfURL(request), nextURL: nil, timestamp: store.clock.now(),
                total: matches.count))
    }

    /// A task for the client as FHIR, with the service to contact where it helps a referral to one.
    private func patientTask(_ task: ClientTask, _ context: CallerContext) async throws -> FHIRTask {
        var service: ID<Service>?
        if task.kind == .makeContact, let referralId = task.referralId {
            service = try await scoped(context).referral(referralId).referral.serviceId
        }
        let requester = try await store.organization(task.organizationId).name
        return FHIRTask(clientTask: task, requesterName: requester, serviceToContact: service)
    }

    static let serviceRequestParameters: Set<String> = ["_id", "category", "intent", "patient", "status", "_lastUpdated"]
    static let serviceRequestIncludes: Set<String> = ["ServiceRequest:patient", "ServiceRequest:requester", "ServiceRequest:performer"]

    @Sendable func searchServiceRequests(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .serviceRequest, .search)
        let parameters = try FHIRSearchParameters(request, allowed: Self.serviceRequestParameters)
        var search = try referralSearch(parameters)
        search.needCategories = Set(
            try parameters.list("category").map { raw in
                let code = raw.split(separator: "|").last.map(String.init) ?? raw
                guard let category = NeedCategory(fhirCode: code) else {
                    throw ThawError.invalid("category", "need-category", "\(raw) is not a category Thaw knows")
                }
                return category
            })
        // Every ServiceRequest is an `order`; a status is that of the Task's statuses mapping to it.
        let intents = parameters.list("intent"), wanted = Set(parameters.list("status"))
        if !wanted.isEmpty { search.statuses = Set(TaskStatus.allCases.filter { wanted.contains($0.serviceRequestStatus) }) }
        let matchesNone = (!intents.isEmpty && !intents.contains("order")) || (!wanted.isEmpty && search.statuses.isEmpty)
        let includes = try parameters.includes(Self.serviceRequestIncludes)
        return try await answer(request, context, matchesNone ? nil : search) { visible in
            (visible.serviceRequest, [])
        } including: { items in
            try await included(
                items, includes: includes, context: context, patient: "ServiceRequest:patient", owner: "ServiceRequest:performer",
                requester: "ServiceRequest:requester")
        }
    }

    /// The filters Task and ServiceRequest share.
    private func referralSearch(_ parameters: FHIRSearchParameters) throws -> ReferralSearch {
        var search = ReferralSearch()
        search.ids = parameters.list("_id").map { ID(fhir: $0) }
        search.client = try parameters.reference("patient", to: .patient).map { ID(fhir: $0) }
        search.requester = try parameters.reference("requester", to: .organization).map { ID(fhir: $0) }
        search.owner = try parameters.reference("owner", to: .organization).map { ID(fhir: $0) }
        (search.updatedFrom, search.updatedBefore) = try parameters.lastUpdated()
        search.limit = try parameters.count()
        search.cursor = try parameters.cursor()
        return search
    }

    /// A referral search's bundle (`search` nil: the parameters match nothing, so nothing is read).
    private func answer(
        _ request: Request, _ context: CallerContext, _ search: ReferralSearch?,
        resources: (VisibleReferral) -> (any FHIRResource, [any FHIRResource]),
        including: ([VisibleReferral]) async throws -> [any FHIRResource]
    ) async throws -> FHIRResponse<SearchSetBundle> {
        var page = ReferralSearchPage(items: [], next: nil)
        if let search { page = try await scoped(context).searchReferrals(search) }
        let made = page.items.map(resources)
        return FHIRResponse(
            SearchSetBundle(
                base: base(request), matches: made.map(\.0), included: readable(context, made.flatMap(\.1) + (try await including(page.items))),
                selfURL: selfURL(request),
                nextURL: page.next.map { nextURL(request, cursor: "\($0.key)~\($0.id)") }, timestamp: store.clock.now()))
    }

    /// The patients and organisations a search's `_include`s name, each read as `/api/v1` reads it.
    private func included(
        _ items: [VisibleReferral], includes: Set<String>, context: CallerContext, patient: String, owner: String, requester: String
    ) async throws -> [any FHIRResource] {
        var out: [any FHIRResource] = []
        let scoped = scoped(context)
        if includes.contains(patient) {
            for id in Set(items.filter { $0.side != nil }.map(\.referral.clientId)).sorted(by: { $0.raw < $1.raw }) {
                out.append(FHIRPatient(try await scoped.client(id)))
            }
        }
        var organizations = Set<ID<Organization>>()
        if includes.contains(owner) { organizations.formUnion(items.compactMap(\.referral.ownerOrganizationId)) }
        if includes.contains(requester) { organizations.formUnion(items.map(\.referral.requesterOrganizationId)) }
        for id in organizations.sorted(by: { $0.raw < $1.raw }) { out.append(FHIROrganization(try await store.organization(id))) }
        return out
    }
}

// MARK: Clients, needs and the directory

extension FHIRRoutes {
    @Sendable func readPatient(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRPatient> {
        try permit(context, .patient, .read)
        return FHIRResponse(FHIRPatient(try await scoped(context).client(try context.fhirId("id"))))
    }

    @Sendable func readCondition(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRCondition> {
        try permit(context, .condition, .read)
        return FHIRResponse(FHIRCondition(try await scoped(context).need(try context.fhirId("id"))))
    }

    @Sendable func readOrganization(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIROrganization> {
        try permit(context, .organization, .read)
        return FHIRResponse(FHIROrganization(try await store.organization(try context.fhirId("id"))))
    }

    @Sendable func searchOrganizations(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .organization, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["_id", "name"])
        let ids = Set(parameters.list("_id").map { $0.replacingOccurrences(of: "-", with: "_") }), name = try parameters.single("name")?.lowercased()
        let matches = try await store.organizations().filter { organization in
            (ids.isEmpty || ids.contains(organization.id.raw)) && (name.map { organization.name.lowercased().hasPrefix($0) } ?? true)
        }
        return try onePage(request, matches.map(FHIROrganization.init), parameters)
    }

    @Sendable func readService(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRHealthcareService> {
        try permit(context, .healthcareService, .read)
        let service = try await store.service(try context.fhirId("id"))
        return FHIRResponse(FHIRHealthcareService(service, directory: try await store.serviceDirectoryFacts([service.id])[service.id]))
    }

    @Sendable func readLocation(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRLocation> {
        try permit(context, .location, .read)
        let id = context.parameters.get("id") ?? ""
        guard HSDS.isUUID(id), let place = try await store.directoryLocations(ids: [id.lowercased()]).first else {
            throw ThawError.notFound("Location \(id)")
        }
        return FHIRResponse(FHIRLocation(place))
    }

    @Sendable func searchLocations(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .location, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["_id", "name", "address-postalcode", "organization"])
        let ids = parameters.list("_id").map { $0.lowercased() }
        guard ids.allSatisfy(HSDS.isUUID) else { throw ThawError.invalid("_id", "uuid", "a Location's id is a UUID") }
        let places = try await store.directoryLocations(
            ids: ids, name: try parameters.single("name"), postalCode: try parameters.single("address-postalcode"),
            organization: try parameters.reference("organization", to: .organization).map { ID(fhir: $0) })
        return try onePage(request, places.map(FHIRLocation.init), parameters)
    }

    @Sendable func searchServices(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .healthcareService, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["_id", "name", "organization", "service-category", "active"])
        var search = ServiceSearch()
        search.organization = try parameters.reference("organization", to: .organization).map { ID(fhir: $0) }
        search.keyword = try parameters.single("name")
        if let raw = try parameters.single("service-category") {
            let code = raw.split(separator: "|").last.map(String.init) ?? raw
            guard let need = NeedCategory(fhirCode: code) else {
                throw ThawError.invalid("service-category", "need-category", "\(raw) is not a category Thaw knows")
            }
            search.need = need
        }
        if let active = try parameters.single("active") {
            guard let value = Bool(active) else { throw ThawError.invalid("active", "boolean", "active must be true or false") }
            search.capacities = Set(Capacity.allCases.filter { ($0 != .closed) == value })
        }
        let ids = Set(parameters.list("_id").map { $0.replacingOccurrences(of: "-", with: "_") })
        let matches = try await store.searchServices(search).filter { ids.isEmpty || ids.contains($0.id.raw) }
        let facts = try await store.serviceDirectoryFacts(matches.map(\.id))
        return try onePage(request, matches.map { FHIRHealthcareService($0, directory: facts[$0.id]) }, parameters)
    }
}

extension String {
    /// Percent-encoded for a query value (`&`, `=`, `+` and `#` too).
    var addingPercentEncodingForQuery: String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
