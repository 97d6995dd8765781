/// A referral: the ServiceRequest (what is asked, for whom, by whom) and its
/// `fulfill` Task (who owns it and where it stands) held as one record.
public struct Referral: Codable, Sendable, Equatable {
    public var id: ID<Referral>
    public var clientId: ID<Client>
    public var requesterOrganizationId: ID<Organization>
    public var requesterUserId: ID<User>
    /// The receiving organisation; nil while the referral is open for any eligible partner to claim.
    public var ownerOrganizationId: ID<Organization>?
    public var serviceId: ID<Service>?
    public var needCategory: NeedCategory
    public var needIds: [ID<IdentifiedNeed>]
    public var priority: Priority
    public var status: TaskStatus
    public var businessStatus: BusinessStatus?
    public var statusReason: String?
    /// Which side wrote `statusReason` (a cancel reason may come from either).
    public var statusReasonSide: ReferralSide?
    public var outcome: ReferralOutcome?
    public var note: String?
    public var firstResponseDue: Timestamp
    public var firstRespondedAt: Timestamp?
    public var followUpDue: Timestamp?
    public var lastMessageSide: ReferralSide?
    public var lastMessageAt: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// Bumped on every change; the ETag is derived from it.
    public var version: Int
    /// The referral this one was made from (the IG's Task.partOf): a partner referring the client
    /// on, or back to primary care, while working it.
    public var partOf: ID<Referral>?

    public init(
        id: ID<Referral>, clientId: ID<Client>, requesterOrganizationId: ID<Organization>,
        requesterUserId: ID<User>, ownerOrganizationId: ID<Organization>?, serviceId: ID<Service>?,
        needCategory: NeedCategory, needIds: [ID<IdentifiedNeed>], priority: Priority, status: TaskStatus,
        businessStatus: BusinessStatus? = nil, statusReason: String? = nil, statusReasonSide: ReferralSide? = nil,
        outcome: ReferralOutcome? = nil,
        note: String?, firstResponseDue: Timestamp, firstRespondedAt: Timestamp? = nil,
        followUpDue: Timestamp?, lastMessageSide: ReferralSide? = nil, lastMessageAt: Timestamp? = nil,
        createdAt: Timestamp, updatedAt: Timestamp, version: Int = 1, partOf: ID<Referral>? = nil
    ) {
        self.id = id; self.clientId = clientId; self.requesterOrganizationId = requesterOrganizationId
        self.requesterUserId = requesterUserId; self.ownerOrganizationId = ownerOrganizationId
        self.serviceId = serviceId; self.needCategory = needCategory; self.needIds = needIds
        self.priority = priority; self.status = status; self.businessStatus = businessStatus
        self.statusReason = statusReason; self.statusReasonSide = statusReasonSide; self.outcome = outcome; self.note = note
        self.firstResponseDue = firstResponseDue; self.firstRespondedAt = firstRespondedAt
        self.followUpDue = followUpDue; self.lastMessageSide = lastMessageSide; self.lastMessageAt = lastMessageAt
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.version = version; self.partOf = partOf
    }

    public var isOpen: Bool { ownerOrganizationId == nil }
    public var etag: String { "\"\(version)\"" }

    /// Which side an organisation is on, or nil if it is not a party.
    public func side(of organization: ID<Organization>) -> ReferralSide? {
        if organization == requesterOrganizationId { return .requester }
        if organization == ownerOrganizationId { return .performer }
        return nil
    }

    /// The other party, for the ledger's counterpart column.
    public func counterpart(of organization: ID<Organization>) -> ID<Organization>? {
        organization == requesterOrganizationId ? ownerOrganizationId : requesterOrganizationId
    }

    /// Applies a checked move; the caller has already run `ReferralWorkflow.check`.
    public mutating func apply(
        status newStatus: TaskStatus, reason: String?, outcome: ReferralOutcome?,
        by side: ReferralSide, at now: Timestamp
    ) {
        status = newStatus
        statusReason = reason?.trimmingWhitespace
        statusReasonSide = statusReason == nil ? nil : side
        if let outcome { self.outcome = outcome }
        if side == .performer, firstRespondedAt == nil { firstRespondedAt = now }
        touch(at: now)
    }

    public mutating func touch(at now: Timestamp) {
        updatedAt = now
        version += 1
    }
}

/// A message on a referral, in either direction.
public struct ReferralMessage: Codable, Sendable, Equatable {
    public var id: ID<ReferralMessage>
    public var referralId: ID<Referral>
    public var authorUserId: ID<User>
    public var authorOrganizationId: ID<Organization>
    public var side: ReferralSide
    /// nil when withheld from this viewer (see `withheld`).
    public var body: String?
    /// The body is not shown to this viewer: it is free text of the referring side
    /// and the client's consent does not include `notes`.
    public var withheld: Bool
    public var sentAt: Timestamp
    /// When someone at the other organisation first read it.
    public var readAt: Timestamp?
    public var readBy: ID<User>?

    public init(
        id: ID<ReferralMessage>, referralId: ID<Referral>, authorUserId: ID<User>,
        authorOrganizationId: ID<Organization>, side: ReferralSide, body: String?, withheld: Bool = false,
        sentAt: Timestamp, readAt: Timestamp? = nil, readBy: ID<User>? = nil
    ) {
        self.id = id; self.referralId = referralId; self.authorUserId = authorUserId
        self.authorOrganizationId = authorOrganizationId; self.side = side; self.body = body; self.withheld = withheld
        self.sentAt = sentAt; self.readAt = readAt; self.readBy = readBy
    }
}
