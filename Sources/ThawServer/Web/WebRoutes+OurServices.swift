import Hummingbird
import ThawCore
import ThawStorage

/// The page where an organisation's staff keep its services' capacity and verification current.
extension WebRoutes {
    func registerOurServices(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.ourServices), use: ourServicesPage)
        web.post(RouterPath(stringLiteral: WebPath.ourServices), use: ourServicesAction)
    }

    @Sendable func ourServicesPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let actor = try context.requirePrincipal().actor
        try AccessPolicy.require(actor, anyOf: AccessPolicy.directoryRoles, to: "keeping your services")
        var search = ServiceSearch(organization: actor.organizationId)
        search.capacities = Set(Capacity.allCases)
        let services = try await store.searchServices(search).sorted { ($0.name.lowercased(), $0.id.raw) < ($1.name.lowercased(), $1.id.raw) }
        let checking = request.uri.queryParameters["check"].map(String.init)
        let view = OurServicesView(
            services: services, stale: try await scoped(context).staleServices(policyDays: configuration.directoryStaleDays),
            policyDays: configuration.directoryStaleDays, check: services.first { $0.id.raw == checking }, now: store.clock.now(),
            csrf: context.csrfToken)
        return WebPage.response(layout("Our services", context, section: "our-services", notice: notice(request)).render(view.render()))
    }

    @Sendable func ourServicesAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        guard let service = form["service"], !service.isEmpty else { throw ThawError.invalid("service", "required", "say which service") }
        switch form["action"] {
        case "capacity":
            guard let capacity = try form.choice("capacity", Capacity.self) else {
                throw ThawError.invalid("capacity", "required", "choose accepting, waitlist or closed")
            }
            var wait: Int?
            if capacity == .waitlist, let text = form["estimatedWaitDays"], !text.isEmpty {
                guard let days = Int(text) else { throw ThawError.invalid("estimatedWaitDays", "integer", "the wait is a number of days") }
                wait = days
            }
            _ = try await scoped.updateCapacity(service: ID(service), to: CapacityUpdate(capacity: capacity, estimatedWaitDays: wait))
            return WebPage.redirect(to: WebPath.ourServices, notice: "capacity-updated")
        case "verify":
            _ = try await scoped.verifyService(ID(service))
            return WebPage.redirect(to: WebPath.ourServices, notice: "service-verified")
        default:
            throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
        }
    }
}
