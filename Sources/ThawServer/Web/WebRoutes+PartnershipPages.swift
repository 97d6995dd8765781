import Hummingbird
import ThawCore
import ThawStorage

/// Committees, consultations, commitments, threads and timelines as pages.
/// Each form re-shows its page with the typed text and the broken rule (422),
/// a conflict (already voted, unanswered items) as a notice (409).
extension WebRoutes {
    func organizationNames() async throws -> [ID<Organization>: String] {
        Dictionary(uniqueKeysWithValues: try await store.organizations().map { ($0.id, $0.name) })
    }

    /// Runs a form action; a broken rule or a conflict re-renders the page instead of an error page.
    func formAction(
        _ action: String, _ form: WebForm,
        render: @escaping ((action: String, state: FormState)?, Layout.Notice?, HTTPResponse.Status) async throws -> Response,
        _ body: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await body()
        } catch let error as ThawError {
            var state = FormState(form: form, violations: error.violations ?? [])
            switch error {
            case .invalid, .unprocessable:
                return try await render((action, state), nil, .unprocessableContent)
            case .conflict(_, let message, _), .forbidden(let message, _):
                state.errors["action"] = message
                return try await render(
                    (action, state), .init(kind: .error, text: Phrase(said: say("%1. Nothing was changed.", sayIfKnown(message)))),
                    error.isConflict ? .conflict : .forbidden)
            case .preconditionFailed(let message):
                return try await render(
                    (action, state),
                    .init(kind: .warning, text: Phrase(said: say("%1. Nothing was saved; here it is as it stands now.", sayIfKnown(message)))),
                    .preconditionFailed)
            default:
                throw error
            }
        }
    }

    // MARK: committees

    @Sendable func newCommitteePage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderNewCommittee(context, FormState(), .ok)
    }
    private func renderNewCommittee(_ context: ThawRequestContext, _ state: FormState, _ status: HTTPResponse.Status) async throws -> Response {
        let principal = try context.requirePrincipal()
        let view = NewCommitteeView(me: principal.organization, organizations: try await store.organizations(), state: state, csrf: context.csrfToken)
        return WebPage.response(layout("Set up a committee", context, section: "partnership").render(view.render()), status: status)
    }
    @Sendable func newCommitteeAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        return try await formAction(
            "create", form,
            render: { failed, _, status in
                try await self.renderNewCommittee(context, failed?.state ?? FormState(), status)
            }
        ) {
            guard let quorum = form["quorum"].flatMap(Int.init) else { throw ThawError.unprocessable("quorum", "number", "Quorum is a whole number") }
            let input = NewCommittee(
                name: form["name"] ?? "", purpose: form["purpose"] ?? "",
                decisionRule: try form.choice("decisionRule", DecisionRule.self) ?? .consensus, quorum: quorum,
                memberOrganizationIds: form.all("members").map { ID($0) })
            let committee = try await scoped(context).createCommittee(input)
            return WebPage.redirect(to: WebPath.committee(committee.id), notice: "committee-created")
        }
    }

    @Sendable func committeePage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderCommittee(try context.id("committeeId"), context, failed: nil, notice: notice(request), status: .ok)
    }
    private func renderCommittee(
        _ id: ID<Committee>, _ context: ThawRequestContext, failed: (action: String, state: FormState)?,
        notice: Layout.Notice?, status: HTTPResponse.Status
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let scoped = store.scoped(to: principal.actor)
        let (committee, members) = try await scoped.committee(id)
        let orgNames = Dictionary(uniqueKeysWithValues: members.map { ($0.organizationId, $0.organizationName) })
        var people: [ID<User>: String] = [:]
        for user in try await scoped.committeePeople(id) { people[user.id] = "\(user.displayName) (\(orgNames[user.organizationId] ?? ""))" }
        let view = CommitteeView(
            committee: committee, members: members, meetings: try await scoped.meetings(id), decisions: try await scoped.decisions(id),
            failedMotions: try await scoped.failedMotions(), me: principal.organization, people: people, csrf: context.csrfToken, failed: failed)
        return WebPage.response(
            layout(Phrase(said: committee.name), context, section: "partnership", notice: notice).render(view.render()), status: status)
    }
    @Sendable func committeeAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Committee> = try context.id("committeeId")
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        return try await formAction(
            action, form,
            render: { failed, notice, status in
                try await self.renderCommittee(id, context, failed: failed, notice: notice, status: status)
            }
        ) {
            switch action {
            case "motion":
                let revives = form["revives"].flatMap { $0.isEmpty ? nil : ID<Decision>($0) }
                _ = try await scoped.proposeDecision(id, motion: form["motion"] ?? "", revives: revives)
                return WebPage.redirect(to: WebPath.committee(id), notice: "motion-put")
            case "vote":
                let choice = try required(try form.choice("choice", VoteChoice.self), "choice", "Choose approve, reject or abstain")
                _ = try await scoped.vote(ID(form["decision"] ?? ""), choice)
                return WebPage.redirect(to: WebPath.committee(id), notice: "voted")
            case "close":
                _ = try await scoped.closeDecision(ID(form["decision"] ?? ""))
                return WebPage.redirect(to: WebPath.committee(id), notice: "decided")
            case "meeting":
                let heldOn = try required(try form.date("heldOn"), "heldOn", "Give the date of the meeting")
                let agenda = (form.all("agenda").first ?? "").split(whereSeparator: \.isNewline).map(String.init).filter {
                    !$0.trimmingWhitespace.isEmpty
                }
                _ = try await scoped.recordMeeting(
                    id, heldAt: Viewer.calendar.localMoment(heldOn, secondsIntoDay: 12 * 3600), agenda: agenda,
                    minutes: form["minutes"], attendees: form.all("attendeeIds").map { ID($0) })
                return WebPage.redirect(to: WebPath.committee(id), notice: "meeting-recorded")
            case "leave":
                _ = try await scoped.leaveCommittee(id, reason: form["reason"] ?? "", walkOut: form["walkOut"] == "yes")
                return WebPage.redirect(to: WebPath.committee(id), notice: "left-committee")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        }
    }

    @Sendable func committeeTimelinePage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Committee> = try context.id("committeeId")
        let scoped = try scoped(context)
        let (committee, _) = try await scoped.committee(id)
        let view = TimelineView(
            title: Phrase(said: say("Timeline: %1", committee.name)), back: (WebPath.committee(id), Phrase(said: committee.name)),
            items: try await scoped.committeeTimeline(id), names: try await organizationNames(),
            annotations: try await scoped.researchAnnotations(committee: id))
        return WebPage.response(layout("Timeline", context, section: "partnership").render(view.render()))
    }

    @Sendable func pairTimelinePage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let other: ID<Organization> = try context.id("organizationId")
        let names = try await organizationNames()
        guard let otherName = names[other] else { throw ThawError.notFound("organisation \(other)") }
        let items = try await store.scoped(to: principal.actor).pairTimeline(
            principal.organization.id, other, from: try CalendarDate.dayOrMonth(request.uri.queryParameters.get("from"), field: "from"),
            to: try CalendarDate.dayOrMonth(request.uri.queryParameters.get("to"), field: "to"))
        let view = TimelineView(
            title: Phrase(said: say("%1 and %2", principal.organization.name, otherName)), back: (WebPath.partnership, "Partnership"),
            items: items, names: names,
            annotations: try await store.scoped(to: principal.actor).researchAnnotations(pair: (principal.organization.id, other)))
        return WebPage.response(layout("Timeline", context, section: "partnership").render(view.render()))
    }

    // MARK: consultations

    @Sendable func newConsultationPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderNewConsultation(context, FormState(), .ok)
    }
    private func renderNewConsultation(_ context: ThawRequestContext, _ state: FormState, _ status: HTTPResponse.Status) async throws -> Response {
        let view = NewConsultationView(
            me: try context.requirePrincipal().organization, organizations: try await store.organizations(),
            state: state, csrf: context.csrfToken)
        return WebPage.response(layout("Consult partners", context, section: "partnership").render(view.render()), status: status)
    }
    @Sendable func newConsultationAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        return try await formAction(
            "create", form,
            render: { failed, _, status in
                try await self.renderNewConsultation(context, failed?.state ?? FormState(), status)
            }
        ) {
            let input = NewConsultation(
                title: form["title"] ?? "", proposal: form["proposal"] ?? "",
                invitedOrganizationIds: form.all("invited").map { ID($0) },
                deadline: try required(try form.date("deadline"), "deadline", "Give the date feedback is due"))
            let consultation = try await scoped(context).createConsultation(input)
            return WebPage.redirect(to: WebPath.consultation(consultation.id), notice: "consultation-created")
        }
    }

    @Sendable func consultationPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderConsultation(try context.id("consultationId"), context, failed: nil, notice: notice(request), status: .ok)
    }
    private func renderConsultation(
        _ id: ID<Consultation>, _ context: ThawRequestContext, failed: (action: String, state: FormState)?,
        notice: Layout.Notice?, status: HTTPResponse.Status
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (consultation, items) = try await store.scoped(to: principal.actor).consultation(id)
        let view = ConsultationView(
            consultation: consultation, items: items, me: principal.organization, names: try await organizationNames(),
            today: Viewer.calendar.day(of: store.clock.now()), csrf: context.csrfToken, failed: failed)
        return WebPage.response(
            layout(Phrase(said: consultation.title), context, section: "partnership", notice: notice).render(view.render()), status: status)
    }
    @Sendable func consultationAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<Consultation> = try context.id("consultationId")
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        let failedAction = action == "answer" ? "answer-" + (form["item"] ?? "") : action
        return try await formAction(
            failedAction, form,
            render: { failed, notice, status in
                try await self.renderConsultation(id, context, failed: failed, notice: notice, status: status)
            }
        ) {
            switch action {
            case "feedback":
                _ = try await scoped.addFeedback(id, text: form.all("text").first ?? "")
                return WebPage.redirect(to: WebPath.consultation(id), notice: "feedback-added")
            case "answer":
                let response = try required(
                    try form.choice("response", FeedbackItem.Response.self), "response", "Choose adopted, adapted or not adopted")
                _ = try await scoped.respond(id, item: ID(form["item"] ?? ""), response, text: form.all("text").first ?? "")
                return WebPage.redirect(to: WebPath.consultation(id), notice: "answered")
            case "close":
                _ = try await scoped.closeConsultation(id)
                return WebPage.redirect(to: WebPath.consultation(id), notice: "consultation-closed")
            default:
                throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
        }
    }

    @Sendable func consultationExport(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let (consultation, items) = try await scoped(context).consultation(try context.id("consultationId"))
        return Self.csv(ConsultationView.csv(consultation, items, names: try await organizationNames()), filename: "you-said-we-did.csv")
    }

    // MARK: commitments and threads

    @Sendable func commitmentsPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderCommitments(context, failed: nil, notice: notice(request), status: .ok)
    }
    private func renderCommitments(
        _ context: ThawRequestContext, failed: (action: String, state: FormState)?, notice: Layout.Notice?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let view = CommitmentsView(
            commitments: try await store.scoped(to: principal.actor).commitments(), me: principal.organization,
            organizations: try await store.organizations(), csrf: context.csrfToken, failed: failed)
        return WebPage.response(layout("Commitments", context, section: "partnership", notice: notice).render(view.render()), status: status)
    }
    @Sendable func commitmentsAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        let action = form["action"] ?? ""
        return try await formAction(
            action, form,
            render: { failed, notice, status in
                try await self.renderCommitments(context, failed: failed, notice: notice, status: status)
            }
        ) {
            if action == "create" {
                let to: ID<Organization> = ID(try required(form["to"], "to", "Choose the organisation the promise was made to"))
                let also = form.all("alsoTo").map { ID<Organization>($0) }.filter { $0 != to }
                let input = NewCommitment(
                    toOrganizationId: to, alsoToOrganizationIds: also.isEmpty ? nil : also,
                    what: form["what"] ?? "", context: try form.choice("context", Commitment.Context.self) ?? .other,
                    dueOn: try required(try form.date("dueOn"), "dueOn", "Give the due date"))
                _ = try await scoped.createCommitments(input)
                return WebPage.redirect(to: WebPath.commitments, notice: "commitment-recorded")
            }
            let change: CommitmentChange
            switch action {
            case "keep": change = .keep(evidence: form["evidence"] ?? "")
            case "renegotiate":
                change = .renegotiate(newDueOn: try required(try form.date("dueOn"), "dueOn", "Give the new due date"), reason: form["reason"] ?? "")
            case "withdraw": change = .withdraw(reason: form["reason"] ?? "")
            case "confirm": change = .confirm(note: form["note"].flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 })
            case "dispute": change = .dispute(reason: form["reason"] ?? "")
            case "agree": change = .agree
            case "decline": change = .decline(reason: form["reason"] ?? "")
            default: throw ThawError.invalid("action", "enum", "this form's action is not one Thaw knows")
            }
            _ = try await scoped.changeCommitment(ID(form["commitment"] ?? ""), change, expectedVersion: try form.version())
            return WebPage.redirect(to: WebPath.commitments, notice: "commitment-updated")
        }
    }

    @Sendable func threadPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await renderThread(try context.id("threadId"), context, FormState(), .ok)
    }
    private func renderThread(_ id: ID<DiscussionThread>, _ context: ThawRequestContext, _ state: FormState, _ status: HTTPResponse.Status)
        async throws -> Response
    {
        let principal = try context.requirePrincipal()
        let (thread, messages) = try await store.scoped(to: principal.actor).thread(id)
        let view = ThreadView(
            thread: thread, messages: messages, me: principal.user.id, names: try await organizationNames(), state: state, csrf: context.csrfToken)
        return WebPage.response(layout(Phrase(said: thread.subject), context, section: "partnership").render(view.render()), status: status)
    }
    @Sendable func threadAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let id: ID<DiscussionThread> = try context.id("threadId")
        let form = try await form(request, context)
        return try await formAction(
            "reply", form,
            render: { failed, _, status in
                try await self.renderThread(id, context, failed?.state ?? FormState(), status)
            }
        ) {
            _ = try await scoped(context).postToThread(id, body: form.all("body").first ?? "")
            return WebPage.redirect(to: WebPath.thread(id))
        }
    }
}

extension ThawError {
    var isConflict: Bool { if case .conflict = self { return true } else { return false } }
}
