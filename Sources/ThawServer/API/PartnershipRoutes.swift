import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct NewMeeting: Codable { var heldAt: Timestamp; var agenda: [String]; var minutes: String?; var attendeeIds: [ID<User>] }
struct NewDecision: Codable {
    var motion: String
    var meetingId: ID<Meeting>?
    /// A motion that failed before, which this one brings back.
    var revivesDecisionId: ID<Decision>?
}
struct VoteRequest: Codable { var choice: VoteChoice }
struct LeaveRequest: Codable {
    var reason: String
    /// Leaving in protest: counts against the organisation's pairs with the members who stay.
    var walkOut: Bool?
}
struct NewFeedback: Codable { var text: String }
struct FeedbackAnswer: Codable { var response: FeedbackItem.Response; var text: String }
struct NewThread: Codable { var subject: String; var participantIds: [ID<User>]; var message: String }
struct NewThreadMessage: Codable { var body: String }
struct CommitteeDetail: ResponseCodable { var committee: Committee; var members: [CommitteeMember] }
struct ConsultationDetail: ResponseCodable { var consultation: Consultation; var items: [FeedbackItem] }
struct ThreadDetail: ResponseCodable { var thread: DiscussionThread; var messages: [ThreadMessage] }

/// Partnership practice over HTTP: committees, meetings, decisions and votes
/// (formal), threads (informal), consultations and commitments. The store
/// decides who may see and do what.
struct PartnershipRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "committees", id: "listCommittees", tag: "partnership", summary: "Committees my organisation belongs or belonged to",
                answer: .list(Committee.self)),
            use: listCommittees)
        routes.add(
            .init(
                .post, "committees", id: "createCommittee", tag: "partnership", summary: "Set up a committee (partnership lead)",
                body: NewCommittee.self, success: 201, answer: .one(CommitteeDetail.self)),
            use: createCommittee)
        routes.add(
            .init(
                .get, "committees/:committeeId", id: "getCommittee", tag: "partnership", summary: "A committee and its member organisations",
                answer: .one(CommitteeDetail.self)),
            use: getCommittee)
        routes.add(
            .init(
                .post, "committees/:committeeId/leave", id: "leaveCommittee", tag: "partnership",
                summary: "My organisation leaves the committee (or walks out of it), with a reason", body: LeaveRequest.self,
                answer: .one(CommitteeDetail.self),
                conflicts: true),
            use: leaveCommittee)
        routes.add(
            .init(
                .get, "committees/:committeeId/meetings", id: "listMeetings", tag: "partnership",
                summary: "Meetings with agenda, attendance and minutes", answer: .list(Meeting.self)),
            use: listMeetings)
        routes.add(
            .init(
                .post, "committees/:committeeId/meetings", id: "recordMeeting", tag: "partnership", summary: "Record a meeting",
                body: NewMeeting.self, success: 201, answer: .one(Meeting.self)),
            use: recordMeeting)
        routes.add(
            .init(
                .get, "committees/:committeeId/decisions", id: "listDecisions", tag: "partnership", summary: "The decision log, newest first",
                answer: .list(Decision.self)),
            use: listDecisions)
        routes.add(
            .init(
                .get, "committees/:committeeId/timeline", id: "committeeTimeline", tag: "partnership",
                summary: "Everything in the committee in order, with outside events around it", answer: .list(TimelineItem.self)),
            use: committeeTimeline)
        routes.add(
            .init(
                .get, "organizations/:organizationId/timeline/:otherId", id: "pairTimeline", tag: "partnership",
                summary: "Everything between two organisations in order (for people of either); from/to limit it to a range of days",
                query: ["from", "to"], answer: .list(TimelineItem.self)),
            use: pairTimeline)
        routes.add(
            .init(
                .post, "committees/:committeeId/decisions", id: "proposeDecision", tag: "partnership",
                summary: "Put a motion to the committee (or bring back one that failed)",
                body: NewDecision.self, success: 201, answer: .one(Decision.self)),
            use: proposeDecision)
        routes.add(
            .init(
                .post, "decisions/:decisionId/votes", id: "vote", tag: "partnership", summary: "My organisation's vote (once)",
                body: VoteRequest.self, success: 201, answer: .one(Decision.self), conflicts: true),
            use: vote)
        routes.add(
            .init(
                .post, "decisions/:decisionId/close", id: "closeDecision", tag: "partnership",
                summary: "Count the votes under the committee's rule (needs quorum)", answer: .one(Decision.self), conflicts: true),
            use: closeDecision)
        routes.add(
            .init(
                .get, "commitments", id: "listCommitments", tag: "partnership",
                summary: "Commitments my organisation made or received (overdue ones are marked missed first)", query: ["dueWithinDays"],
                answer: .list(Commitment.self)),
            use: listCommitments)
        routes.add(
            .init(
                .post, "commitments", id: "createCommitment", tag: "partnership", summary: "Record a commitment my organisation made",
                body: NewCommitment.self, success: 201, answer: .one(Commitment.self)),
            use: createCommitment)
        routes.add(
            .init(
                .post, "commitments/:commitmentId/changes", id: "changeCommitment", tag: "partnership",
                summary:
                    "The promiser marks a commitment kept (with evidence), proposes a new date or withdraws it; the organisation promised confirms or disputes a keep, and agrees to or declines a new date",
                body: CommitmentChange.self, answer: .one(Commitment.self),
                ifMatch: true),
            use: changeCommitment)
        routes.add(
            .init(
                .get, "consultations", id: "listConsultations", tag: "partnership",
                summary: "Consultations my organisation proposed or was invited to", answer: .list(Consultation.self)),
            use: listConsultations)
        routes.add(
            .init(
                .post, "consultations", id: "createConsultation", tag: "partnership", summary: "Put a proposal to named partners",
                body: NewConsultation.self, success: 201, answer: .one(ConsultationDetail.self)),
            use: createConsultation)
        routes.add(
            .init(
                .get, "consultations/:consultationId", id: "getConsultation", tag: "partnership",
                summary: "A consultation with every feedback item and its answer", answer: .one(ConsultationDetail.self)),
            use: getConsultation)
        routes.add(
            .init(
                .post, "consultations/:consultationId/feedback", id: "addFeedback", tag: "partnership",
                summary: "Give a feedback item (invited partners, before the deadline)", body: NewFeedback.self, success: 201,
                answer: .one(FeedbackItem.self), conflicts: true),
            use: addFeedback)
        routes.add(
            .init(
                .post, "consultations/:consultationId/feedback/:itemId/answer", id: "answerFeedback", tag: "partnership",
                summary: "Answer a feedback item: adopted, adapted or not adopted, and why", body: FeedbackAnswer.self,
                answer: .one(FeedbackItem.self), conflicts: true),
            use: answerFeedback)
        routes.add(
            .init(
                .post, "consultations/:consultationId/close", id: "closeConsultation", tag: "partnership",
                summary: "Close a consultation (every item answered)", answer: .one(ConsultationDetail.self), conflicts: true),
            use: closeConsultation)
        routes.add(
            .init(.get, "threads", id: "listThreads", tag: "partnership", summary: "Threads I take part in", answer: .list(DiscussionThread.self)),
            use: listThreads)
        routes.add(
            .init(
                .post, "threads", id: "startThread", tag: "partnership", summary: "Start a conversation with people in other organisations",
                body: NewThread.self, success: 201, answer: .one(ThreadDetail.self)),
            use: startThread)
        routes.add(
            .init(
                .get, "threads/:threadId", id: "getThread", tag: "partnership", summary: "A thread and its messages (participants only)",
                answer: .one(ThreadDetail.self)),
            use: getThread)
        routes.add(
            .init(
                .post, "threads/:threadId/messages", id: "postToThread", tag: "partnership", summary: "Write in a thread",
                body: NewThreadMessage.self, success: 201, answer: .one(ThreadMessage.self)),
            use: postToThread)
    }

    // MARK: committees

    @Sendable func listCommittees(_ request: Request, context: CallerContext) async throws -> ItemList<Committee> {
        ItemList(try await scoped(context).committees())
    }
    @Sendable func createCommittee(_ request: Request, context: CallerContext) async throws -> EditedResponse<CommitteeDetail> {
        let scoped = scoped(context)
        let committee = try await scoped.createCommittee(try await body(NewCommittee.self, request))
        let (_, members) = try await scoped.committee(committee.id)
        return EditedResponse(status: .created, response: CommitteeDetail(committee: committee, members: members))
    }
    @Sendable func getCommittee(_ request: Request, context: CallerContext) async throws -> CommitteeDetail {
        let (committee, members) = try await scoped(context).committee(try context.id("committeeId"))
        return CommitteeDetail(committee: committee, members: members)
    }
    @Sendable func leaveCommittee(_ request: Request, context: CallerContext) async throws -> CommitteeDetail {
        let scoped = scoped(context)
        let input = try await body(LeaveRequest.self, request)
        let id: ID<Committee> = try context.id("committeeId")
        _ = try await scoped.leaveCommittee(id, reason: input.reason, walkOut: input.walkOut ?? false)
        let (committee, members) = try await scoped.committee(id)
        return CommitteeDetail(committee: committee, members: members)
    }
    @Sendable func listMeetings(_ request: Request, context: CallerContext) async throws -> ItemList<Meeting> {
        ItemList(try await scoped(context).meetings(try context.id("committeeId")))
    }
    @Sendable func recordMeeting(_ request: Request, context: CallerContext) async throws -> EditedResponse<Meeting> {
        let scoped = scoped(context)
        let input = try await body(NewMeeting.self, request)
        return EditedResponse(
            status: .created,
            response: try await scoped.recordMeeting(
                try context.id("committeeId"), heldAt: input.heldAt, agenda: input.agenda,
                minutes: input.minutes, attendees: input.attendeeIds))
    }
    @Sendable func listDecisions(_ request: Request, context: CallerContext) async throws -> ItemList<Decision> {
        ItemList(try await scoped(context).decisions(try context.id("committeeId")))
    }
    @Sendable func proposeDecision(_ request: Request, context: CallerContext) async throws -> EditedResponse<Decision> {
        let scoped = scoped(context)
        let input = try await body(NewDecision.self, request)
        return EditedResponse(
            status: .created,
            response: try await scoped.proposeDecision(
                try context.id("committeeId"), motion: input.motion, meeting: input.meetingId, revives: input.revivesDecisionId))
    }
    @Sendable func vote(_ request: Request, context: CallerContext) async throws -> EditedResponse<Decision> {
        let scoped = scoped(context)
        let input = try await body(VoteRequest.self, request)
        return EditedResponse(status: .created, response: try await scoped.vote(try context.id("decisionId"), input.choice))
    }
    @Sendable func closeDecision(_ request: Request, context: CallerContext) async throws -> Decision {
        try await scoped(context).closeDecision(try context.id("decisionId"))
    }

    @Sendable func committeeTimeline(_ request: Request, context: CallerContext) async throws -> ItemList<TimelineItem> {
        ItemList(try await scoped(context).committeeTimeline(try context.id("committeeId")))
    }
    @Sendable func pairTimeline(_ request: Request, context: CallerContext) async throws -> ItemList<TimelineItem> {
        ItemList(
            try await scoped(context).pairTimeline(
                try context.id("organizationId"), try context.id("otherId"),
                from: try CalendarDate.dayOrMonth(request.query("from"), field: "from"),
                to: try CalendarDate.dayOrMonth(request.query("to"), field: "to")))
    }

    // MARK: commitments

    @Sendable func listCommitments(_ request: Request, context: CallerContext) async throws -> ItemList<Commitment> {
        let scoped = scoped(context)
        if let n = try request.integer("dueWithinDays", in: 0...366) {
            return ItemList(try await scoped.commitmentsDueSoon(days: n))
        }
        return ItemList(try await scoped.commitments())
    }
    @Sendable func createCommitment(_ request: Request, context: CallerContext) async throws -> EditedResponse<Commitment> {
        let scoped = scoped(context)
        let commitment = try await scoped.createCommitment(try await body(NewCommitment.self, request))
        return EditedResponse(status: .created, headers: [.eTag: "\"\(commitment.version)\""], response: commitment)
    }
    @Sendable func changeCommitment(_ request: Request, context: CallerContext) async throws -> EditedResponse<Commitment> {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let change = try await body(CommitmentChange.self, request)
        let commitment = try await scoped.changeCommitment(try context.id("commitmentId"), change, expectedVersion: version)
        return EditedResponse(headers: [.eTag: "\"\(commitment.version)\""], response: commitment)
    }

    // MARK: consultations

    @Sendable func listConsultations(_ request: Request, context: CallerContext) async throws -> ItemList<Consultation> {
        ItemList(try await scoped(context).consultations())
    }
    @Sendable func createConsultation(_ request: Request, context: CallerContext) async throws -> EditedResponse<ConsultationDetail> {
        let scoped = scoped(context)
        let consultation = try await scoped.createConsultation(try await body(NewConsultation.self, request))
        return EditedResponse(status: .created, response: ConsultationDetail(consultation: consultation, items: []))
    }
    @Sendable func getConsultation(_ request: Request, context: CallerContext) async throws -> ConsultationDetail {
        let (consultation, items) = try await scoped(context).consultation(try context.id("consultationId"))
        return ConsultationDetail(consultation: consultation, items: items)
    }
    @Sendable func addFeedback(_ request: Request, context: CallerContext) async throws -> EditedResponse<FeedbackItem> {
        let scoped = scoped(context)
        let input = try await body(NewFeedback.self, request)
        return EditedResponse(status: .created, response: try await scoped.addFeedback(try context.id("consultationId"), text: input.text))
    }
    @Sendable func answerFeedback(_ request: Request, context: CallerContext) async throws -> FeedbackItem {
        let scoped = scoped(context)
        let input = try await body(FeedbackAnswer.self, request)
        return try await scoped.respond(
            try context.id("consultationId"), item: try context.id("itemId"),
            input.response, text: input.text)
    }
    @Sendable func closeConsultation(_ request: Request, context: CallerContext) async throws -> ConsultationDetail {
        let scoped = scoped(context)
        let id: ID<Consultation> = try context.id("consultationId")
        _ = try await scoped.closeConsultation(id)
        let (consultation, items) = try await scoped.consultation(id)
        return ConsultationDetail(consultation: consultation, items: items)
    }

    // MARK: threads

    @Sendable func listThreads(_ request: Request, context: CallerContext) async throws -> ItemList<DiscussionThread> {
        ItemList(try await scoped(context).threads())
    }
    @Sendable func startThread(_ request: Request, context: CallerContext) async throws -> EditedResponse<ThreadDetail> {
        let scoped = scoped(context)
        let input = try await body(NewThread.self, request)
        let thread = try await scoped.startThread(subject: input.subject, with: input.participantIds, message: input.message)
        let (_, messages) = try await scoped.thread(thread.id)
        return EditedResponse(status: .created, response: ThreadDetail(thread: thread, messages: messages))
    }
    @Sendable func getThread(_ request: Request, context: CallerContext) async throws -> ThreadDetail {
        let (thread, messages) = try await scoped(context).thread(try context.id("threadId"))
        return ThreadDetail(thread: thread, messages: messages)
    }
    @Sendable func postToThread(_ request: Request, context: CallerContext) async throws -> EditedResponse<ThreadMessage> {
        let scoped = scoped(context)
        let input = try await body(NewThreadMessage.self, request)
        return EditedResponse(status: .created, response: try await scoped.postToThread(try context.id("threadId"), body: input.body))
    }
}
