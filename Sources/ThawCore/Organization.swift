/// Where an organisation sits in the system; the climate measures and consent
/// scopes both group organisations by sector.
public enum Sector: String, Codable, Sendable, CaseIterable {
    case primaryCare = "primary-care"
    case healthSystem = "health-system"
    case socialCare = "social-care"
    case community
    case government
}

/// For primary care and the central system, which side of the divide the
/// research describes an organisation is on.
public enum Alignment: String, Codable, Sendable, CaseIterable {
    case independentPrimaryCare = "independent-primary-care"
    case centralSystem = "central-system"
}

public struct Organization: Codable, Sendable, Equatable {
    public var id: ID<Organization>
    public var name: String
    public var sector: Sector
    public var alignment: Alignment?
    /// The organisation this one is part of (a clinic in a primary care network,
    /// a unit in a health authority).
    public var parentId: ID<Organization>?
    public var area: String?
    /// The IANA time zone its people work in ("America/Edmonton"): times are shown and entered in it,
    /// and its days begin at its midnight. nil: the network's own zone.
    public var timeZone: String?
    public var createdAt: Timestamp

    public init(
        id: ID<Organization>, name: String, sector: Sector, alignment: Alignment? = nil,
        parentId: ID<Organization>? = nil, area: String? = nil, timeZone: String? = nil, createdAt: Timestamp
    ) {
        self.id = id; self.name = name; self.sector = sector; self.alignment = alignment
        self.parentId = parentId; self.area = area; self.timeZone = timeZone; self.createdAt = createdAt
    }
}

public enum Role: String, Codable, Sendable, CaseIterable {
    case navigator
    case clinician
    case partnerStaff = "partner-staff"
    case partnershipLead = "partnership-lead"
    /// Administers its own organisation: its users, services, capacity and API tokens.
    case administrator
    /// Administers the network from the hosting organisation: adds organisations and
    /// their first administrators. It gives no access to any organisation's clients.
    case networkAdministrator = "network-administrator"
    /// A researcher or funder's evaluator, granted by a network administrator for a period
    /// (outside it the role does nothing): aggregate reports and de-identified exports only,
    /// never a client's identity or free text.
    case evaluator
}

public struct User: Codable, Sendable, Equatable {
    public var id: ID<User>
    public var organizationId: ID<Organization>
    public var email: String
    public var displayName: String
    public var roles: Set<Role>
    public var active: Bool
    public var createdAt: Timestamp
    /// The language the person reads Thaw in (`en` or `fr`); nil: English.
    public var language: String?

    public init(
        id: ID<User>, organizationId: ID<Organization>, email: String, displayName: String,
        roles: Set<Role>, active: Bool = true, createdAt: Timestamp, language: String? = nil
    ) {
        self.id = id; self.organizationId = organizationId; self.email = email
        self.displayName = displayName; self.roles = roles; self.active = active; self.createdAt = createdAt
        self.language = language
    }

    /// The languages a person may read Thaw in: Canada's official languages.
    public static let languages: Set<String> = ["en", "fr"]

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(organizationId, forKey: .organizationId)
        try c.encode(email, forKey: .email)
        try c.encode(displayName, forKey: .displayName)
        try c.encodeSorted(roles, forKey: .roles)
        try c.encode(active, forKey: .active)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(language, forKey: .language)
    }
}

/// Who is acting: the signed-in user, their organisation and its sector.
/// Every storage call that touches client data takes one.
public struct Actor: Sendable, Equatable {
    public let userId: ID<User>
    public let organizationId: ID<Organization>
    public let sector: Sector
    public let roles: Set<Role>
    /// The organisation's IANA time zone: where "today" and "due on a day" are reckoned for this actor.
    public let timeZone: String?
    /// Where the person is employed, when they act for an organisation they are placed with
    /// (`organizationId`); nil when they act for their own.
    public let homeOrganizationId: ID<Organization>?

    public init(
        userId: ID<User>, organizationId: ID<Organization>, sector: Sector, roles: Set<Role>, timeZone: String? = nil,
        homeOrganizationId: ID<Organization>? = nil
    ) {
        self.userId = userId; self.organizationId = organizationId; self.sector = sector; self.roles = roles
        self.timeZone = timeZone; self.homeOrganizationId = homeOrganizationId
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func hasAny(_ wanted: Set<Role>) -> Bool { !roles.isDisjoint(with: wanted) }
}
