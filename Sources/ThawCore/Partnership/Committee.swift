/// A committee under shared governance: the formal channel between organisations.
public struct Committee: Codable, Sendable, Equatable {
    public var id: ID<Committee>
    public var name: String
    public var purpose: String
    public var decisionRule: DecisionRule
    /// Member organisations that must vote for a decision to be taken.
    public var quorum: Int
    public var convenerOrganizationId: ID<Organization>
    public var createdAt: Timestamp

    public init(
        id: ID<Committee>, name: String, purpose: String, decisionRule: DecisionRule, quorum: Int,
        convenerOrganizationId: ID<Organization>, createdAt: Timestamp
    ) {
        self.id = id; self.name = name; self.purpose = purpose; self.decisionRule = decisionRule; self.quorum = quorum
        self.convenerOrganizationId = convenerOrganizationId; self.createdAt = createdAt
    }
}

public struct CommitteeMember: Codable, Sendable, Equatable {
    public var organizationId: ID<Organization>
    public var organizationName: String
    public var sector: Sector
    public var joinedAt: Timestamp
    /// Set when the organisation left (or walked out of) the committee.
    public var leftAt: Timestamp?
    public var leftReason: String?
    public init(
        organizationId: ID<Organization>, organizationName: String, sector: Sector, joinedAt: Timestamp,
        leftAt: Timestamp? = nil, leftReason: String? = nil
    ) {
        self.organizationId = organizationId; self.organizationName = organizationName; self.sector = sector
        self.joinedAt = joinedAt; self.leftAt = leftAt; self.leftReason = leftReason
    }
    public var isCurrent: Bool { leftAt == nil }
}

public struct Meeting: Codable, Sendable, Equatable {
    public var id: ID<Meeting>
    public var committeeId: ID<Committee>
    public var heldAt: Timestamp
    public var agenda: [String]
    public var minutes: String?
    public var attendeeIds: [ID<User>]
    public init(id: ID<Meeting>, committeeId: ID<Committee>, heldAt: Timestamp, agenda: [String], minutes: String?, attendeeIds: [ID<User>]) {
        self.id = id; self.committeeId = committeeId; self.heldAt = heldAt; self.agenda = agenda; self.minutes = minutes
        self.attendeeIds = attendeeIds
    }
}

/// A motion put to a committee, its votes and, once decided, its tally.
public struct Decision: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case open, passed, failed }
    public var id: ID<Decision>
    public var committeeId: ID<Committee>
    public var meetingId: ID<Meeting>?
    public var motion: String
    /// The rule in force when the motion was put, kept with it.
    public var decisionRule: DecisionRule
    public var status: Status
    public var tally: DecisionTally?
    public var openedAt: Timestamp
    public var decidedAt: Timestamp?
    public var votes: [CastVote]
    /// The motion that failed before and that this one brings back (perseverance).
    public var revivesDecisionId: ID<Decision>?

    public struct CastVote: Codable, Sendable, Equatable {
        public var organizationId: ID<Organization>
        public var choice: VoteChoice
        public var userId: ID<User>
        public var castAt: Timestamp
        public init(organizationId: ID<Organization>, choice: VoteChoice, userId: ID<User>, castAt: Timestamp) {
            self.organizationId = organizationId; self.choice = choice; self.userId = userId; self.castAt = castAt
        }
    }

    public init(
        id: ID<Decision>, committeeId: ID<Committee>, meetingId: ID<Meeting>?, motion: String, decisionRule: DecisionRule,
        status: Status, tally: DecisionTally?, openedAt: Timestamp, decidedAt: Timestamp?, votes: [CastVote],
        revivesDecisionId: ID<Decision>? = nil
    ) {
        self.id = id; self.committeeId = committeeId; self.meetingId = meetingId; self.motion = motion
        self.decisionRule = decisionRule; self.status = status; self.tally = tally; self.openedAt = openedAt
        self.decidedAt = decidedAt; self.votes = votes; self.revivesDecisionId = revivesDecisionId
    }
}

public struct NewCommittee: Codable, Sendable {
    public var name: String
    public var purpose: String
    public var decisionRule: DecisionRule
    public var quorum: Int
    public var memberOrganizationIds: [ID<Organization>]
    public init(name: String, purpose: String, decisionRule: DecisionRule, quorum: Int, memberOrganizationIds: [ID<Organization>]) {
        self.name = name; self.purpose = purpose; self.decisionRule = decisionRule; self.quorum = quorum
        self.memberOrganizationIds = memberOrganizationIds
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(name, "name", maxLength: 200)
        v.limitText(purpose, "purpose", maxLength: 4000)
        v.require(memberOrganizationIds.count >= 2, "memberOrganizationIds", "min-items", "a committee has at least two member organisations")
        v.require(
            Set(memberOrganizationIds).count == memberOrganizationIds.count, "memberOrganizationIds", "unique", "each organisation is a member once")
        v.require(
            quorum >= 1 && quorum <= memberOrganizationIds.count, "quorum", "range",
            "quorum must be between 1 and the number of member organisations")
        try v.check()
    }
}
