/// A staffing or resource choice made for integration and addressed to
/// partners, who may acknowledge it: signalling value.
public struct Signal: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case integrationRoleCreated = "integration-role-created"
        case liaisonAppointed = "liaison-appointed"
        case equipmentProvided = "equipment-provided"
        case fundingProvided = "funding-provided"
        case staffSeconded = "staff-seconded"
        case other
    }
    public var id: ID<Signal>
    public var organizationId: ID<Organization>
    public var kind: Kind
    public var description: String
    public var madeOn: CalendarDate
    public var addressedTo: [Addressee]
    public var createdAt: Timestamp

    public struct Addressee: Codable, Sendable, Equatable {
        public var organizationId: ID<Organization>
        public var acknowledgedAt: Timestamp?
        public var note: String?
        public init(organizationId: ID<Organization>, acknowledgedAt: Timestamp? = nil, note: String? = nil) {
            self.organizationId = organizationId; self.acknowledgedAt = acknowledgedAt; self.note = note
        }
    }

    public init(
        id: ID<Signal>, organizationId: ID<Organization>, kind: Kind, description: String, madeOn: CalendarDate,
        addressedTo: [Addressee], createdAt: Timestamp
    ) {
        self.id = id; self.organizationId = organizationId; self.kind = kind; self.description = description
        self.madeOn = madeOn; self.addressedTo = addressedTo; self.createdAt = createdAt
    }
}

public struct NewSignal: Codable, Sendable {
    public var kind: Signal.Kind
    public var description: String
    public var madeOn: CalendarDate
    public var addressedToOrganizationIds: [ID<Organization>]
    public init(kind: Signal.Kind, description: String, madeOn: CalendarDate, addressedToOrganizationIds: [ID<Organization>]) {
        self.kind = kind; self.description = description; self.madeOn = madeOn; self.addressedToOrganizationIds = addressedToOrganizationIds
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(description, "description", maxLength: 4000)
        v.require(!addressedToOrganizationIds.isEmpty, "addressedToOrganizationIds", "min-items", "address the signal to at least one partner")
        v.require(
            Set(addressedToOrganizationIds).count == addressedToOrganizationIds.count, "addressedToOrganizationIds", "unique",
            "name each partner once")
        v.require(madeOn <= today, "madeOn", "not-in-future", "record a signal once it has been made")
        try v.check()
    }
}

/// Who held which role in which organisation, from when to when.
public struct RoleHolding: Codable, Sendable, Equatable {
    public var id: ID<RoleHolding>
    public var organizationId: ID<Organization>
    public var title: String
    public var holderName: String
    public var userId: ID<User>?
    /// One holder at a time (a chief executive, a deputy minister): terms may not overlap.
    public var singleHolder: Bool
    /// A leadership role: a change of holder is recorded as an outside event.
    public var leadership: Bool
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?
    public init(
        id: ID<RoleHolding>, organizationId: ID<Organization>, title: String, holderName: String, userId: ID<User>?,
        singleHolder: Bool, leadership: Bool, startsOn: CalendarDate, endsOn: CalendarDate?
    ) {
        self.id = id; self.organizationId = organizationId; self.title = title; self.holderName = holderName; self.userId = userId
        self.singleHolder = singleHolder; self.leadership = leadership; self.startsOn = startsOn; self.endsOn = endsOn
    }

    /// Whether two terms share a day (an open end runs forever).
    public func overlaps(_ startsOn: CalendarDate, _ endsOn: CalendarDate?) -> Bool {
        let myEnd = self.endsOn, otherEnd = endsOn
        let startsBeforeOtherEnds = otherEnd.map { self.startsOn <= $0 } ?? true
        let otherStartsBeforeMineEnds = myEnd.map { startsOn <= $0 } ?? true
        return startsBeforeOtherEnds && otherStartsBeforeMineEnds
    }
}

public struct NewRoleHolding: Codable, Sendable {
    public var title: String
    public var holderName: String
    public var userId: ID<User>?
    public var singleHolder: Bool
    public var leadership: Bool
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?
    public init(
        title: String, holderName: String, userId: ID<User>? = nil, singleHolder: Bool, leadership: Bool,
        startsOn: CalendarDate, endsOn: CalendarDate? = nil
    ) {
        self.title = title; self.holderName = holderName; self.userId = userId; self.singleHolder = singleHolder
        self.leadership = leadership; self.startsOn = startsOn; self.endsOn = endsOn
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 200)
        v.requireText(holderName, "holderName", maxLength: 200)
        if let endsOn { v.require(endsOn >= startsOn, "endsOn", "after-start", "a role cannot end before it starts") }
        try v.check()
    }
}

/// Something outside the partnership that moves it: a pandemic wave, an
/// election or cabinet shuffle, a policy announcement, a funding change, a new leader.
public struct OutsideEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case outbreakWave = "outbreak-wave"
        case election
        case cabinetChange = "cabinet-change"
        case policyAnnouncement = "policy-announcement"
        case fundingChange = "funding-change"
        case leadershipChange = "leadership-change"
        case other
    }
    public var id: ID<OutsideEvent>
    public var kind: Kind
    public var title: String
    public var description: String
    public var occurredOn: CalendarDate
    public var endsOn: CalendarDate?
    public var affectedOrganizationIds: [ID<Organization>]
    public var recordedAt: Timestamp
    public init(
        id: ID<OutsideEvent>, kind: Kind, title: String, description: String, occurredOn: CalendarDate, endsOn: CalendarDate?,
        affectedOrganizationIds: [ID<Organization>], recordedAt: Timestamp
    ) {
        self.id = id; self.kind = kind; self.title = title; self.description = description; self.occurredOn = occurredOn
        self.endsOn = endsOn; self.affectedOrganizationIds = affectedOrganizationIds; self.recordedAt = recordedAt
    }
}

public struct NewOutsideEvent: Codable, Sendable {
    public var kind: OutsideEvent.Kind
    public var title: String
    public var description: String
    public var occurredOn: CalendarDate
    public var endsOn: CalendarDate?
    public var affectedOrganizationIds: [ID<Organization>]
    public init(
        kind: OutsideEvent.Kind, title: String, description: String, occurredOn: CalendarDate, endsOn: CalendarDate? = nil,
        affectedOrganizationIds: [ID<Organization>]
    ) {
        self.kind = kind; self.title = title; self.description = description; self.occurredOn = occurredOn; self.endsOn = endsOn
        self.affectedOrganizationIds = affectedOrganizationIds
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 300)
        v.limitText(description, "description", maxLength: 8000)
        if let endsOn { v.require(endsOn >= occurredOn, "endsOn", "after-start", "an event cannot end before it starts") }
        try v.check()
    }
}
