// The inputs of each change, as the API receives them. Each validates itself
// and reports every broken rule at once, naming the field.

public struct NewOrganization: Codable, Sendable {
    public var name: String
    public var sector: Sector
    public var alignment: Alignment?
    public var parentId: ID<Organization>?
    public var area: String?
    /// An IANA time zone; when left out, the one its area names (`AreaTimeZones`), else the network's.
    public var timeZone: String?
    public init(
        name: String, sector: Sector, alignment: Alignment? = nil, parentId: ID<Organization>? = nil, area: String? = nil,
        timeZone: String? = nil
    ) {
        self.name = name; self.sector = sector; self.alignment = alignment; self.parentId = parentId; self.area = area
        self.timeZone = timeZone
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(name, "name", maxLength: 200)
        v.limitText(area, "area", maxLength: 200)
        v.limitText(timeZone, "timeZone", maxLength: 64)
        try v.check()
    }

    /// The zone the organisation gets: the one given, else its area's.
    public var resolvedTimeZone: String? { timeZone ?? AreaTimeZones.zone(forArea: area) }
}

public struct NewUser: Codable, Sendable {
    public var organizationId: ID<Organization>
    public var email: String
    public var displayName: String
    public var roles: Set<Role>
    public var password: String
    /// The evaluator role's period, required with it (first and last day).
    public var evaluatorFrom: CalendarDate?
    public var evaluatorUntil: CalendarDate?
    public init(
        organizationId: ID<Organization>, email: String, displayName: String, roles: Set<Role>, password: String,
        evaluatorFrom: CalendarDate? = nil, evaluatorUntil: CalendarDate? = nil
    ) {
        self.organizationId = organizationId; self.email = email; self.displayName = displayName
        self.roles = roles; self.password = password; self.evaluatorFrom = evaluatorFrom; self.evaluatorUntil = evaluatorUntil
    }
    /// The evaluator's period when the new user is one.
    public var evaluatorPeriod: EvaluationPeriod? {
        guard roles.contains(.evaluator), let evaluatorFrom, let evaluatorUntil else { return nil }
        return try? EvaluationPeriod(from: evaluatorFrom, until: evaluatorUntil)
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(displayName, "displayName", maxLength: 200)
        let at = email.firstIndex(of: "@")
        v.require(
            at != nil && at != email.startIndex && email.last != "@" && !email.contains(" "),
            "email", "format", "email must look like name@example.org")
        v.require(!roles.isEmpty, "roles", "required", "a user needs at least one role")
        v.require(email.count <= 254, "email", "max-length", "email may be at most 254 characters")
        v.require(password.count >= 12, "password", "min-length", "a password needs at least 12 characters")
        v.require(password.utf8.count <= 72, "password", "max-length", "a password may be at most 72 bytes (bcrypt's limit)")
        if roles.contains(.evaluator) {
            v.require(
                evaluatorFrom != nil && evaluatorUntil != nil, "evaluatorUntil", "required",
                "the evaluator role is granted for a period: give evaluatorFrom and evaluatorUntil")
            if let evaluatorFrom, let evaluatorUntil {
                v.require(evaluatorFrom <= evaluatorUntil, "evaluatorUntil", "order", "evaluatorUntil must be on or after evaluatorFrom")
            }
        } else {
            v.require(
                evaluatorFrom == nil && evaluatorUntil == nil, "evaluatorFrom", "not-allowed", "an evaluator period goes with the evaluator role only"
            )
        }
        try v.check()
    }
}

