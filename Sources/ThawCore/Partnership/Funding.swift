/// Joint funding between organisations, with its term and whether it will be renewed.
public struct FundingAgreement: Codable, Sendable, Equatable {
    public enum Renewal: String, Codable, Sendable, CaseIterable {
        case notStarted = "not-started"
        case inNegotiation = "in-negotiation"
        case renewed
        case notRenewed = "not-renewed"
    }
    public var id: ID<FundingAgreement>
    public var title: String
    public var purpose: String
    /// In the smallest unit of the currency (cents), so sums are exact.
    public var amountCents: Int64
    public var currency: String
    public var partyOrganizationIds: [ID<Organization>]
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var renewal: Renewal
    public var createdAt: Timestamp
    public var version: Int

    public init(
        id: ID<FundingAgreement>, title: String, purpose: String, amountCents: Int64, currency: String,
        partyOrganizationIds: [ID<Organization>], startsOn: CalendarDate, endsOn: CalendarDate, renewal: Renewal,
        createdAt: Timestamp, version: Int = 1
    ) {
        self.id = id; self.title = title; self.purpose = purpose; self.amountCents = amountCents; self.currency = currency
        self.partyOrganizationIds = partyOrganizationIds; self.startsOn = startsOn; self.endsOn = endsOn; self.renewal = renewal
        self.createdAt = createdAt; self.version = version
    }

    /// Days from `today` to the last day of the term (negative once expired).
    public func daysToExpiry(from today: CalendarDate) -> Int {
        Int((endsOn.startOfDay.millis - today.startOfDay.millis) / 86_400_000)
    }

    /// The alert threshold reached, if any: 180, 90 or 30 days before expiry
    /// (an agreement already renewed raises none).
    public func alert(on today: CalendarDate) -> Int? {
        guard renewal != .renewed else { return nil }
        return Self.alert(daysToExpiry: daysToExpiry(from: today))
    }

    /// The threshold an agreement ending in `days` has reached: 180, 90 or 30 (none once expired).
    public static func alert(daysToExpiry days: Int) -> Int? {
        guard days >= 0 else { return nil }
        return alertThresholds.first { days <= $0 }
    }

    public static let alertThresholds = [30, 90, 180]
}

public struct NewFundingAgreement: Codable, Sendable {
    public var title: String
    public var purpose: String
    public var amountCents: Int64
    public var currency: String?
    public var partyOrganizationIds: [ID<Organization>]
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var renewal: FundingAgreement.Renewal?
    public init(
        title: String, purpose: String, amountCents: Int64, currency: String? = nil, partyOrganizationIds: [ID<Organization>],
        startsOn: CalendarDate, endsOn: CalendarDate, renewal: FundingAgreement.Renewal? = nil
    ) {
        self.title = title; self.purpose = purpose; self.amountCents = amountCents; self.currency = currency
        self.partyOrganizationIds = partyOrganizationIds; self.startsOn = startsOn; self.endsOn = endsOn; self.renewal = renewal
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 300)
        v.limitText(purpose, "purpose", maxLength: 4000)
        v.require(amountCents >= 0, "amountCents", "not-negative", "the amount cannot be negative")
        v.require(partyOrganizationIds.count >= 2, "partyOrganizationIds", "min-items", "joint funding has at least two parties")
        v.require(Set(partyOrganizationIds).count == partyOrganizationIds.count, "partyOrganizationIds", "unique", "name each party once")
        v.require(endsOn > startsOn, "endsOn", "after-start", "the term must end after it starts")
        if let currency {
            v.require(currency.count == 3 && currency.allSatisfy(\.isUppercase), "currency", "format", "currency is an ISO 4217 code such as CAD")
        }
        try v.check()
    }
}
