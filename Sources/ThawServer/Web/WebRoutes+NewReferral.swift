import Hummingbird
import ThawCore
import ThawStorage

extension WebRoutes {
    @Sendable func newReferralPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Client> = try context.id("clientId")
        var fields: [String: [String]] = [:]
        // `?need=` carries an identified need's opaque id, never the need itself.
        if let needId = request.uri.queryParameters["need"].map(String.init) {
            let needs = try await scoped(context).needs(client: id)
            if let need = needs.first(where: { $0.id.raw == needId }) {
                fields["needCategory"] = [need.category.rawValue]
                fields["needIds"] = [need.id.raw]
            }
        }
        let form = WebForm(fields: fields)
        return try await renderNewReferral(id, context, state: FormState(form: form), search: fields["needCategory"] != nil)
    }

    @Sendable func newReferralAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Client> = try context.id("clientId")
        let form = try await form(request, context)
        guard form["action"] == "send" else {
            return try await renderNewReferral(id, context, state: FormState(form: form), search: true)
        }
        do {
            let referral = try await sendReferral(id, form, context)
            return WebPage.redirect(to: WebPath.referral(referral.id), notice: referral.isOpen ? "referral-opened" : "referral-sent")
        } catch let error as ThawError {
            guard let violations = error.violations else { throw error }
            // The form names some fields differently from the API; show each message where the person can act on it.
            let placed = violations.map { v -> Violation in
                if v.rule == "consent-required" { return Violation(field: "consent", rule: v.rule, message: v.message) }
                switch v.field {
                case "serviceId", "organizationId": return Violation(field: "target", rule: v.rule, message: v.message)
                case "grantee.organizationId": return Violation(field: "grantee", rule: v.rule, message: v.message)
                default: return v
                }
            }
            return try await renderNewReferral(
                id, context, state: FormState(form: form, violations: placed), search: true,
                status: .unprocessableContent)
        }
    }

    private func sendReferral(_ clientId: ID<Client>, _ form: WebForm, _ context: ThawRequestContext) async throws -> Referral {
        let scoped = try scoped(context)
        var v = Validator()
        let category = try form.choice("needCategory", NeedCategory.self)
        v.require(category != nil, "needCategory", "required", "Choose the need this referral addresses")
        let target = form["target"]
        v.require(target != nil, "target", "required", "Choose a service, or leave the referral open for any eligible partner")
        try v.check()
        guard let category else { throw ThawError.unprocessable(v.violations) }
        var service: Service?
        if let target, target.hasPrefix("service:") {
            service = try await store.service(ID(String(target.dropFirst("service:".count))))
        } else if target != "open" {
            throw ThawError.invalid("target", "enum", "Choose a service, or leave the referral open")
        }
        let input = NewReferral(
            clientId: clientId, organizationId: service?.organizationId, serviceId: service?.id,
            needCategory: category, needIds: form.all("needIds").filter { !$0.isEmpty }.map { ID($0) },
            priority: try form.choice("priority", Priority.self), note: form["note"],
            firstResponseDue: try form.date("firstResponseDue").map(Viewer.calendar.endOfDay),
            followUpDue: try form.date("followUpDue").map(Viewer.calendar.endOfDay))
        // Check the referral before recording any consent, so a bad date leaves nothing behind.
        try input.validate(now: store.clock.now())
        if form["recordConsent"] == "yes" {
            var grantee: ConsentGrantee?
            if form["grantee"] == "partner" {
                guard let service else {
                    throw ThawError.unprocessable("grantee", "partner-required", "An open referral has no partner yet: share with a sector instead")
                }
                grantee = .organization(service.organizationId)
            }
            _ = try await scoped.recordConsent(client: clientId, try ConsentFields.parse(form, grantee: grantee))
        }
        let (referral, replayed) = try await scoped.createReferral(input, idempotencyKey: form["idempotencyKey"])
        if !replayed { metrics.recordTransition(to: referral.status.rawValue) }
        return referral
    }

    private func renderNewReferral(
        _ clientId: ID<Client>, _ context: ThawRequestContext, state: FormState, search: Bool,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scoped = try scoped(context)
        let client = try await heldClient(clientId, scoped)
        async let needs = scoped.needs(client: clientId)
        async let consents = scoped.consents(client: clientId)
        let now = store.clock.now()
        var matches: [NewReferralView.Match]?
        var placed: Bool?
        if search {
            var query = DirectoryQuery(
                text: state.form["keyword"], need: try state.form.choice("needCategory", NeedCategory.self), language: state.form["language"],
                postalCode: state.form["postalCode"])
            query.capacities = Set(try state.form.choices("capacity", Capacity.self))
            if state.form.all("capacity").isEmpty && state.form["action"] == nil { query.capacities = [.accepting, .waitlist] }
            query.openNow = state.form["openNow"] == "yes"
            configuration.directoryClock(&query, now: now)
            let results = try await store.searchDirectory(query)
            if query.postalCode.map({ !$0.trimmingWhitespace.isEmpty }) == true { placed = results.origin != nil }
            let organizations = Dictionary(uniqueKeysWithValues: try await store.organizations().map { ($0.id, $0) })
            let clientConsents = try await consents
            var found: [NewReferralView.Match] = []
            for hit in results.hits {
                // A service of a network member can be referred to here; any other is listed, to contact directly.
                guard let id = hit.thawServiceId, let service = try? await store.service(ID(id)),
                    let organization = organizations[service.organizationId]
                else {
                    found.append(.init(hit: hit, service: nil, organization: nil, consentScopes: []))
                    continue
                }
                found.append(
                    .init(
                        hit: hit, service: service, organization: organization,
                        consentScopes: clientConsents.scopes(for: organization.id, sector: organization.sector, at: now)))
            }
            matches = found
        }
        let model = NewReferralView(
            client: client, needs: try await needs.filter { $0.status == .active }, state: state,
            matches: matches, placed: placed, hasActiveConsent: try await consents.contains { $0.isActive(at: now) },
            idempotencyKey: state.form["idempotencyKey"] ?? SecretDigest.newSecret(prefix: "web_"),
            csrf: context.csrfToken)
        return WebPage.response(layout("New referral", context, section: "clients").render(model.render()), status: status)
    }
}
