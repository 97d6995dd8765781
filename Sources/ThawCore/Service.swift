/// The social needs Thaw screens for and services address
/// (the SDOH domains of the Gravity Project, in our own short codes).
public enum NeedCategory: String, Codable, Sendable, CaseIterable {
    case housing
    case food
    case transportation
    case utilities
    case personalSafety = "personal-safety"
    case employment
    case income
    case childcare
    case socialIsolation = "social-isolation"
    case mentalHealth = "mental-health"
}

extension NeedCategory {
    /// The domain's name, as people read it.
    public var title: String {
        switch self {
        case .housing: "Housing"
        case .food: "Food"
        case .transportation: "Transportation"
        case .utilities: "Utilities"
        case .personalSafety: "Personal safety"
        case .employment: "Employment"
        case .income: "Income"
        case .childcare: "Childcare"
        case .socialIsolation: "Social isolation"
        case .mentalHealth: "Mental health"
        }
    }
}

public enum Capacity: String, Codable, Sendable, CaseIterable {
    case accepting
    case waitlist
    case closed
}

/// A service an organisation offers (Open Referral HSDS `service`).
public struct Service: Codable, Sendable, Equatable {
    public var id: ID<Service>
    public var organizationId: ID<Organization>
    public var name: String
    public var description: String
    public var needCategories: [NeedCategory]
    public var eligibility: String
    public var areaServed: String
    public var languages: [String]
    public var capacity: Capacity
    public var updatedAt: Timestamp

    public init(
        id: ID<Service>, organizationId: ID<Organization>, name: String, description: String,
        needCategories: [NeedCategory], eligibility: String, areaServed: String,
        languages: [String], capacity: Capacity, updatedAt: Timestamp
    ) {
        self.id = id; self.organizationId = organizationId; self.name = name; self.description = description
        self.needCategories = needCategories; self.eligibility = eligibility; self.areaServed = areaServed
        self.languages = languages; self.capacity = capacity; self.updatedAt = updatedAt
    }
}

/// Lets `[NeedCategory: X]` encode as a JSON object keyed by the code, not as
/// Swift's default alternating array.
extension NeedCategory: CodingKeyRepresentable {}
