public enum ScreeningAnswer: String, Codable, Sendable, CaseIterable {
    case yes  // the client reports this need
    case no
    case declined  // the client chose not to answer
}

/// A short social-needs screening: one answer per need domain asked.
public struct Screening: Codable, Sendable, Equatable {
    public var id: ID<Screening>
    public var clientId: ID<Client>
    public var answers: [NeedCategory: ScreeningAnswer]
    public var screenedOn: CalendarDate
    public var screenedBy: ID<User>

    public init(
        id: ID<Screening>, clientId: ID<Client>, answers: [NeedCategory: ScreeningAnswer],
        screenedOn: CalendarDate, screenedBy: ID<User>
    ) {
        self.id = id; self.clientId = clientId; self.answers = answers
        self.screenedOn = screenedOn; self.screenedBy = screenedBy
    }

    /// The needs this screening identifies: every domain answered "yes", in a stable order.
    public var identifiedCategories: [NeedCategory] {
        NeedCategory.allCases.filter { answers[$0] == .yes }
    }
}

/// A need identified for a client on a date (FHIR Condition, SDOH category). It stays open
/// until it is met, the client declines help with it, or it no longer applies; each close
/// says on which day and by whom, so the client page can tell the need's whole story.
public struct IdentifiedNeed: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case active
        case met
        case declined  // the client no longer wants help with it
        case notApplicable = "not-applicable"  // it no longer applies (moved away, circumstances changed)
    }
    public var id: ID<IdentifiedNeed>
    public var clientId: ID<Client>
    public var category: NeedCategory
    public var identifiedOn: CalendarDate
    public var screeningId: ID<Screening>?
    public var status: Status
    public var closedOn: CalendarDate?
    public var closedBy: ID<User>?
    public var closedByOrganizationId: ID<Organization>?
    /// The referral whose outcome closed it, when one did.
    public var closingReferralId: ID<Referral>?

    public init(
        id: ID<IdentifiedNeed>, clientId: ID<Client>, category: NeedCategory,
        identifiedOn: CalendarDate, screeningId: ID<Screening>?, status: Status = .active,
        closedOn: CalendarDate? = nil, closedBy: ID<User>? = nil, closedByOrganizationId: ID<Organization>? = nil,
        closingReferralId: ID<Referral>? = nil
    ) {
        self.id = id; self.clientId = clientId; self.category = category
        self.identifiedOn = identifiedOn; self.screeningId = screeningId; self.status = status
        self.closedOn = closedOn; self.closedBy = closedBy; self.closedByOrganizationId = closedByOrganizationId
        self.closingReferralId = closingReferralId
    }

    public var isOpen: Bool { status == .active }
}

/// Closing a need: why, on which day (nil: today), and the referral whose outcome closed it.
public struct NeedClosure: Codable, Sendable, Equatable {
    public var status: IdentifiedNeed.Status
    public var closedOn: CalendarDate?
    public var referralId: ID<Referral>?

    public init(status: IdentifiedNeed.Status, closedOn: CalendarDate? = nil, referralId: ID<Referral>? = nil) {
        self.status = status; self.closedOn = closedOn; self.referralId = referralId
    }

    public func validate(need: IdentifiedNeed, today: CalendarDate) throws {
        var v = Validator()
        v.require(
            status != .active, "status", "closing", "status must be met, declined or not-applicable; reopening is done by identifying the need again")
        if let closedOn {
            v.require(closedOn <= today, "closedOn", "not-in-future", "closedOn cannot be after today")
            v.require(closedOn >= need.identifiedOn, "closedOn", "after-identified", "closedOn cannot be before the need was identified")
        }
        try v.check()
    }
}

/// An open need the caseload should not lose: never referred anywhere, or every referral for
/// it declined, cancelled, closed as not completed, or completed without meeting it.
public struct NeedGap: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case neverReferred = "never-referred"
        case allReferralsFailed = "all-referrals-failed"
    }
    public var kind: Kind
    public var need: IdentifiedNeed
    public var clientName: String
    /// How many referrals named it (all of them failed, for `allReferralsFailed`).
    public var referrals: Int

    public init(kind: Kind, need: IdentifiedNeed, clientName: String, referrals: Int) {
        self.kind = kind; self.need = need; self.clientName = clientName; self.referrals = referrals
    }
}
