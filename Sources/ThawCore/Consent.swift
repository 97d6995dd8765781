/// What a consent lets the grantee see.
public enum ConsentScope: String, Codable, Sendable, CaseIterable {
    case contact  // phone, email, address, birth date
    case needs  // identified social needs and screening results
    case notes  // free-text referral notes and messages
}

/// What a consent lets its grantee use the information for. Purposes do not
/// nest: a consent covers a use only when it was given for that use's purpose.
public enum ConsentPurpose: String, Codable, Sendable, CaseIterable {
    /// Referring the client to the grantee and the grantee working that referral
    /// until the loop closes: every use of client data Thaw makes today.
    case referral
    /// Coordinating the client's care with the grantee outside a referral (shared
    /// follow-up, care plans). It does not let anyone refer or work a referral.
    case careCoordination = "care-coordination"
}

/// To whom a consent discloses: one organisation, or every organisation of a sector.
public enum ConsentGrantee: Codable, Sendable, Equatable {
    case organization(ID<Organization>)
    case sector(Sector)

    public func includes(organization: ID<Organization>, sector: Sector) -> Bool {
        switch self {
        case .organization(let id): return id == organization
        case .sector(let s): return s == sector
        }
    }

    private enum Key: String, CodingKey { case organizationId, sector }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let org = try c.decodeIfPresent(ID<Organization>.self, forKey: .organizationId)
        let sector = try c.decodeIfPresent(Sector.self, forKey: .sector)
        switch (org, sector) {
        case (let o?, nil): self = .organization(o)
        case (nil, let s?): self = .sector(s)
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "give exactly one of organizationId or sector"))
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .organization(let id): try c.encode(id, forKey: .organizationId)
        case .sector(let s): try c.encode(s, forKey: .sector)
        }
    }
}

/// A client's consent to share information with partners.
public struct Consent: Codable, Sendable, Equatable {
    public var id: ID<Consent>
    public var clientId: ID<Client>
    public var grantee: ConsentGrantee
    public var scopes: Set<ConsentScope>
    public var purpose: ConsentPurpose
    public var validFrom: Timestamp
    public var validUntil: Timestamp?
    public var revokedAt: Timestamp?
    public var recordedBy: ID<User>
    public var recordedAt: Timestamp

    public init(
        id: ID<Consent>, clientId: ID<Client>, grantee: ConsentGrantee, scopes: Set<ConsentScope>,
        purpose: ConsentPurpose, validFrom: Timestamp, validUntil: Timestamp?, revokedAt: Timestamp? = nil,
        recordedBy: ID<User>, recordedAt: Timestamp
    ) {
        self.id = id; self.clientId = clientId; self.grantee = grantee; self.scopes = scopes
        self.purpose = purpose; self.validFrom = validFrom; self.validUntil = validUntil
        self.revokedAt = revokedAt; self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(clientId, forKey: .clientId)
        try c.encode(grantee, forKey: .grantee)
        try c.encodeSorted(scopes, forKey: .scopes)
        try c.encode(purpose, forKey: .purpose)
        try c.encode(validFrom, forKey: .validFrom)
        try c.encodeIfPresent(validUntil, forKey: .validUntil)
        try c.encodeIfPresent(revokedAt, forKey: .revokedAt)
        try c.encode(recordedBy, forKey: .recordedBy)
        try c.encode(recordedAt, forKey: .recordedAt)
    }

    public func isActive(at now: Timestamp) -> Bool {
        if let revokedAt, revokedAt <= now { return false }
        if let validUntil, validUntil <= now { return false }
        return validFrom <= now
    }

    public func covers(organization: ID<Organization>, sector: Sector, for use: ConsentPurpose, at now: Timestamp) -> Bool {
        purpose == use && isActive(at: now) && grantee.includes(organization: organization, sector: sector)
    }
}

public extension Array where Element == Consent {
    /// The union of scopes the active consents for `use` give this organisation; empty means no access.
    func scopes(
        for organization: ID<Organization>, sector: Sector, use: ConsentPurpose = .referral,
        at now: Timestamp
    ) -> Set<ConsentScope> {
        reduce(into: []) { acc, consent in
            if consent.covers(organization: organization, sector: sector, for: use, at: now) { acc.formUnion(consent.scopes) }
        }
    }

    /// Whether any consent is active now for `use`, whoever it names.
    func anyActive(for use: ConsentPurpose, at now: Timestamp) -> Bool {
        contains { $0.purpose == use && $0.isActive(at: now) }
    }
}
