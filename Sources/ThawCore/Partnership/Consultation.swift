/// An organisation puts a proposal to named partners; partners give feedback
/// item by item; the proposer answers every item before closing ("you said,
/// we did"). Listening, not only talking.
public struct Consultation: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case open, closed }
    public var id: ID<Consultation>
    public var organizationId: ID<Organization>
    public var title: String
    public var proposal: String
    public var invitedOrganizationIds: [ID<Organization>]
    public var deadline: CalendarDate
    public var status: Status
    public var createdAt: Timestamp
    public var closedAt: Timestamp?
    /// An earlier consultation, closed, whose proposal this one brings back (perseverance).
    public var revivesConsultationId: ID<Consultation>?

    public init(
        id: ID<Consultation>, organizationId: ID<Organization>, title: String, proposal: String,
        invitedOrganizationIds: [ID<Organization>], deadline: CalendarDate, status: Status = .open,
        createdAt: Timestamp, closedAt: Timestamp? = nil, revivesConsultationId: ID<Consultation>? = nil
    ) {
        self.id = id; self.organizationId = organizationId; self.title = title; self.proposal = proposal
        self.invitedOrganizationIds = invitedOrganizationIds; self.deadline = deadline; self.status = status
        self.createdAt = createdAt; self.closedAt = closedAt; self.revivesConsultationId = revivesConsultationId
    }
}

/// One point of feedback from an invited partner, and the proposer's answer.
public struct FeedbackItem: Codable, Sendable, Equatable {
    public enum Response: String, Codable, Sendable, CaseIterable {
        case adopted, adapted
        case notAdopted = "not-adopted"
    }
    public var id: ID<FeedbackItem>
    public var consultationId: ID<Consultation>
    public var organizationId: ID<Organization>
    public var authorId: ID<User>
    public var text: String
    public var createdAt: Timestamp
    public var response: Response?
    public var responseText: String?
    public var respondedAt: Timestamp?

    public init(
        id: ID<FeedbackItem>, consultationId: ID<Consultation>, organizationId: ID<Organization>, authorId: ID<User>,
        text: String, createdAt: Timestamp, response: Response? = nil, responseText: String? = nil, respondedAt: Timestamp? = nil
    ) {
        self.id = id; self.consultationId = consultationId; self.organizationId = organizationId; self.authorId = authorId
        self.text = text; self.createdAt = createdAt; self.response = response; self.responseText = responseText
        self.respondedAt = respondedAt
    }
}

public enum ConsultationRules {
    /// An answer says what was done; "adapted" and "not adopted" also say why.
    public static func checkResponse(_ response: FeedbackItem.Response, text: String?) throws {
        var v = Validator()
        v.requireText(text, "text", maxLength: 4000)
        try v.check()
    }

    /// A consultation closes only when every feedback item has an answer.
    public static func checkClosable(_ consultation: Consultation, items: [FeedbackItem]) throws {
        guard consultation.status == .open else {
            throw ThawError.conflict(code: "consultation-closed", message: "this consultation is already closed")
        }
        let unanswered = items.filter { $0.response == nil }
        guard unanswered.isEmpty else {
            throw ThawError.conflict(
                code: "unanswered-feedback",
                message:
                    "\(unanswered.count) feedback item\(unanswered.count == 1 ? " has" : "s have") no answer yet; answer every item before closing")
        }
    }
}

public struct NewConsultation: Codable, Sendable {
    public var title: String
    public var proposal: String
    public var invitedOrganizationIds: [ID<Organization>]
    public var deadline: CalendarDate
    /// A closed consultation whose proposal this one brings back.
    public var revivesConsultationId: ID<Consultation>?
    public init(
        title: String, proposal: String, invitedOrganizationIds: [ID<Organization>], deadline: CalendarDate,
        revivesConsultationId: ID<Consultation>? = nil
    ) {
        self.title = title; self.proposal = proposal; self.invitedOrganizationIds = invitedOrganizationIds; self.deadline = deadline
        self.revivesConsultationId = revivesConsultationId
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 300)
        v.requireText(proposal, "proposal", maxLength: 20_000)
        v.require(!invitedOrganizationIds.isEmpty, "invitedOrganizationIds", "min-items", "invite at least one partner")
        v.require(Set(invitedOrganizationIds).count == invitedOrganizationIds.count, "invitedOrganizationIds", "unique", "invite each partner once")
        v.require(deadline >= today, "deadline", "not-in-past", "the deadline cannot be in the past")
        try v.check()
    }
}