public struct NewService: Codable, Sendable {
    public var name: String
    public var description: String
    public var needCategories: [NeedCategory]
    public var eligibility: String
    public var areaServed: String
    public var languages: [String]
    public var capacity: Capacity
    public init(
        name: String, description: String, needCategories: [NeedCategory], eligibility: String,
        areaServed: String, languages: [String], capacity: Capacity
    ) {
        self.name = name; self.description = description; self.needCategories = needCategories
        self.eligibility = eligibility; self.areaServed = areaServed; self.languages = languages; self.capacity = capacity
    }
    public func validate() throws {
        var v = Validator()
        v.requireText(name, "name", maxLength: 200)
        v.limitText(description, "description", maxLength: 4000)
        v.require(!needCategories.isEmpty, "needCategories", "required", "a service addresses at least one need category")
        v.require(
            languages.allSatisfy { !$0.isEmpty && !$0.contains(",") && $0.count <= 40 },
            "languages", "format", "languages are short names without commas, e.g. en, fr, pa")
        try v.check()
    }
}

public struct NewClient: Codable, Sendable {
    public var givenName: String
    public var familyName: String
    public var birthDate: CalendarDate?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var preferredLanguage: String?
    public init(
        givenName: String, familyName: String, birthDate: CalendarDate? = nil, phone: String? = nil,
        email: String? = nil, address: String? = nil, preferredLanguage: String? = nil
    ) {
        self.givenName = givenName; self.familyName = familyName; self.birthDate = birthDate; self.phone = phone
        self.email = email; self.address = address; self.preferredLanguage = preferredLanguage
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.requireText(givenName, "givenName", maxLength: 100)
        v.requireText(familyName, "familyName", maxLength: 100)
        if let birthDate { v.require(birthDate <= today, "birthDate", "not-in-future", "birthDate cannot be in the future") }
        v.limitText(phone, "phone", maxLength: 40)
        v.limitText(email, "email", maxLength: 200)
        v.limitText(address, "address", maxLength: 400)
        v.limitText(preferredLanguage, "preferredLanguage", maxLength: 40)
        try v.check()
    }
}

public struct NewConsent: Codable, Sendable {
    public var grantee: ConsentGrantee
    public var scopes: Set<ConsentScope>
    public var purpose: ConsentPurpose
    public var validFrom: Timestamp?
    public var validUntil: Timestamp?
    public init(
        grantee: ConsentGrantee, scopes: Set<ConsentScope>, purpose: ConsentPurpose,
        validFrom: Timestamp? = nil, validUntil: Timestamp? = nil
    ) {
        self.grantee = grantee; self.scopes = scopes; self.purpose = purpose
        self.validFrom = validFrom; self.validUntil = validUntil
    }
    public func validate(now: Timestamp) throws {
        var v = Validator()
        v.require(!scopes.isEmpty, "scopes", "required", "a consent covers at least one of contact, needs, notes")
        let from = validFrom ?? now
        if let validUntil {
            v.require(validUntil > from, "validUntil", "after-valid-from", "validUntil must be after validFrom")
            v.require(validUntil > now, "validUntil", "not-in-past", "validUntil must be in the future")
        }
        try v.check()
    }
}

public struct NewScreening: Codable, Sendable {
    public var answers: [NeedCategory: ScreeningAnswer]
    public var screenedOn: CalendarDate?
    public init(answers: [NeedCategory: ScreeningAnswer], screenedOn: CalendarDate? = nil) {
        self.answers = answers; self.screenedOn = screenedOn
    }

    // Decodes `answers` as an object keyed by need category, rejecting unknown keys by name.
    private enum Key: String, CodingKey { case answers, screenedOn }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let raw = try c.decode([String: ScreeningAnswer].self, forKey: .answers)
        var answers: [NeedCategory: ScreeningAnswer] = [:]
        for (key, value) in raw {
            guard let category = NeedCategory(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .answers, in: c,
                    debugDescription:
                        "unknown need category '\(key)'; expected one of \(NeedCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            answers[category] = value
        }
        self.answers = answers
        screenedOn = try c.decodeIfPresent(CalendarDate.self, forKey: .screenedOn)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(Dictionary(uniqueKeysWithValues: answers.map { ($0.key.rawValue, $0.value) }), forKey: .answers)
        try c.encodeIfPresent(screenedOn, forKey: .screenedOn)
    }
    public func validate(today: CalendarDate) throws {
        var v = Validator()
        v.require(!answers.isEmpty, "answers", "required", "a screening records at least one answer")
        if let screenedOn { v.require(screenedOn <= today, "screenedOn", "not-in-future", "screenedOn cannot be in the future") }
        try v.check()
    }
}

