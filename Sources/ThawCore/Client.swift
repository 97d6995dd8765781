/// A person the referring organisation serves. The record is held by that
/// organisation; partners see parts of it only through consent.
public struct Client: Codable, Sendable, Equatable {
    public var id: ID<Client>
    public var organizationId: ID<Organization>
    public var givenName: String
    public var familyName: String
    public var birthDate: CalendarDate?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var preferredLanguage: String?
    public var createdAt: Timestamp

    public init(
        id: ID<Client>, organizationId: ID<Organization>, givenName: String, familyName: String,
        birthDate: CalendarDate? = nil, phone: String? = nil, email: String? = nil,
        address: String? = nil, preferredLanguage: String? = nil, createdAt: Timestamp
    ) {
        self.id = id; self.organizationId = organizationId; self.givenName = givenName
        self.familyName = familyName; self.birthDate = birthDate; self.phone = phone; self.email = email
        self.address = address; self.preferredLanguage = preferredLanguage; self.createdAt = createdAt
    }

    /// What a partner organisation may see under the given consent scopes:
    /// the name always (a consent exists), contact details only with `contact`.
    public func disclosed(under scopes: Set<ConsentScope>) -> Client {
        guard !scopes.contains(.contact) else { return self }
        var copy = self
        copy.birthDate = nil; copy.phone = nil; copy.email = nil; copy.address = nil
        return copy
    }
}
