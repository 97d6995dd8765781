import Hummingbird
import ThawCore
import ThawStorage

/// Client pages: the list and registration, one client's page with consent
/// and screening. A rule broken in a form re-shows the same page with what
/// was typed and the message next to the field (422).
extension WebRoutes {
    @Sendable func clientList(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let clients = try await scoped(context).clients(limit: ClientListView.recent, newestFirst: true)
        let view = ClientListView(clients: clients, searched: nil, state: FormState(), csrf: context.csrfToken)
        return WebPage.response(layout("Clients", context, section: "clients", notice: notice(request)).render(view.render()))
    }

    @Sendable func clientListAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        if form["action"] == "search" {
            let clients = try await scoped.clients(nameContains: form["q"], limit: 100)
            let view = ClientListView(clients: clients, searched: form["q"] ?? "", state: FormState(), csrf: context.csrfToken)
            return WebPage.response(layout("Clients", context, section: "clients").render(view.render()))
        }
        do {
            let input = NewClient(
                givenName: form["givenName"] ?? "", familyName: form["familyName"] ?? "",
                birthDate: try form.date("birthDate"), phone: form["phone"], email: form["email"],
                address: form["address"], preferredLanguage: form["preferredLanguage"])
            let client = try await scoped.createClient(input)
            return WebPage.redirect(to: WebPath.client(client.id), notice: "client-created")
        } catch let error as ThawError {
            guard let violations = error.violations else { throw error }
            let clients = try await scoped.clients(limit: ClientListView.recent, newestFirst: true)
            let view = ClientListView(clients: clients, searched: nil, state: FormState(form: form, violations: violations), csrf: context.csrfToken)
            return WebPage.response(layout("Clients", context, section: "clients").render(view.render()), status: .unprocessableContent)
        }
    }

    @Sendable func clientPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderClient(try context.id("clientId"), request, context, failed: [:])
    }

    func renderClient(
        _ id: ID<Client>, _ request: Request, _ context: ThawRequestContext, failed: [String: FormState],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scoped = try scoped(context)
        let client = try await heldClient(id, scoped)
        async let consents = scoped.consents(client: id)
        async let screenings = scoped.screenings(client: id)
        async let needs = scoped.needs(client: id)
        async let referrals = scoped.referrals(client: id)
        async let reminders = scoped.reminderChannel(client: id)
        async let linked = scoped.linkedRecords(client: id)
        async let tasks = scoped.clientTasks(client: id)
        let linkFailure = failed["link"]?.errors.sorted { $0.key < $1.key }.first?.value
        let candidates =
            request.uri.queryParameters["find"] == "links" || linkFailure != nil ? try await scoped.linkCandidates(client: id) : nil
        let clientReferrals = try await referrals
        let page = ClientPageView(
            client: client, consents: try await consents, latestScreening: try await screenings.last,
            needs: try await needs, referrals: clientReferrals,
            organizations: try await store.organizations(), reminders: try await reminders,
            links: LinkedRecordsPanel(
                clientId: id, records: try await linked, candidates: candidates, failure: linkFailure, csrf: context.csrfToken),
            tasks: ClientTasksPanel(
                clientId: id, tasks: try await tasks,
                referrals: clientReferrals.filter { $0.referral.requesterOrganizationId == client.organizationId },
                state: failed["task"] ?? FormState(),
                csrf: context.csrfToken),
            now: store.clock.now(),
            csrf: context.csrfToken, failed: failed)
        let title = client.givenName + " " + client.familyName
        return WebPage.response(
            layout(Phrase(said: title), context, section: "clients", notice: notice(request)).render(page.render()), status: status)
    }

    @Sendable func clientAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Client> = try context.id("clientId")
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        do {
            switch action {
            case "consent":
                _ = try await scoped.recordConsent(client: id, try ConsentFields.parse(form, grantee: nil))
                return WebPage.redirect(to: WebPath.client(id), notice: "consent-recorded")
            case "revoke-consent":
                guard let consent = form["consent"] else { throw ThawError.invalid("consent", "required", "say which consent to revoke") }
                _ = try await scoped.revokeConsent(client: id, consent: ID(consent))
                return WebPage.redirect(to: WebPath.client(id), notice: "consent-revoked")
            case "screening":
                var answers: [NeedCategory: ScreeningAnswer] = [:]
                for need in NeedCategory.allCases {
                    if let answer = try form.choice("answer-" + need.rawValue, ScreeningAnswer.self) { answers[need] = answer }
                }
                _ = try await scoped.recordScreening(client: id, NewScreening(answers: answers, screenedOn: try form.date("screenedOn")))
                return WebPage.redirect(to: WebPath.client(id), notice: "screening-recorded")
            case "link":
                guard let other = form["other"] else { throw ThawError.invalid("other", "required", "say which record to link") }
                _ = try await scoped.linkClient(id, NewClientLink(clientId: ID(other), confirmed: form["confirmed"] == "yes"))
                return WebPage.redirect(to: WebPath.client(id), notice: "client-linked")
            case "unlink":
                guard let link = form["link"] else { throw ThawError.invalid("link", "required", "say which link to undo") }
                _ = try await scoped.unlinkClient(id, link: ID(link))
                return WebPage.redirect(to: WebPath.client(id), notice: "client-unlinked")
            case "reminders":
                _ = try await scoped.setReminderChannel(client: id, form["remindByEmail"] == "yes" ? .email : nil)
                return WebPage.redirect(to: WebPath.client(id), notice: "reminders-saved")
            case "task":
                let referral = form["referralId"].flatMap { $0.isEmpty ? nil : ID<Referral>($0) }
                guard let kind = try form.choice("kind", ClientTask.Kind.self) else {
                    throw ThawError.unprocessable("kind", "required", "Choose what kind of task it is")
                }
                _ = try await scoped.createClientTask(
                    client: id, NewClientTask(kind: kind, description: form["description"] ?? "", referralId: referral, dueOn: try form.date("dueOn"))
                )
                return WebPage.redirect(to: WebPath.client(id), notice: "task-created")
            case "close-task":
                guard let task = form["task"] else { throw ThawError.invalid("task", "required", "say which task") }
                guard let status = try form.choice("status", ClientTask.Status.self) else {
                    throw ThawError.unprocessable("status", "required", "say whether it was done or is no longer needed")
                }
                _ = try await scoped.closeClientTask(ID(task), ClientTaskClosing(status: status))
                return WebPage.redirect(to: WebPath.client(id), notice: "task-closed")
            case "close-need":
                guard let need = form["need"] else { throw ThawError.invalid("need", "required", "say which need to close") }
                guard let status = try form.choice("status", IdentifiedNeed.Status.self) else {
                    throw ThawError.unprocessable("status", "required", "Say why the need is closed")
                }
                _ = try await scoped.closeNeed(ID(need), NeedClosure(status: status, closedOn: try form.date("closedOn")))
                return WebPage.redirect(to: WebPath.client(id), notice: "need-closed")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        } catch let error as ThawError where error.violations != nil && action != "revoke-consent" {
            // Each need has its own closing form: the failure is shown on the one that was sent.
            let key = action == "close-need" ? "close-need-" + (form["need"] ?? "") : action
            return try await renderClient(
                id, request, context, failed: [key: FormState(form: form, violations: error.violations!)],
                status: .unprocessableContent)
        }
    }
}

extension WebRoutes {
    /// A client of the signed-in user's own organisation; a partner (who sees a
    /// client only through a referral) gets 404 for client pages.
    func heldClient(_ id: ID<Client>, _ scoped: ScopedStore) async throws -> Client {
        let view = try await scoped.client(id)
        guard view.disclosedScopes == nil else { throw ThawError.notFound("client \(id)") }
        return view.client
    }
}

extension ThawError {
    /// The broken rules of a 400 or 422, which a form shows next to its fields.
    var violations: [Violation]? {
        switch self {
        case .invalid(let v), .unprocessable(let v): return v
        default: return nil
        }
    }
}
