import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct BusinessStatusChange: Codable { var businessStatus: BusinessStatus }
struct NewMessage: Codable { var body: String }

/// The referral workflow over HTTP: create (idempotent), read, move through
/// statuses with If-Match, claim, business steps, messages, the timeline and
/// the worklists.
struct ReferralRoutes: APIRouteGroup {
    let store: ThawStore
    let metrics: ThawMetrics
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .post, "referrals", id: "createReferral", tag: "referrals", summary: "Send (or draft) a referral", body: NewReferral.self,
                success: 201, answer: .one(Referral.self), idempotent: true),
            use: create)
        routes.add(
            .init(
                .get, "referrals", id: "worklist", tag: "referrals", summary: "Caseload or inbox",
                query: ["view", "filter", "status", "mine", "sort", "limit", "cursor"], answer: .list(WorklistItem.self)),
            use: worklist)
        routes.add(
            .init(
                .get, "referrals/open", id: "openReferrals", tag: "referrals", summary: "Open referrals my organisation could claim",
                answer: .list(OpenReferralSummary.self)),
            use: openReferrals)
        routes.add(
            .init(
                .get, "referrals/:referralId", id: "getReferral", tag: "referrals", summary: "A referral with what I may do next",
                answer: .one(ReferralDetail.self)),
            use: get)
        routes.add(
            .init(
                .patch, "referrals/:referralId", id: "updateReferral", tag: "referrals", summary: "Change priority, follow-up date or note",
                body: ReferralUpdate.self, answer: .one(Referral.self), ifMatch: true),
            use: update)
        routes.add(
            .init(
                .post, "referrals/:referralId/status", id: "changeReferralStatus", tag: "referrals", summary: "Move the referral to a new status",
                body: StatusChange.self, answer: .one(Referral.self), ifMatch: true),
            use: changeStatus)
        routes.add(
            .init(
                .post, "referrals/:referralId/claim", id: "claimReferral", tag: "referrals", summary: "Claim an open referral",
                answer: .one(Referral.self), conflicts: true),
            use: claim)
        routes.add(
            .init(
                .post, "referrals/:referralId/business-status", id: "setBusinessStatus", tag: "referrals", summary: "Report a business step",
                body: BusinessStatusChange.self, answer: .one(Referral.self), ifMatch: true),
            use: businessStatus)
        routes.add(
            .init(
                .get, "referrals/:referralId/messages", id: "listMessages", tag: "referrals", summary: "Messages on a referral",
                answer: .list(ReferralMessage.self)),
            use: messages)
        routes.add(
            .init(
                .post, "referrals/:referralId/messages", id: "sendMessage", tag: "referrals", summary: "Send a message", body: NewMessage.self,
                success: 201, answer: .one(ReferralMessage.self), conflicts: true),
            use: sendMessage)
        routes.add(
            .init(
                .post, "referrals/:referralId/messages/:messageId/read", id: "markMessageRead", tag: "referrals", summary: "Record a read receipt",
                answer: .one(ReferralMessage.self)),
            use: markRead)
        routes.add(
            .init(
                .get, "referrals/:referralId/follow-ups", id: "listFollowUps", tag: "referrals",
                summary: "The referring organisation's follow-up log", answer: .list(FollowUp.self)),
            use: followUps)
        routes.add(
            .init(
                .post, "referrals/:referralId/follow-ups", id: "recordFollowUp", tag: "referrals",
                summary: "Record a follow-up with the client or partner, and the next follow-up date", body: NewFollowUp.self,
                success: 201, answer: .one(FollowUp.self), conflicts: true),
            use: recordFollowUp)
        routes.add(
            .init(
                .get, "referrals/:referralId/appointments", id: "listAppointments", tag: "referrals",
                summary: "Appointments booked on a referral", answer: .list(Appointment.self)),
            use: appointments)
        routes.add(
            .init(
                .post, "referrals/:referralId/appointments", id: "bookAppointment", tag: "referrals",
                summary: "The partner books an appointment (a reminder goes to the client where they agreed)", body: NewAppointment.self,
                success: 201, answer: .one(Appointment.self), conflicts: true),
            use: bookAppointment)
        routes.add(
            .init(
                .get, "referrals/:referralId/experience", id: "getClientExperience", tag: "referrals",
                summary: "The client's own view of the referral, once asked", answer: .one(ClientExperience.self)),
            use: clientExperience)
        routes.add(
            .init(
                .post, "referrals/:referralId/experience", id: "recordClientExperience", tag: "referrals",
                summary: "Record the client's view of a closed referral (three questions)", body: NewClientExperience.self,
                success: 201, answer: .one(ClientExperience.self), conflicts: true),
            use: recordClientExperience)
        routes.add(
            .init(
                .get, "referrals/:referralId/chain", id: "referralChain", tag: "referrals",
                summary: "The referral it was made from and every referral made onward (Task.partOf)", answer: .list(ReferralLink.self)),
            use: chain)
        routes.add(
            .init(
                .post, "referrals/:referralId/consents", id: "recordOnwardConsent", tag: "referrals",
                summary: "A partner records the client's consent to refer them onward to one organisation", body: NewConsent.self,
                success: 201, answer: .one(Consent.self)),
            use: recordOnwardConsent)
        routes.add(
            .init(
                .get, "referrals/:referralId/timeline", id: "referralTimeline", tag: "referrals",
                summary: "The referral's history from the activity ledger", answer: .list(ActivityEntry.self)),
            use: timeline)
    }

    private func withETag(_ referral: Referral, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> EditedResponse<Referral> {
        var headers = extra
        headers[.eTag] = referral.etag
        headers[.location] = "/api/v1/referrals/\(referral.id.raw)"
        return EditedResponse(status: status, headers: headers, response: referral)
    }

    @Sendable func create(_ request: Request, context: CallerContext) async throws -> EditedResponse<Referral> {
        let scoped = scoped(context)
        let input = try await body(NewReferral.self, request)
        let (referral, replayed) = try await scoped.createReferral(input, idempotencyKey: request.headers[.idempotencyKey])
        if !replayed { metrics.recordTransition(to: referral.status.rawValue) }
        return withETag(
            referral, status: replayed ? .ok : .created,
            extra: replayed ? [.idempotentReplayed: "true"] : [:])
    }

    @Sendable func get(_ request: Request, context: CallerContext) async throws -> EditedResponse<ReferralDetail> {
        let detail = try await scoped(context).referral(try context.id("referralId"))
        return EditedResponse(headers: [.eTag: detail.referral.etag], response: detail)
    }

    @Sendable func update(_ request: Request, context: CallerContext) async throws -> EditedResponse<Referral> {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let input = try await body(ReferralUpdate.self, request)
        return withETag(try await scoped.updateReferral(try context.id("referralId"), input, expectedVersion: version))
    }

    @Sendable func changeStatus(_ request: Request, context: CallerContext) async throws -> EditedResponse<Referral> {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let change = try await body(StatusChange.self, request)
        let referral = try await scoped.changeStatus(try context.id("referralId"), change, expectedVersion: version)
        metrics.recordTransition(to: referral.status.rawValue)
        return withETag(referral)
    }

    @Sendable func claim(_ request: Request, context: CallerContext) async throws -> EditedResponse<Referral> {
        let referral = try await scoped(context).claim(try context.id("referralId"))
        metrics.recordTransition(to: referral.status.rawValue)
        return withETag(referral)
    }

    @Sendable func businessStatus(_ request: Request, context: CallerContext) async throws -> EditedResponse<Referral> {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let change = try await body(BusinessStatusChange.self, request)
        return withETag(
            try await scoped.setBusinessStatus(
                try context.id("referralId"), change.businessStatus,
                expectedVersion: version))
    }

    @Sendable func messages(_ request: Request, context: CallerContext) async throws -> ItemList<ReferralMessage> {
        ItemList(try await scoped(context).messages(referral: try context.id("referralId")))
    }

    @Sendable func sendMessage(_ request: Request, context: CallerContext) async throws -> EditedResponse<ReferralMessage> {
        let scoped = scoped(context)
        let input = try await body(NewMessage.self, request)
        return EditedResponse(status: .created, response: try await scoped.sendMessage(referral: try context.id("referralId"), body: input.body))
    }

    @Sendable func markRead(_ request: Request, context: CallerContext) async throws -> ReferralMessage {
        try await scoped(context).markRead(
            referral: try context.id("referralId"),
            message: try context.id("messageId"))
    }

    @Sendable func followUps(_ request: Request, context: CallerContext) async throws -> ItemList<FollowUp> {
        ItemList(try await scoped(context).followUps(referral: try context.id("referralId")))
    }

    /// The follow-up, with the referral's new ETag (its follow-up date moved with it).
    @Sendable func recordFollowUp(_ request: Request, context: CallerContext) async throws -> EditedResponse<FollowUp> {
        let scoped = scoped(context)
        let input = try await body(NewFollowUp.self, request)
        let (followUp, referral) = try await scoped.recordFollowUp(referral: try context.id("referralId"), input)
        return EditedResponse(status: .created, headers: [.eTag: referral.etag], response: followUp)
    }

    @Sendable func appointments(_ request: Request, context: CallerContext) async throws -> ItemList<Appointment> {
        ItemList(try await scoped(context).appointments(referral: try context.id("referralId")))
    }

    @Sendable func bookAppointment(_ request: Request, context: CallerContext) async throws -> EditedResponse<Appointment> {
        let scoped = scoped(context)
        let input = try await body(NewAppointment.self, request)
        return EditedResponse(status: .created, response: try await scoped.recordAppointment(referral: try context.id("referralId"), input))
    }

    @Sendable func clientExperience(_ request: Request, context: CallerContext) async throws -> ClientExperience {
        let id: ID<Referral> = try context.id("referralId")
        guard let experience = try await scoped(context).clientExperience(referral: id) else {
            throw ThawError.notFound("client experience of referral \(id): not asked yet")
        }
        return experience
    }

    @Sendable func recordClientExperience(_ request: Request, context: CallerContext) async throws -> EditedResponse<ClientExperience> {
        let scoped = scoped(context)
        let input = try await body(NewClientExperience.self, request)
        return EditedResponse(status: .created, response: try await scoped.recordClientExperience(referral: try context.id("referralId"), input))
    }

    @Sendable func chain(_ request: Request, context: CallerContext) async throws -> ItemList<ReferralLink> {
        ItemList(try await scoped(context).referralChain(try context.id("referralId")))
    }

    @Sendable func recordOnwardConsent(_ request: Request, context: CallerContext) async throws -> EditedResponse<Consent> {
        let scoped = scoped(context)
        let input = try await body(NewConsent.self, request)
        return EditedResponse(status: .created, response: try await scoped.recordOnwardConsent(referral: try context.id("referralId"), input))
    }

    @Sendable func timeline(_ request: Request, context: CallerContext) async throws -> ItemList<ActivityEntry> {
        ItemList(try await scoped(context).timeline(referral: try context.id("referralId")))
    }

    @Sendable func openReferrals(_ request: Request, context: CallerContext) async throws -> ItemList<OpenReferralSummary> {
        ItemList(try await scoped(context).openReferrals())
    }

    @Sendable func worklist(_ request: Request, context: CallerContext) async throws -> ItemList<WorklistItem> {
        let scoped = scoped(context)
        let page = try await scoped.worklist(try WorklistQuery(parsing: request, actor: scoped.actor))
        return ItemList(page.items, nextCursor: page.nextCursor?.token)
    }
}

