/// A person placed with another organisation for a time: a navigator employed by a community
/// agency but based in a family health team. While placed, and working for it, they work that
/// organisation's caseload, with the roles the placement gives, under its clients' consents.
public struct Placement: Codable, Sendable, Equatable {
    public var id: ID<Placement>
    public var userId: ID<User>
    /// The organisation they are placed with (the host).
    public var organizationId: ID<Organization>
    /// The organisation that employs them.
    public var homeOrganizationId: ID<Organization>
    public var roles: Set<Role>
    public var fromOn: CalendarDate
    public var untilOn: CalendarDate?
    public var recordedBy: ID<User>
    public var recordedAt: Timestamp
    public var endedAt: Timestamp?

    public init(
        id: ID<Placement>, userId: ID<User>, organizationId: ID<Organization>, homeOrganizationId: ID<Organization>, roles: Set<Role>,
        fromOn: CalendarDate, untilOn: CalendarDate?, recordedBy: ID<User>, recordedAt: Timestamp, endedAt: Timestamp? = nil
    ) {
        self.id = id; self.userId = userId; self.organizationId = organizationId; self.homeOrganizationId = homeOrganizationId
        self.roles = roles; self.fromOn = fromOn; self.untilOn = untilOn; self.recordedBy = recordedBy; self.recordedAt = recordedAt
        self.endedAt = endedAt
    }

    public func isActive(on day: CalendarDate) -> Bool {
        endedAt == nil && fromOn <= day && (untilOn.map { day <= $0 } ?? true)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(userId, forKey: .userId)
        try c.encode(organizationId, forKey: .organizationId)
        try c.encode(homeOrganizationId, forKey: .homeOrganizationId)
        try c.encodeSorted(roles, forKey: .roles)
        try c.encode(fromOn, forKey: .fromOn)
        try c.encodeIfPresent(untilOn, forKey: .untilOn)
        try c.encode(recordedBy, forKey: .recordedBy)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encodeIfPresent(endedAt, forKey: .endedAt)
    }
}

public struct NewPlacement: Codable, Sendable, Equatable {
    /// The person placed, by the email they sign in with.
    public var email: String
    public var roles: Set<Role>
    public var fromOn: CalendarDate
    public var untilOn: CalendarDate?

    public init(email: String, roles: Set<Role>, fromOn: CalendarDate, untilOn: CalendarDate? = nil) {
        self.email = email; self.roles = roles; self.fromOn = fromOn; self.untilOn = untilOn
    }

    /// Roles a placement may give: working clients' referrals, never administering the host.
    public static let placeableRoles = AccessPolicy.receivingRoles

    public func validate() throws {
        var v = Validator()
        v.requireText(email, "email", maxLength: 320)
        v.require(!roles.isEmpty, "roles", "required", "a placement gives at least one role")
        v.require(
            roles.isSubset(of: Self.placeableRoles), "roles", "placeable",
            "a placement gives only \(Self.placeableRoles.map(\.rawValue).sorted().joined(separator: ", "))")
        if let untilOn { v.require(untilOn >= fromOn, "untilOn", "after-from", "untilOn cannot be before fromOn") }
        try v.check()
    }
}
