import Hummingbird
import ThawCore
import ThawStorage

/// The client's own records as FHIR — consents, needs, screenings (as QuestionnaireResponse and
/// Observations), outcomes — for the organisation that holds the client, read through the same
/// calls as `/api/v1`; and an organisation's people as PractitionerRole, for its administrators.
extension FHIRRoutes {
    func registerClientRecords(on callers: RouterGroup<CallerContext>) {
        callers.get("Consent", use: searchConsents)
        callers.get("Consent/:id", use: readConsent)
        callers.get("Condition", use: searchConditions)
        callers.get("QuestionnaireResponse", use: searchQuestionnaireResponses)
        callers.get("QuestionnaireResponse/:id", use: readQuestionnaireResponse)
        callers.get("Observation", use: searchObservations)
        callers.get("Observation/:id", use: readObservation)
        callers.get("Procedure", use: searchProcedures)
        callers.get("PractitionerRole", use: searchPractitionerRoles)
        callers.get("PractitionerRole/:id", use: readPractitionerRole)
    }

    /// The patient a client-record search is for: required, a Patient Thaw holds.
    private func patient(_ parameters: FHIRSearchParameters) throws -> ID<Client> {
        guard let id = try parameters.reference("patient", to: .patient) else {
            throw ThawError.invalid("patient", "required", "search by patient (patient=Patient/cli-…)")
        }
        return ID(fhir: id)
    }

    @Sendable func readConsent(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRConsent> {
        try permit(context, .consent, .read)
        return FHIRResponse(FHIRConsent(try await scoped(context).consent(try context.fhirId("id")), now: store.clock.now()))
    }

    @Sendable func searchConsents(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .consent, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["patient", "status"])
        let statuses = Set(parameters.list("status")), now = store.clock.now()
        let consents = try await scoped(context).consents(client: try patient(parameters)).map { FHIRConsent($0, now: now) }
            .filter { statuses.isEmpty || statuses.contains($0.status) }
        return try onePage(request, consents, parameters)
    }

    @Sendable func searchConditions(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .condition, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["patient", "category", "clinical-status"])
        let categories = Set(parameters.list("category").map { $0.split(separator: "|").last.map(String.init) ?? $0 })
        let clinical = Set(parameters.list("clinical-status"))
        let needs = try await scoped(context).needs(client: try patient(parameters)).map(FHIRCondition.init).filter { condition in
            let codes = Set(condition.category.flatMap { $0.coding ?? [] }.compactMap(\.code))
            return (categories.isEmpty || !codes.isDisjoint(with: categories))
                && (clinical.isEmpty || clinical.contains(condition.clinicalStatus.coding?.first?.code ?? ""))
        }
        return try onePage(request, needs, parameters)
    }

    @Sendable func readQuestionnaireResponse(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRQuestionnaireResponse> {
        try permit(context, .questionnaireResponse, .read)
        return FHIRResponse(FHIRQuestionnaireResponse(try await scoped(context).screening(try context.fhirId("id"))))
    }

    @Sendable func searchQuestionnaireResponses(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .questionnaireResponse, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["patient"])
        let screenings = try await scoped(context).screenings(client: try patient(parameters)).map(FHIRQuestionnaireResponse.init)
        return try onePage(request, screenings, parameters)
    }

    /// An Observation's id is its screening's and the need domain's (`scr-…-housing`).
    @Sendable func readObservation(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRObservation> {
        try permit(context, .observation, .read)
        let raw = context.parameters.get("id") ?? ""
        guard let category = NeedCategory.allCases.first(where: { raw.hasSuffix("-" + $0.rawValue) }) else {
            throw ThawError.notFound("Observation \(raw)")
        }
        let screening = try await scoped(context).screening(ID(fhir: String(raw.dropLast(category.rawValue.count + 1))))
        guard let answer = screening.answers[category] else { throw ThawError.notFound("Observation \(raw)") }
        return FHIRResponse(FHIRObservation(screening, category, answer))
    }

    @Sendable func searchObservations(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .observation, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["patient"])
        let observations = try await scoped(context).screenings(client: try patient(parameters)).flatMap { screening in
            NeedCategory.allCases.compactMap { category in screening.answers[category].map { FHIRObservation(screening, category, $0) } }
        }
        return try onePage(request, observations, parameters)
    }

    /// The outcomes of a client's completed referrals, as the referral's readers see them.
    @Sendable func searchProcedures(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .procedure, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["patient"])
        var search = ReferralSearch()
        search.client = try patient(parameters)
        search.statuses = [.completed]
        search.limit = try parameters.count()
        let page = try await scoped(context).searchReferrals(search)
        return try onePage(request, page.items.compactMap(\.procedure), parameters)
    }

    @Sendable func readPractitionerRole(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRPractitionerRole> {
        try permit(context, .practitionerRole, .read)
        let id: ID<User> = try context.fhirId("id")
        guard let user = try await store.users(in: context.actor.organizationId, by: context.actor).first(where: { $0.id == id }) else {
            throw ThawError.notFound("PractitionerRole \(id)")
        }
        return FHIRResponse(FHIRPractitionerRole(user))
    }

    @Sendable func searchPractitionerRoles(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .practitionerRole, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["organization", "role", "active"])
        let organization: ID<Organization> =
            try parameters.reference("organization", to: .organization).map { ID(fhir: $0) } ?? context.actor.organizationId
        let roles = Set(parameters.list("role"))
        let users = try await store.users(in: organization, by: context.actor)
            .filter { roles.isEmpty || !roles.isDisjoint(with: $0.roles.map(\.rawValue)) }
            .filter { user in (try? parameters.single("active")).flatMap { $0 }.map { Bool($0) == user.active } ?? true }
        return try onePage(request, users.map(FHIRPractitionerRole.init), parameters)
    }
}