public struct NewReferral: Codable, Sendable {
    public var clientId: ID<Client>
    /// The receiving organisation; leave out (with no serviceId) to open the referral for any eligible partner to claim.
    public var organizationId: ID<Organization>?
    public var serviceId: ID<Service>?
    public var needCategory: NeedCategory
    public var needIds: [ID<IdentifiedNeed>]?
    public var priority: Priority?
    public var note: String?
    public var firstResponseDue: Timestamp?
    public var followUpDue: Timestamp?
    /// Save as a draft instead of sending.
    public var draft: Bool?
    /// The referral this one is made from: a partner working that referral refers the client on
    /// (to primary care or another partner), under a consent it records for the client.
    public var partOfReferralId: ID<Referral>?
    public init(
        clientId: ID<Client>, organizationId: ID<Organization>? = nil, serviceId: ID<Service>? = nil,
        needCategory: NeedCategory, needIds: [ID<IdentifiedNeed>]? = nil, priority: Priority? = nil,
        note: String? = nil, firstResponseDue: Timestamp? = nil, followUpDue: Timestamp? = nil, draft: Bool? = nil,
        partOfReferralId: ID<Referral>? = nil
    ) {
        self.clientId = clientId; self.organizationId = organizationId; self.serviceId = serviceId
        self.needCategory = needCategory; self.needIds = needIds; self.priority = priority; self.note = note
        self.firstResponseDue = firstResponseDue; self.followUpDue = followUpDue; self.draft = draft
        self.partOfReferralId = partOfReferralId
    }
    public func validate(now: Timestamp) throws {
        var v = Validator()
        v.limitText(note, "note", maxLength: 4000)
        if let firstResponseDue { v.require(firstResponseDue > now, "firstResponseDue", "not-in-past", "firstResponseDue must be in the future") }
        if let followUpDue { v.require(followUpDue > now, "followUpDue", "not-in-past", "followUpDue must be in the future") }
        v.require((needIds ?? []).count <= 20, "needIds", "max-items", "a referral cites at most 20 needs")
        try v.check()
    }
}

public struct StatusChange: Codable, Sendable {
    public var status: TaskStatus
    public var reason: String?
    /// Why a referral is declined, as a code the network counts (the reason in words goes with it).
    public var reasonCode: DeclineReason?
    public var outcome: ReferralOutcome?
    public init(status: TaskStatus, reason: String? = nil, reasonCode: DeclineReason? = nil, outcome: ReferralOutcome? = nil) {
        self.status = status; self.reason = reason; self.reasonCode = reasonCode; self.outcome = outcome
    }
}

/// Why a partner declines a referral. `noCapacity` also asks the partner to bring its service's
/// capacity up to date, so navigators stop sending referrals it cannot take.
public enum DeclineReason: String, Codable, Sendable, CaseIterable {
    case noCapacity = "no-capacity"
    case notEligible = "not-eligible"
    case outsideArea = "outside-area"
    case clientDeclined = "client-declined"
    case unableToContact = "unable-to-contact"
    case other

    public var title: String {
        switch self {
        case .noCapacity: "No capacity"
        case .notEligible: "Not eligible"
        case .outsideArea: "Outside our area"
        case .clientDeclined: "The client declined"
        case .unableToContact: "Could not reach the client"
        case .other: "Another reason"
        }
    }
}

public struct ReferralUpdate: Codable, Sendable {
    public var priority: Priority?
    public var followUpDue: Timestamp?
    public var note: String?
    public init(priority: Priority? = nil, followUpDue: Timestamp? = nil, note: String? = nil) {
        self.priority = priority; self.followUpDue = followUpDue; self.note = note
    }
}
