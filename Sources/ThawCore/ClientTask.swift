/// Something the navigator asks the client to do themselves: call a service, read something,
/// bring a paper. The SDOH Clinical Care IG's task for the patient (`SDOHCC-TaskForPatient`):
/// the client owns it, the organisation holding their record asks for it.
public struct ClientTask: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Contact a service (to book, to enrol); the IG's `make-contact`.
        case makeContact = "make-contact"
        /// Read or watch something given to them; the IG's `review-material`.
        case reviewMaterial = "review-material"
        /// Anything else, said in words; the IG's `general-information`.
        case generalInformation = "general-information"
    }
    public enum Status: String, Codable, Sendable, CaseIterable {
        case requested, completed, cancelled
        public var isClosed: Bool { self != .requested }
    }

    public var id: ID<ClientTask>
    public var clientId: ID<Client>
    public var organizationId: ID<Organization>
    /// The referral it helps along, if any (the service to contact is that referral's).
    public var referralId: ID<Referral>?
    public var kind: Kind
    /// What the client is asked to do, in words they will read.
    public var description: String
    public var dueOn: CalendarDate?
    public var status: Status
    public var createdBy: ID<User>
    public var createdAt: Timestamp
    public var closedAt: Timestamp?

    public init(
        id: ID<ClientTask>, clientId: ID<Client>, organizationId: ID<Organization>, referralId: ID<Referral>?, kind: Kind,
        description: String, dueOn: CalendarDate?, status: Status, createdBy: ID<User>, createdAt: Timestamp, closedAt: Timestamp?
    ) {
        self.id = id; self.clientId = clientId; self.organizationId = organizationId; self.referralId = referralId
        self.kind = kind; self.description = description; self.dueOn = dueOn; self.status = status
        self.createdBy = createdBy; self.createdAt = createdAt; self.closedAt = closedAt
    }
}

/// A task for the client as the navigator writes it.
public struct NewClientTask: Codable, Sendable, Equatable {
    public var kind: ClientTask.Kind
    public var description: String
    public var referralId: ID<Referral>?
    public var dueOn: CalendarDate?

    public init(kind: ClientTask.Kind, description: String, referralId: ID<Referral>? = nil, dueOn: CalendarDate? = nil) {
        self.kind = kind; self.description = description; self.referralId = referralId; self.dueOn = dueOn
    }

    /// `today`: the organisation's day, before which nothing can be due.
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(description, "description", maxLength: 500)
        if let dueOn { v.require(dueOn >= today, "dueOn", "not-in-past", "a task for the client cannot be due in the past") }
        try v.check()
    }
}

/// The client did it, or it is no longer needed.
public struct ClientTaskClosing: Codable, Sendable, Equatable {
    public var status: ClientTask.Status
    public init(status: ClientTask.Status) { self.status = status }

    public func validate() throws {
        var v = Validator()
        v.require(status.isClosed, "status", "one-of", "status must be completed or cancelled")
        try v.check()
    }
}
