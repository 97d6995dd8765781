import Hummingbird
import ThawCore
import ThawStorage

/// The partnership pages: the overview and its forms (conversations, signals,
/// outside events). Committees, consultations, commitments, threads and
/// timelines have pages of their own (WebRoutes+PartnershipPages.swift).
extension WebRoutes {
    func registerPartnership(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.partnership), use: partnershipPage)
        web.post(RouterPath(stringLiteral: WebPath.partnership), use: partnershipAction)
        web.get(RouterPath(stringLiteral: WebPath.newCommittee), use: newCommitteePage)
        web.post(RouterPath(stringLiteral: WebPath.newCommittee), use: newCommitteeAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.committee), use: committeePage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.committee), use: committeeAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.committeeTimeline), use: committeeTimelinePage)
        web.get(RouterPath(stringLiteral: WebPath.newConsultation), use: newConsultationPage)
        web.post(RouterPath(stringLiteral: WebPath.newConsultation), use: newConsultationAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.consultation), use: consultationPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.consultation), use: consultationAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.consultationExport), use: consultationExport)
        web.get(RouterPath(stringLiteral: WebPath.commitments), use: commitmentsPage)
        web.post(RouterPath(stringLiteral: WebPath.commitments), use: commitmentsAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.thread), use: threadPage)
        web.post(RouterPath(stringLiteral: WebPath.Pattern.thread), use: threadAction)
        web.get(RouterPath(stringLiteral: WebPath.Pattern.pairTimeline), use: pairTimelinePage)
    }

    @Sendable func partnershipPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderPartnership(context, notice: notice(request))
    }

    func renderPartnership(
        _ context: ThawRequestContext, notice: Layout.Notice? = nil, failed: (action: String, state: FormState)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let scoped = store.scoped(to: principal.actor)
        let view = PartnershipOverviewView(
            me: principal.organization, committees: try await scoped.committees(), consultations: try await scoped.consultations(),
            commitments: try await scoped.commitments(), signals: try await scoped.signals(),
            policyMoves: try await scoped.policyMoves(), threads: try await scoped.threads(),
            funding: try await scoped.funding(), events: try await scoped.events(),
            roles: try await scoped.roles(organization: principal.organization.id),
            organizations: try await store.organizations(),
            today: Viewer.calendar.day(of: store.clock.now()), csrf: context.csrfToken, failed: failed)
        return WebPage.response(layout("Partnership", context, section: "partnership", notice: notice).render(view.render()), status: status)
    }

    @Sendable func partnershipAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        return try await formAction(
            action, form,
            render: { failed, notice, status in
                try await self.renderPartnership(context, notice: notice, failed: failed, status: status)
            }
        ) {
            switch action {
            case "thread":
                var v = Validator()
                v.requireText(form["participantEmail"], "participantEmail", maxLength: 200)
                try v.check()
                guard let email = form["participantEmail"], let person = try await store.user(email: email) else {
                    throw ThawError.unprocessable("participantEmail", "exists", "No one with that email uses Thaw")
                }
                let thread = try await scoped.startThread(subject: form["subject"] ?? "", with: [person.id], message: form.all("message").first ?? "")
                return WebPage.redirect(to: WebPath.thread(thread.id))
            case "signal":
                let input = NewSignal(
                    kind: try form.choice("kind", Signal.Kind.self) ?? .other, description: form["description"] ?? "",
                    madeOn: try required(form.date("madeOn"), "madeOn", "Say when it was done"),
                    addressedToOrganizationIds: form.all("addressedTo").map { ID($0) })
                _ = try await scoped.sendSignal(input)
                return WebPage.redirect(to: WebPath.partnership, notice: "signal-recorded")
            case "policy":
                let me = scoped.actor.organizationId
                let madeBy: ID<Organization> = form["madeBy"].map { ID($0) } ?? me
                let input = NewPolicyMove(
                    kind: try form.choice("kind", PolicyMove.Kind.self) ?? .policyChange, title: form["title"] ?? "",
                    summary: form["summary"] ?? "",
                    effectiveOn: try required(form.date("effectiveOn"), "effectiveOn", "Give the day it takes effect"),
                    announcedOn: try form.date("announcedOn"), noticeDays: try form.integer("noticeDays"), madeByOrganizationId: madeBy,
                    affectedOrganizationIds: madeBy == me ? form.all("affected").map { ID($0) } : nil)
                _ = try await scoped.recordPolicyMove(input)
                return WebPage.redirect(to: WebPath.partnership, notice: "policy-recorded")
            case "acknowledge":
                guard let signal = form["signal"] else { throw ThawError.invalid("signal", "required", "say which signal") }
                _ = try await scoped.acknowledgeSignal(ID(signal), note: form["note"])
                return WebPage.redirect(to: WebPath.partnership, notice: "signal-acknowledged")
            case "event":
                let input = NewOutsideEvent(
                    kind: try form.choice("kind", OutsideEvent.Kind.self) ?? .other, title: form["title"] ?? "",
                    description: form["description"] ?? "",
                    occurredOn: try required(form.date("occurredOn"), "occurredOn", "Give the date"),
                    affectedOrganizationIds: form.all("affected").map { ID($0) })
                _ = try await scoped.recordEvent(input)
                return WebPage.redirect(to: WebPath.partnership, notice: "event-recorded")
            case "role":
                let flags = Set(form.all("flags"))
                let input = NewRoleHolding(
                    title: form["title"] ?? "", holderName: form["holderName"] ?? "", singleHolder: flags.contains("single"),
                    leadership: flags.contains("leadership"),
                    startsOn: try required(form.date("startsOn"), "startsOn", "Give the date the term starts"),
                    endsOn: try form.date("endsOn"))
                _ = try await scoped.recordRole(input)
                return WebPage.redirect(to: WebPath.partnership, notice: "role-recorded")
            case "end-role":
                _ = try await scoped.endRole(
                    ID(form["role"] ?? ""), endsOn: try required(form.date("endsOn"), "endsOn", "Give the date the term ends"))
                return WebPage.redirect(to: WebPath.partnership, notice: "role-recorded")
            case "funding":
                guard let amount = form["amount"].flatMap({ Int64($0.replacingOccurrences(of: ",", with: "")) }), amount <= Int64.max / 100 else {
                    throw ThawError.unprocessable("amount", "number", "The amount is a whole number, e.g. 480000")
                }
                let me = scoped.actor.organizationId
                let input = NewFundingAgreement(
                    title: form["title"] ?? "", purpose: form["purpose"] ?? "", amountCents: amount * 100,
                    currency: form["currency"], partyOrganizationIds: [me] + form.all("parties").map { ID($0) },
                    startsOn: try required(form.date("startsOn"), "startsOn", "Give the start of the term"),
                    endsOn: try required(form.date("endsOn"), "endsOn", "Give the end of the term"))
                _ = try await scoped.recordFunding(input)
                return WebPage.redirect(to: WebPath.partnership, notice: "funding-recorded")
            case "renewal":
                let renewal = try required(try form.choice("renewal", FundingAgreement.Renewal.self), "renewal", "Choose the renewal status")
                _ = try await scoped.setRenewal(ID(form["agreement"] ?? ""), renewal, expectedVersion: try form.version())
                return WebPage.redirect(to: WebPath.partnership, notice: "funding-recorded")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        }
    }

    /// A value a form must carry, or the rule it breaks, named for its field.
    func required<T>(_ value: T?, _ field: String, _ message: String) throws -> T {
        guard let value else { throw ThawError.unprocessable(field, "required", message) }
        return value
    }
}
