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

/// A need identified for a client on a date (FHIR Condition, SDOH category).
public struct IdentifiedNeed: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case active, resolved }
    public var id: ID<IdentifiedNeed>
    public var clientId: ID<Client>
    public var category: NeedCategory
    public var identifiedOn: CalendarDate
    public var screeningId: ID<Screening>?
    public var status: Status

    public init(
        id: ID<IdentifiedNeed>, clientId: ID<Client>, category: NeedCategory,
        identifiedOn: CalendarDate, screeningId: ID<Screening>?, status: Status = .active
    ) {
        self.id = id; self.clientId = clientId; self.category = category
        self.identifiedOn = identifiedOn; self.screeningId = screeningId; self.status = status
    }
}
