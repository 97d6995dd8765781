/// Pulse surveys: partnership members rate each partner organisation on
/// relational coordination (5 points), trust and value (4 points). Items are
/// our own wording of those constructs.
public enum SurveyItem: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    case frequentCommunication = "rc-frequent"
    case timelyCommunication = "rc-timely"
    case accurateCommunication = "rc-accurate"
    case problemSolvingCommunication = "rc-problem-solving"
    case sharedGoals = "rc-shared-goals"
    case sharedKnowledge = "rc-shared-knowledge"
    case mutualRespect = "rc-mutual-respect"
    case trustReliable = "trust-reliable"
    case trustSupportsMission = "trust-supports-mission"
    case trustOpen = "trust-open"
    case valueInfluence = "value-influence"
    case valueInvolvement = "value-involvement"
    case valueResources = "value-resources"

    /// The highest point of the item's scale (the lowest is 1).
    public var scale: Int { rawValue.hasPrefix("rc-") ? 5 : 4 }

    /// The question as a respondent reads it, about one partner organisation.
    public var question: String {
        switch self {
        case .frequentCommunication: return "How often do you hear from this organisation when it matters for the people you both serve?"
        case .timelyCommunication: return "When you need something from them, does it arrive in time to be useful?"
        case .accurateCommunication: return "How accurate is the information they give you?"
        case .problemSolvingCommunication: return "When something goes wrong between you, do they work on the problem rather than on who is to blame?"
        case .sharedGoals: return "How much do they share your goals for the people you both serve?"
        case .sharedKnowledge: return "How well do they understand the work your organisation does?"
        case .mutualRespect: return "How much do they respect the work your organisation does?"
        case .trustReliable: return "They do what they say they will do."
        case .trustSupportsMission: return "They support our organisation's mission."
        case .trustOpen: return "They are open to discussing how we work together."
        case .valueInfluence: return "They have influence that helps our shared work."
        case .valueInvolvement: return "They are actively involved in our shared work."
        case .valueResources: return "They bring resources (staff, money, space, knowledge) to our shared work."
        }
    }

    /// Checks one answer: a known item and a whole score on its scale.
    public static func check(_ answers: [SurveyItem: Int]) throws {
        var v = Validator()
        v.require(!answers.isEmpty, "answers", "required", "answer at least one item")
        for (item, score) in answers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            v.require((1...item.scale).contains(score), "answers.\(item.rawValue)", "range", "\(item.rawValue) is rated from 1 to \(item.scale)")
        }
        try v.check()
    }

    /// Results are shown only as aggregates of at least this many respondents.
    public static let minimumRespondents = 3
}

public struct SurveyRound: Codable, Sendable, Equatable {
    public var id: ID<SurveyRound>
    public var title: String
    public var organizationId: ID<Organization>
    public var participantOrganizationIds: [ID<Organization>]
    public var opensOn: CalendarDate
    public var closesOn: CalendarDate
    public var createdAt: Timestamp
    public init(
        id: ID<SurveyRound>, title: String, organizationId: ID<Organization>, participantOrganizationIds: [ID<Organization>],
        opensOn: CalendarDate, closesOn: CalendarDate, createdAt: Timestamp
    ) {
        self.id = id; self.title = title; self.organizationId = organizationId; self.participantOrganizationIds = participantOrganizationIds
        self.opensOn = opensOn; self.closesOn = closesOn; self.createdAt = createdAt
    }
    public func isOpen(on day: CalendarDate) -> Bool { opensOn <= day && day <= closesOn }
}

public struct NewSurveyRound: Codable, Sendable {
    public var title: String
    public var participantOrganizationIds: [ID<Organization>]
    public var opensOn: CalendarDate
    public var closesOn: CalendarDate
    public init(title: String, participantOrganizationIds: [ID<Organization>], opensOn: CalendarDate, closesOn: CalendarDate) {
        self.title = title; self.participantOrganizationIds = participantOrganizationIds; self.opensOn = opensOn; self.closesOn = closesOn
    }
    /// The convening organisation always takes part, so one partner is enough.
    public func validate(convener: ID<Organization>) throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 300)
        v.require(
            Set(participantOrganizationIds + [convener]).count >= 2, "participantOrganizationIds", "min-items",
            "a survey round needs at least one partner organisation besides yours")
        v.require(closesOn >= opensOn, "closesOn", "after-opens", "a round cannot close before it opens")
        try v.check()
    }
}

/// One organisation's ratings by its partners in a round, aggregated.
public struct SurveyResult: Codable, Sendable, Equatable {
    public var organizationId: ID<Organization>
    /// Distinct people who rated this organisation.
    public var respondents: Int
    /// Mean score per item; empty while fewer than `minimumRespondents` answered.
    public var means: [SurveyItem: Double]
    public var suppressed: Bool
    public init(organizationId: ID<Organization>, respondents: Int, means: [SurveyItem: Double], suppressed: Bool) {
        self.organizationId = organizationId; self.respondents = respondents; self.means = means; self.suppressed = suppressed
    }
}

/// The survey component of a pair's climate: how the two organisations rate
/// each other, 0…1.
public enum SurveyComponent {
    /// A round counts for the periods ending within a year of its close.
    public static let validDays = 365

    /// The mean, over the directions given (a about b, b about a), of each
    /// direction's mean item score rescaled to 0…1 (1 → 0, the top of the scale → 1).
    /// Directions must already be limited to items with enough respondents; nil when none is left.
    /// Items are summed in a fixed order (a dictionary's order changes from one process to the
    /// next, and floating-point addition depends on it); pass the directions in a fixed order too.
    public static func value(_ directions: [[SurveyItem: Double]]) -> Double? {
        let scores = directions.filter { !$0.isEmpty }.map { means in
            means.sorted { $0.key.rawValue < $1.key.rawValue }.map { item, mean in (mean - 1) / Double(item.scale - 1) }.reduce(0, +)
                / Double(means.count)
        }
        return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    }
}
