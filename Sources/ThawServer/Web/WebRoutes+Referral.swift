import Hummingbird
import ThawCore
import ThawStorage

/// The referral page and its forms. Every form carries the version it was
/// rendered from; if the referral changed since, nothing is written and the
/// page is shown again as it now stands (412), with the typed text kept.
extension WebRoutes {
    @Sendable func referralPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderReferral(try context.id("referralId"), context, notice: notice(request))
    }

    func renderReferral(
        _ id: ID<Referral>, _ context: ThawRequestContext, notice: Layout.Notice? = nil,
        failed: (action: String, state: FormState)? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let scoped = try scoped(context)
        let detail = try await scoped.referral(id)
        var messages = try await scoped.messages(referral: id)
        // Opening the page is reading the messages: receipts for the other side's unread ones.
        for (index, message) in messages.enumerated() where message.side != detail.side && message.readAt == nil {
            messages[index] = try await scoped.markRead(referral: id, message: message.id)
        }
        let timeline = try await scoped.timeline(referral: id)
        let organizations = try await store.organizations()
        let names = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) })
        var followUp: FollowUpPanel?
        // The follow-up log is kept by the organisation holding the client (not a partner that referred it on).
        if detail.isHoldersOwnReferral {
            let needs = try await scoped.needs(client: detail.referral.clientId)
            followUp = FollowUpPanel(
                referral: detail.referral, log: try await scoped.followUps(referral: id),
                openNeeds: needs.filter { $0.isOpen && ScopedStore.isFor(detail.referral, $0) },
                experience: try await scoped.clientExperience(referral: id), now: store.clock.now(),
                csrf: context.csrfToken, failed: failed)
        }
        let view = ReferralPageView(
            detail: detail, messages: messages, timeline: timeline, organizationNames: names,
            viewer: scoped.actor, followUp: followUp,
            onward: OnwardReferralPanel(
                detail: detail, chain: try await scoped.referralChain(id), organizations: organizations, viewer: scoped.actor,
                csrf: context.csrfToken, failed: failed),
            appointments: AppointmentsPanel(
                detail: detail, appointments: try await scoped.appointments(referral: id), now: store.clock.now(), csrf: context.csrfToken,
                failed: failed),
            now: store.clock.now(), csrf: context.csrfToken, failed: failed)
        let section = detail.side == .requester ? "caseload" : "inbox"
        var page = layout("Referral", context, section: section, live: true, notice: notice)
        page.liveReferral = id
        return WebPage.response(page.render(view.render()), status: status)
    }

    @Sendable func referralAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Referral> = try context.id("referralId")
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        do {
            switch action {
            case "message":
                _ = try await scoped.sendMessage(referral: id, body: form.all("body").first ?? "")
                return WebPage.redirect(to: WebPath.referral(id), notice: "message-sent")
            case "follow-up":
                guard let result = try form.choice("result", FollowUp.Result.self) else {
                    throw ThawError.unprocessable("result", "required", "Say what came of the follow-up")
                }
                let input = NewFollowUp(
                    happenedAt: try form.localDateTime("happenedAt"), method: try form.choice("method", FollowUp.Method.self) ?? .phone,
                    party: try form.choice("party", FollowUp.Party.self) ?? .client, result: result, note: form["note"],
                    nextFollowUpDue: try form.date("nextFollowUpDue").map(Viewer.calendar.endOfDay))
                _ = try await scoped.recordFollowUp(referral: id, input)
                return WebPage.redirect(to: WebPath.referral(id), notice: "follow-up-recorded")
            case "follow-up-date":
                guard let day = try form.date("followUpDue") else {
                    throw ThawError.unprocessable("followUpDue", "required", "Choose the day to follow up")
                }
                _ = try await scoped.updateReferral(
                    id, ReferralUpdate(followUpDue: Viewer.calendar.endOfDay(day)), expectedVersion: try form.version())
                return WebPage.redirect(to: WebPath.referral(id), notice: "referral-updated")
            case "refer-onward":
                let child = try await referOnward(from: id, form, scoped)
                metrics.recordTransition(to: child.status.rawValue)
                return WebPage.redirect(to: WebPath.referral(child.id), notice: "referral-sent")
            case "appointment":
                var v = Validator()
                let at = try form.localDateTime("at")
                v.require(at != nil, "at", "required", "Give the day and time of the appointment")
                v.requireText(form["place"], "place", maxLength: 200)
                try v.check()
                guard let at, let place = form["place"] else { throw ThawError.unprocessable("at", "required", "Give the day and time") }
                _ = try await scoped.recordAppointment(referral: id, NewAppointment(at: at, place: place))
                return WebPage.redirect(to: WebPath.referral(id), notice: "appointment-booked")
            case "experience":
                var v = Validator()
                let easy = try form.choice("easy", ClientExperience.Answer.self)
                let met = try form.choice("needMet", ClientExperience.Answer.self)
                let again = try form.choice("wouldUseAgain", ClientExperience.Answer.self)
                for (name, answer) in [("easy", easy), ("needMet", met), ("wouldUseAgain", again)] {
                    v.require(answer != nil, name, "required", "Choose the client's answer")
                }
                try v.check()
                guard let easy, let met, let again else { throw ThawError.unprocessable("easy", "required", "Choose the client's answer") }
                _ = try await scoped.recordClientExperience(
                    referral: id, NewClientExperience(easy: easy, needMet: met, wouldUseAgain: again, comment: form["comment"]))
                return WebPage.redirect(to: WebPath.referral(id), notice: "experience-recorded")
            case "close-needs":
                let chosen = form.all("needIds").filter { !$0.isEmpty }
                guard !chosen.isEmpty else { throw ThawError.unprocessable("needIds", "required", "Tick the needs to close") }
                for need in chosen {
                    _ = try await scoped.closeNeed(ID(need), NeedClosure(status: .met, referralId: id))
                }
                return WebPage.redirect(to: WebPath.referral(id), notice: "needs-closed")
            case "business-status":
                guard let step = try form.choice("businessStatus", BusinessStatus.self) else {
                    throw ThawError.unprocessable("businessStatus", "required", "Choose the step to report")
                }
                _ = try await scoped.setBusinessStatus(id, step, expectedVersion: try form.version())
                return WebPage.redirect(to: WebPath.referral(id), notice: "referral-updated")
            case _ where action.hasPrefix("status-"):
                guard let status = try form.choice("status", TaskStatus.self) else {
                    throw ThawError.invalid("status", "required", "say which status to set")
                }
                var outcome: ReferralOutcome?
                if status == .completed {
                    let code = try form.choice("outcomeCode", ReferralOutcome.Code.self)
                    var v = Validator()
                    v.require(code != nil, "outcomeCode", "required", "Choose the outcome")
                    v.requireText(form["outcomeSummary"], "outcome.summary")
                    guard v.violations.isEmpty, let code, let summary = form["outcomeSummary"] else {
                        throw ThawError.unprocessable(
                            v.violations.map {
                                $0.field == "outcome.summary"
                                    ? Violation(field: $0.field, rule: $0.rule, message: "Say what happened for the client") : $0
                            })
                    }
                    outcome = ReferralOutcome(code: code, summary: summary)
                }
                let reasonCode = status == .rejected ? try form.choice("reasonCode", DeclineReason.self) : nil
                if status == .rejected, reasonCode == nil {
                    var v = Validator()
                    v.require(false, "reasonCode", "required", "Choose why you are declining")
                    v.requireText(form["reason"], "reason")
                    try v.check()
                }
                let referral = try await scoped.changeStatus(
                    id, StatusChange(status: status, reason: form["reason"], reasonCode: reasonCode, outcome: outcome),
                    expectedVersion: try form.version())
                metrics.recordTransition(to: referral.status.rawValue)
                // Declined for want of room: straight to the service's capacity, while it is in mind.
                if reasonCode == .noCapacity, let service = referral.serviceId,
                    try context.requirePrincipal().actor.hasAny(AccessPolicy.directoryRoles)
                {
                    return WebPage.redirect(to: WebPath.ourServices + "?check=" + service.raw, notice: "referral-updated")
                }
                return WebPage.redirect(to: WebPath.referral(id), notice: "referral-updated")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        } catch let error as ThawError {
            switch error {
            case .invalid(let v), .unprocessable(let v):
                let friendly = v.map {
                    $0.field == "reason" && $0.rule == "required"
                        ? Violation(field: "reason", rule: "required", message: "Give a reason; the other organisation will see it") : $0
                }
                return try await renderReferral(
                    id, context, failed: (action, FormState(form: form, violations: friendly)),
                    status: .unprocessableContent)
            case .preconditionFailed, .preconditionRequired:
                return try await renderReferral(
                    id, context,
                    notice: .init(
                        kind: .warning,
                        text:
                            "Someone changed this referral while you had it open, so nothing was saved. Here it is as it stands now; what you typed is kept below."
                    ),
                    failed: (action, FormState(form: form)), status: .preconditionFailed)
            case .conflict(_, let message, _):
                return try await renderReferral(
                    id, context,
                    notice: .init(kind: .error, text: Phrase(said: say("That could not be done: %1. Nothing was changed.", sayIfKnown(message)))),
                    status: .conflict)
            default:
                throw error
            }
        }
    }

    /// The onward referral a partner sends from the referral page, with the consent the client gave
    /// for it (the partner's own scopes, to the organisation chosen) recorded with it.
    private func referOnward(from id: ID<Referral>, _ form: WebForm, _ scoped: ScopedStore) async throws -> Referral {
        var v = Validator()
        v.require(form["organizationId"] != nil, "organizationId", "required", "Choose who to refer to")
        let need = try form.choice("needCategory", NeedCategory.self)
        v.require(need != nil, "needCategory", "required", "Choose what the referral is for")
        try v.check()
        guard let target = form["organizationId"], let need else {
            throw ThawError.unprocessable("organizationId", "required", "Choose who to refer to")
        }
        let detail = try await scoped.referral(id)
        let organization: ID<Organization> = ID(target)
        var consent: NewConsent?
        if organization != detail.client.organizationId, form["consent"] == "yes" {
            consent = NewConsent(
                grantee: .organization(organization), scopes: detail.disclosedScopes ?? Set(ConsentScope.allCases), purpose: .referral)
        }
        return try await scoped.referOnward(
            NewReferral(
                clientId: detail.referral.clientId, organizationId: organization, needCategory: need, note: form["note"],
                partOfReferralId: id),
            recordingConsent: consent)
    }

    /// The summary a navigator prints for the client, in the client's language unless asked for the other.
    @Sendable func clientSummary(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Referral> = try context.id("referralId")
        let principal = try context.requirePrincipal()
        let scoped = try scoped(context)
        let detail = try await scoped.referral(id)
        // Only the organisation holding the client's record speaks to the client about it.
        guard detail.isHoldersOwnReferral else { throw ThawError.notFound("referral \(id)") }
        let asked = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }.flatMap {
            Language.offered.contains($0) ? $0 : nil
        }
        let view = ClientSummaryView(
            detail: detail, appointments: try await scoped.appointments(referral: id),
            tasks: try await scoped.clientTasks(client: detail.referral.clientId).filter {
                $0.status == .requested && ($0.referralId == nil || $0.referralId == id)
            },
            reminders: try await scoped.reminderChannel(client: detail.referral.clientId) != nil,
            navigatorName: principal.user.displayName,
            language: asked ?? Language(preferred: detail.client.preferredLanguage), now: store.clock.now())
        return WebPage.response(layout("Referral summary", context, section: "caseload").render(view.render()))
    }
}
