import Hummingbird
import ThawCore
import ThawStorage

/// Administration pages: organisations, services and capacity, users and
/// roles, and each user's own API tokens. The store decides who may do what.
extension WebRoutes {
    @Sendable func adminPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderAdmin(context, state: FormState(), notice: notice(request))
    }

    private func renderAdmin(
        _ context: ThawRequestContext, state: FormState, notice: Layout.Notice? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requirePrincipal().actor
        try AccessPolicy.require(actor, anyOf: Layout.administrationRoles, to: "administration")
        let view = OrganizationsView(organizations: try await store.organizations(), viewer: actor, state: state, csrf: context.csrfToken)
        return WebPage.response(layout("Administration", context, section: "admin", notice: notice).render(view.render()), status: status)
    }

    @Sendable func adminAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let actor = try context.requirePrincipal().actor
        do {
            let input = NewOrganization(
                name: form["name"] ?? "", sector: try form.choice("sector", Sector.self) ?? .community,
                alignment: try form.choice("alignment", Alignment.self),
                parentId: form["parentId"].map { ID($0) }, area: form["area"], timeZone: form["timeZone"])
            var v = Validator()
            v.require(form["sector"] != nil, "sector", "required", "Choose the organisation's sector")
            try v.check()
            let organization = try await store.createOrganization(input, by: actor)
            return WebPage.redirect(to: WebPath.organization(organization.id), notice: "organization-created")
        } catch let error as ThawError where error.violations != nil {
            return try await renderAdmin(context, state: FormState(form: form, violations: error.violations!), status: .unprocessableContent)
        }
    }

    @Sendable func organizationPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderOrganization(try context.id("organizationId"), context, notice: notice(request))
    }

    private func renderOrganization(
        _ id: ID<Organization>, _ context: ThawRequestContext, notice: Layout.Notice? = nil,
        failed: (action: String, state: FormState)? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let actor = try context.requirePrincipal().actor
        // An organisation's administrators and directory staff see its page; network administrators every organisation's.
        guard actor.has(.networkAdministrator) || (actor.organizationId == id && actor.hasAny(AccessPolicy.directoryRoles)) else {
            throw ThawError.notFound("organisation \(id)")
        }
        let organization = try await store.organization(id)
        var search = ServiceSearch(organization: id)
        search.capacities = Set(Capacity.allCases)
        let services = try await store.searchServices(search)
        let users = Administration.mayListUsers(actor, of: id) ? try await store.users(in: id, by: actor) : []
        var placements: PlacementsPanel?
        if Administration.mayListUsers(actor, of: id) {
            let names = Dictionary(uniqueKeysWithValues: try await store.organizations().map { ($0.id, $0.name) })
            placements = PlacementsPanel(
                organization: organization, placements: try await store.placements(in: id, by: actor), names: names,
                today: Viewer.calendar.day(of: store.clock.now()), csrf: context.csrfToken, failed: failed)
        }
        let view = OrganizationView(
            organization: organization, services: services, users: users, viewer: actor, placements: placements, failed: failed,
            csrf: context.csrfToken)
        return WebPage.response(
            layout(Phrase(said: organization.name), context, section: "admin", notice: notice).render(view.render()), status: status)
    }

    /// A user added from an organisation's page: who may add whom checked first (before a password
    /// hash is spent on it), then the input, as the API checks them.
    private func addUser(_ input: NewUser, by actor: Actor) async throws {
        try Administration.checkNewUser(by: actor, in: input.organizationId, roles: input.roles, hasActiveAdministrator: false)
        try input.validate()
        _ = try await store.createUser(input, passwordHash: try await hasher.hash(input.password), by: actor)
    }

    @Sendable func organizationAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Organization> = try context.id("organizationId")
        let form = try await form(request, context)
        let actor = try context.requirePrincipal().actor
        let action = form["action"] ?? ""
        do {
            switch action {
            case "service":
                let input = NewService(
                    name: form["name"] ?? "", description: form["description"] ?? "",
                    needCategories: try form.choices("needCategories", NeedCategory.self),
                    eligibility: form["eligibility"] ?? "", areaServed: form["areaServed"] ?? "",
                    languages: (form["languages"] ?? "en").split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty },
                    capacity: try form.choice("capacity", Capacity.self) ?? .accepting)
                _ = try await store.createService(input, organization: id, by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "service-created")
            case "new-user":
                // In another organisation a network administrator adds its first administrator, and no one else.
                let roles = id == actor.organizationId ? Set(try form.choices("roles", Role.self)) : [.administrator]
                let input = NewUser(
                    organizationId: id, email: form["email"] ?? "", displayName: form["displayName"] ?? "",
                    roles: roles, password: form.all("password").first ?? "")
                try await addUser(input, by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "user-created")
            case "new-evaluator":
                let input = NewUser(
                    organizationId: id, email: form["email"] ?? "", displayName: form["displayName"] ?? "", roles: [.evaluator],
                    password: form.all("password").first ?? "", evaluatorFrom: try form.date("evaluatorFrom"),
                    evaluatorUntil: try form.date("evaluatorUntil"))
                try await addUser(input, by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "evaluator-created")
            case "user":
                guard let user = form["user"] else { throw ThawError.invalid("user", "required", "say which user") }
                // Another organisation's administrator is only switched off or on: its roles are not the form's to set.
                let roles = id == actor.organizationId ? Set(try form.choices("roles", Role.self)) : nil
                _ = try await store.updateUser(ID(user), roles: roles, active: form["active"] == "yes", by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "user-updated")
            case "placement":
                var v = Validator()
                let from = try form.date("fromOn")
                v.require(from != nil, "fromOn", "required", "Give the day the placement starts")
                try v.check()
                guard let from else { throw ThawError.unprocessable("fromOn", "required", "Give the day the placement starts") }
                _ = try await store.createPlacement(
                    NewPlacement(
                        email: form["email"] ?? "", roles: Set(try form.choices("roles", Role.self)), fromOn: from, untilOn: try form.date("untilOn")),
                    in: id, by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "placement-created")
            case "end-placement":
                guard let placement = form["placement"] else { throw ThawError.invalid("placement", "required", "say which placement to end") }
                _ = try await store.endPlacement(ID(placement), by: actor)
                return WebPage.redirect(to: WebPath.organization(id), notice: "placement-ended")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        } catch let error as ThawError where error.violations != nil {
            var state = FormState(form: form, violations: error.violations!)
            state.form = WebForm(fields: form.fields.filter { $0.key != "password" })  // never echo a password
            return try await renderOrganization(id, context, failed: (action, state), status: .unprocessableContent)
        }
    }

    @Sendable func tokensPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderTokens(context, secret: nil, state: FormState(), notice: notice(request))
    }

    private func renderTokens(
        _ context: ThawRequestContext, secret: String?, state: FormState, notice: Layout.Notice? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let view = TokensView(
            tokens: try await store.tokens(user: principal.user.id), newSecret: secret, state: state,
            now: store.clock.now(), csrf: context.csrfToken)
        return WebPage.response(layout("API tokens", context, section: "tokens", notice: notice).render(view.render()), status: status)
    }

    @Sendable func tokensAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let principal = try context.requirePrincipal()
        if form["action"] == "revoke" {
            guard let token = form["token"] else { throw ThawError.invalid("token", "required", "say which token to revoke") }
            try await store.revokeToken(ID(token), by: principal.actor)
            return WebPage.redirect(to: WebPath.adminTokens, notice: "token-revoked")
        }
        do {
            let expires = try form.date("expiresAt").map(Viewer.calendar.endOfDay)
            let (_, secret) = try await store.createToken(user: principal.user.id, name: form["name"] ?? "", expiresAt: expires, by: principal.actor)
            // Shown once, in this response only: a redirect would have to carry the secret in the URL.
            return try await renderTokens(context, secret: secret, state: FormState(), status: .created)
        } catch let error as ThawError where error.violations != nil {
            return try await renderTokens(
                context, secret: nil, state: FormState(form: form, violations: error.violations!),
                status: .unprocessableContent)
        }
    }
}