extension WorklistQuery {
    /// Parses `view`, `filter`, `status` (repeatable), `mine`, `sort`, `limit`, `cursor`.
    /// Without `view`, navigators and clinicians get their caseload and partner staff their inbox.
    init(parsing request: Request, actor: Actor) throws {
        func parse<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
            guard let raw = request.query(name) else { return nil }
            guard let value = E(rawValue: raw) else {
                throw ThawError.invalid(name, "enum", "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        let view = try parse("view", View.self) ?? (actor.hasAny(AccessPolicy.referringRoles) ? .caseload : .inbox)
        self.init(view: view)
        filter = try parse("filter", Filter.self) ?? .all
        sort = try parse("sort", Sort.self) ?? .updated
        for raw in request.uri.queryParameters.getAll("status") where !raw.isEmpty {
            guard let status = TaskStatus(rawValue: String(raw)) else {
                throw ThawError.invalid("status", "enum", "status must be one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            statuses.insert(status)
        }
        if let raw = request.query("mine") {
            guard raw == "true" || raw == "false" else { throw ThawError.invalid("mine", "boolean", "mine must be true or false") }
            onlyMine = raw == "true"
        }
        if let n = try request.integer("limit", in: 1...200) { limit = n }
        if let raw = request.query("cursor") {
            guard let parsed = WorklistCursor(token: raw) else { throw ThawError.invalid("cursor", "format", "cursor is not one this server issued") }
            cursor = parsed
        }
    }
}
