import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct NewMeeting: Codable { var heldAt: Timestamp; var agenda: [String]; var minutes: String?; var attendeeIds: [ID<User>] }
struct NewDecision: Codable { var motion: String; var meetingId: ID<Meeting>? }
struct VoteRequest: Codable { var choice: VoteChoice }
struct LeaveRequest: Codable { var reason: String }
struct NewFeedback: Codable { var text: String }
struct FeedbackAnswer: Codable { var response: FeedbackItem.Response; var text: String }
struct NewThread: Codable { var subject: String; var participantIds: [ID<User>]; var message: String }
struct NewThreadMessage: Codable { var body: String }
struct CommitteeDetail: Codable { var committee: Committee; var members: [CommitteeMember] }
struct ConsultationDetail: Codable { var consultation: Consultation; var items: [FeedbackItem] }
struct ThreadDetail: Codable { var thread: DiscussionThread; var messages: [ThreadMessage] }

/// Partnership practice over HTTP: committees, meetings, decisions and votes
/// (formal), threads (informal), consultations and commitments. The store
/// decides who may see and do what.
struct PartnershipRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on group: RouterGroup<CallerContext>) {
        group.get("committees", use: listCommittees)
        group.post("committees", use: createCommittee)
        group.get("committees/:committeeId", use: getCommittee)
        group.post("committees/:committeeId/leave", use: leaveCommittee)
        group.get("committees/:committeeId/meetings", use: listMeetings)
        group.post("committees/:committeeId/meetings", use: recordMeeting)
        group.get("committees/:committeeId/decisions", use: listDecisions)
        group.get("committees/:committeeId/timeline", use: committeeTimeline)
        group.get("organizations/:organizationId/timeline/:otherId", use: pairTimeline)
        group.post("committees/:committeeId/decisions", use: proposeDecision)
        group.post("decisions/:decisionId/votes", use: vote)
        group.post("decisions/:decisionId/close", use: closeDecision)
        group.get("commitments", use: listCommitments)
        group.post("commitments", use: createCommitment)
        group.post("commitments/:commitmentId/changes", use: changeCommitment)
        group.get("consultations", use: listConsultations)
        group.post("consultations", use: createConsultation)
        group.get("consultations/:consultationId", use: getConsultation)
        group.post("consultations/:consultationId/feedback", use: addFeedback)
        group.post("consultations/:consultationId/feedback/:itemId/answer", use: answerFeedback)
        group.post("consultations/:consultationId/close", use: closeConsultation)
        group.get("threads", use: listThreads)
        group.post("threads", use: startThread)
        group.get("threads/:threadId", use: getThread)
        group.post("threads/:threadId/messages", use: postToThread)
    }

    // MARK: committees

    @Sendable func listCommittees(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).committees()])
    }
    @Sendable func createCommittee(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let committee = try await scoped.createCommittee(try await body(NewCommittee.self, request))
        let (_, members) = try await scoped.committee(committee.id)
        return try JSONBody.response(CommitteeDetail(committee: committee, members: members), status: .created)
    }
    @Sendable func getCommittee(_ request: Request, context: CallerContext) async throws -> Response {
        let (committee, members) = try await scoped(context).committee(try context.id("committeeId"))
        return try JSONBody.response(CommitteeDetail(committee: committee, members: members))
    }
    @Sendable func leaveCommittee(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(LeaveRequest.self, request)
        let id: ID<Committee> = try context.id("committeeId")
        _ = try await scoped.leaveCommittee(id, reason: input.reason)
        let (committee, members) = try await scoped.committee(id)
        return try JSONBody.response(CommitteeDetail(committee: committee, members: members))
    }
    @Sendable func listMeetings(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).meetings(try context.id("committeeId"))])
    }
    @Sendable func recordMeeting(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewMeeting.self, request)
        return try JSONBody.response(try await scoped.recordMeeting(try context.id("committeeId"), heldAt: input.heldAt, agenda: input.agenda,
                                                                   minutes: input.minutes, attendees: input.attendeeIds), status: .created)
    }
    @Sendable func listDecisions(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).decisions(try context.id("committeeId"))])
    }
    @Sendable func proposeDecision(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewDecision.self, request)
        return try JSONBody.response(try await scoped.proposeDecision(try context.id("committeeId"), motion: input.motion, meeting: input.meetingId),
                                     status: .created)
    }
    @Sendable func vote(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(VoteRequest.self, request)
        return try JSONBody.response(try await scoped.vote(try context.id("decisionId"), input.choice), status: .created)
    }
    @Sendable func closeDecision(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(try await scoped(context).closeDecision(try context.id("decisionId")))
    }

    @Sendable func committeeTimeline(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).committeeTimeline(try context.id("committeeId"))])
    }
    @Sendable func pairTimeline(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).pairTimeline(try context.id("organizationId"), try context.id("otherId"),
                                                                               from: try CalendarDate.dayOrMonth(request.query("from"), field: "from"),
                                                                               to: try CalendarDate.dayOrMonth(request.query("to"), field: "to"))])
    }

    // MARK: commitments

    @Sendable func listCommitments(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        if let n = try request.integer("dueWithinDays", in: 0...366) {
            return try JSONBody.response(["items": try await scoped.commitmentsDueSoon(days: n)])
        }
        return try JSONBody.response(["items": try await scoped.commitments()])
    }
    @Sendable func createCommitment(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let commitment = try await scoped.createCommitment(try await body(NewCommitment.self, request))
        return try JSONBody.response(commitment, status: .created, headers: [.eTag: "\"\(commitment.version)\""])
    }
    @Sendable func changeCommitment(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let version = try request.expectedVersion()
        let change = try await body(CommitmentChange.self, request)
        let commitment = try await scoped.changeCommitment(try context.id("commitmentId"), change, expectedVersion: version)
        return try JSONBody.response(commitment, headers: [.eTag: "\"\(commitment.version)\""])
    }

    // MARK: consultations

    @Sendable func listConsultations(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).consultations()])
    }
    @Sendable func createConsultation(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let consultation = try await scoped.createConsultation(try await body(NewConsultation.self, request))
        return try JSONBody.response(ConsultationDetail(consultation: consultation, items: []), status: .created)
    }
    @Sendable func getConsultation(_ request: Request, context: CallerContext) async throws -> Response {
        let (consultation, items) = try await scoped(context).consultation(try context.id("consultationId"))
        return try JSONBody.response(ConsultationDetail(consultation: consultation, items: items))
    }
    @Sendable func addFeedback(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewFeedback.self, request)
        return try JSONBody.response(try await scoped.addFeedback(try context.id("consultationId"), text: input.text), status: .created)
    }
    @Sendable func answerFeedback(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(FeedbackAnswer.self, request)
        return try JSONBody.response(try await scoped.respond(try context.id("consultationId"), item: try context.id("itemId"),
                                                             input.response, text: input.text))
    }
    @Sendable func closeConsultation(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let id: ID<Consultation> = try context.id("consultationId")
        _ = try await scoped.closeConsultation(id)
        let (consultation, items) = try await scoped.consultation(id)
        return try JSONBody.response(ConsultationDetail(consultation: consultation, items: items))
    }

    // MARK: threads

    @Sendable func listThreads(_ request: Request, context: CallerContext) async throws -> Response {
        try JSONBody.response(["items": try await scoped(context).threads()])
    }
    @Sendable func startThread(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewThread.self, request)
        let thread = try await scoped.startThread(subject: input.subject, with: input.participantIds, message: input.message)
        let (_, messages) = try await scoped.thread(thread.id)
        return try JSONBody.response(ThreadDetail(thread: thread, messages: messages), status: .created)
    }
    @Sendable func getThread(_ request: Request, context: CallerContext) async throws -> Response {
        let (thread, messages) = try await scoped(context).thread(try context.id("threadId"))
        return try JSONBody.response(ThreadDetail(thread: thread, messages: messages))
    }
    @Sendable func postToThread(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let input = try await body(NewThreadMessage.self, request)
        return try JSONBody.response(try await scoped.postToThread(try context.id("threadId"), body: input.body), status: .created)
    }
}
