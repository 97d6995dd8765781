/// Two records of one client held by different organisations, linked with the client's consent so
/// that follow-up sees the whole picture that consent allows.
public struct ClientLink: Codable, Sendable, Equatable {
    public enum Basis: String, Codable, Sendable, CaseIterable {
        case identifier  // the same health number (or other identifier) in both records
        case nameAndBirthDate = "name-and-birth-date"  // confirmed by the person linking
    }
    public var id: ID<ClientLink>
    /// This organisation's record.
    public var clientId: ID<Client>
    /// The other organisation's record.
    public var linkedClientId: ID<Client>
    public var linkedOrganizationId: ID<Organization>
    public var basis: Basis
    public var linkedBy: ID<User>
    public var linkedAt: Timestamp
    public var unlinkedAt: Timestamp?

    public init(
        id: ID<ClientLink>, clientId: ID<Client>, linkedClientId: ID<Client>, linkedOrganizationId: ID<Organization>, basis: Basis,
        linkedBy: ID<User>, linkedAt: Timestamp, unlinkedAt: Timestamp? = nil
    ) {
        self.id = id; self.clientId = clientId; self.linkedClientId = linkedClientId; self.linkedOrganizationId = linkedOrganizationId
        self.basis = basis; self.linkedBy = linkedBy; self.linkedAt = linkedAt; self.unlinkedAt = unlinkedAt
    }
}

/// A record at another organisation that may be the same client: where, and why it matched.
/// Offered only where that record's consent for care coordination covers the organisation asking.
public struct ClientLinkCandidate: Codable, Sendable, Equatable {
    public var clientId: ID<Client>
    public var organizationId: ID<Organization>
    public var organizationName: String
    public var basis: ClientLink.Basis

    public init(clientId: ID<Client>, organizationId: ID<Organization>, organizationName: String, basis: ClientLink.Basis) {
        self.clientId = clientId; self.organizationId = organizationId; self.organizationName = organizationName; self.basis = basis
    }
}

public struct NewClientLink: Codable, Sendable, Equatable {
    public var clientId: ID<Client>
    /// A match on name and birth date only: the person linking says they checked it is the same person.
    public var confirmed: Bool?
    public init(clientId: ID<Client>, confirmed: Bool? = nil) { self.clientId = clientId; self.confirmed = confirmed }
}

/// What a linked record shows: its organisation, and its referrals and needs as its consent allows.
public struct LinkedRecord: Codable, Sendable, Equatable {
    public struct ReferralLine: Codable, Sendable, Equatable {
        public var needCategory: NeedCategory
        public var status: TaskStatus
        public var partnerName: String?
        public var createdAt: Timestamp
        public var outcome: ReferralOutcome.Code?

        public init(needCategory: NeedCategory, status: TaskStatus, partnerName: String?, createdAt: Timestamp, outcome: ReferralOutcome.Code?) {
            self.needCategory = needCategory; self.status = status; self.partnerName = partnerName; self.createdAt = createdAt
            self.outcome = outcome
        }
    }
    public var link: ClientLink
    public var organizationName: String
    public var referrals: [ReferralLine]
    /// The record's needs, where its consent includes `needs`; nil where it does not.
    public var needs: [IdentifiedNeed]?

    public init(link: ClientLink, organizationName: String, referrals: [ReferralLine], needs: [IdentifiedNeed]?) {
        self.link = link; self.organizationName = organizationName; self.referrals = referrals; self.needs = needs
    }
}
