/// An identifier another system gives a person (a health number, a medical record
/// number): how a referral from that system finds the client Thaw already holds.
public struct ClientIdentifier: Codable, Sendable, Hashable {
    public var system: String
    public var value: String
    public init(system: String, value: String) { self.system = system; self.value = value }
}

/// A referral sent whole by another system (a referral source's EMR over FHIR): the
/// client as that system knows them, the consents and needs it sends with the referral,
/// and the referral itself. Thaw records all of it in one transaction, or none of it.
public struct ReferralIntake: Sendable {
    /// The client: one Thaw holds already, or one described by the sender, matched to a
    /// client of the sender's organisation by identifier and registered when none matches.
    public enum ClientSource: Sendable {
        case existing(ID<Client>)
        case described(NewClient, identifiers: [ClientIdentifier])
    }

    /// A need the referral is for: one already identified, or one the sender identified.
    public enum NeedSource: Sendable {
        case existing(ID<IdentifiedNeed>)
        case identified(NeedCategory, on: CalendarDate?)
    }

    public var client: ClientSource
    public var consents: [NewConsent]
    public var needs: [NeedSource]
    public var organizationId: ID<Organization>?
    public var serviceId: ID<Service>?
    public var needCategory: NeedCategory
    public var priority: Priority?
    public var note: String?
    public var firstResponseDue: Timestamp?
    /// The sender's own identifier for the referral: the same one sent again finds the
    /// referral made the first time instead of making another.
    public var senderIdentifier: ClientIdentifier?

    public init(
        client: ClientSource, consents: [NewConsent], needs: [NeedSource], organizationId: ID<Organization>?,
        serviceId: ID<Service>?, needCategory: NeedCategory, priority: Priority?, note: String?,
        firstResponseDue: Timestamp?, senderIdentifier: ClientIdentifier?
    ) {
        self.client = client; self.consents = consents; self.needs = needs; self.organizationId = organizationId
        self.serviceId = serviceId; self.needCategory = needCategory; self.priority = priority; self.note = note
        self.firstResponseDue = firstResponseDue; self.senderIdentifier = senderIdentifier
    }

    /// The referral to make once the client and its needs are known.
    public func referral(client: ID<Client>, needs: [ID<IdentifiedNeed>]) -> NewReferral {
        NewReferral(
            clientId: client, organizationId: organizationId, serviceId: serviceId, needCategory: needCategory,
            needIds: needs.isEmpty ? nil : needs, priority: priority, note: note, firstResponseDue: firstResponseDue)
    }
}

/// What an intake recorded: the referral, and for the client and each need whether it
/// was found (false) or made (true).
public struct ReceivedReferral: Sendable {
    public var referral: Referral
    public var client: Client
    public var clientRegistered: Bool
    public var consents: [Consent]
    public var needs: [(need: IdentifiedNeed, identified: Bool)]
    /// The sender's identifier was seen before: this is the referral made then, and nothing new was written.
    public var replayed: Bool

    public init(
        referral: Referral, client: Client, clientRegistered: Bool, consents: [Consent],
        needs: [(need: IdentifiedNeed, identified: Bool)], replayed: Bool
    ) {
        self.referral = referral; self.client = client; self.clientRegistered = clientRegistered
        self.consents = consents; self.needs = needs; self.replayed = replayed
    }
}
