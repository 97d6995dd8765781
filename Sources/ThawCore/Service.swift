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
    /// On a waitlist: about how many days a client waits, as the service last said.
    public var estimatedWaitDays: Int?
    public var updatedAt: Timestamp
    /// When someone of the organisation last said the record is right (a capacity update says so too), and who.
    public var verifiedAt: Timestamp?
    public var verifiedBy: String?

    public init(
        id: ID<Service>, organizationId: ID<Organization>, name: String, description: String,
        needCategories: [NeedCategory], eligibility: String, areaServed: String,
        languages: [String], capacity: Capacity, estimatedWaitDays: Int? = nil, updatedAt: Timestamp,
        verifiedAt: Timestamp? = nil, verifiedBy: String? = nil
    ) {
        self.id = id; self.organizationId = organizationId; self.name = name; self.description = description
        self.needCategories = needCategories; self.eligibility = eligibility; self.areaServed = areaServed
        self.languages = languages; self.capacity = capacity; self.estimatedWaitDays = estimatedWaitDays; self.updatedAt = updatedAt
        self.verifiedAt = verifiedAt; self.verifiedBy = verifiedBy
    }

    /// Unverified for longer than the network's policy allows (never verified counts as stale).
    public func isStale(policyDays: Int, now: Timestamp) -> Bool {
        Freshness.isStale(verifiedAt: verifiedAt, policyDays: policyDays, now: now)
    }
}

/// How fresh a directory record is held to be.
public enum Freshness {
    /// Records unverified for longer than this are flagged, unless the network sets its own policy.
    public static let defaultPolicyDays = 180

    public static func isStale(verifiedAt: Timestamp?, policyDays: Int, now: Timestamp) -> Bool {
        guard let verifiedAt else { return true }
        return verifiedAt < now.adding(days: -policyDays)
    }

    /// A waitlist's estimated wait in words (HSDS `wait_time`).
    public static func waitTime(days: Int) -> String {
        switch days {
        case ..<1: "No wait"
        case 1: "About 1 day"
        case ..<14: "About \(days) days"
        case ..<60: "About \((days + 3) / 7) weeks"
        default: "About \((days + 15) / 30) months"
        }
    }
}

/// A capacity update: the capacity, and on a waitlist the estimated wait.
public struct CapacityUpdate: Codable, Sendable, Equatable {
    public var capacity: Capacity
    public var estimatedWaitDays: Int?

    public init(capacity: Capacity, estimatedWaitDays: Int? = nil) { self.capacity = capacity; self.estimatedWaitDays = estimatedWaitDays }

    public func validate() throws {
        var v = Validator()
        if let days = estimatedWaitDays {
            v.require(capacity == .waitlist, "estimatedWaitDays", "not-allowed", "an estimated wait is given only for a waitlist")
            v.require((0...730).contains(days), "estimatedWaitDays", "range", "estimatedWaitDays is between 0 and 730")
        }
        try v.check()
    }
}

/// Lets `[NeedCategory: X]` encode as a JSON object keyed by the code, not as
/// Swift's default alternating array.
extension NeedCategory: CodingKeyRepresentable {}
