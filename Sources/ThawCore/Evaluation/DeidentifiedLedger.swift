/// The activity ledger as an evaluator receives it: no person, client or free text. People
/// become their role and their organisation's type; organisations and subjects become
/// pseudonyms that hold within one export only (so two exports cannot be joined); times
/// become days; of the detail only coded values under known keys remain.
public struct DeidentifiedEntry: Sendable, Equatable {
    public var order: Int
    public var day: CalendarDate
    public var actorRole: String
    public var actorOrganization: String
    public var actorSector: Sector?
    public var counterpartOrganization: String
    public var counterpartSector: Sector?
    public var kind: String
    public var subjectType: String
    public var subject: String
    public var channel: Channel
    public var detail: [String: String]

    public init(
        order: Int, day: CalendarDate, actorRole: String, actorOrganization: String, actorSector: Sector?, counterpartOrganization: String,
        counterpartSector: Sector?, kind: String, subjectType: String, subject: String, channel: Channel, detail: [String: String]
    ) {
        self.order = order; self.day = day; self.actorRole = actorRole; self.actorOrganization = actorOrganization
        self.actorSector = actorSector; self.counterpartOrganization = counterpartOrganization; self.counterpartSector = counterpartSector
        self.kind = kind; self.subjectType = subjectType; self.subject = subject; self.channel = channel; self.detail = detail
    }
}

public enum Deidentification {
    /// Detail keys whose values are codes chosen from a list, never typed text or an id.
    public static let codedDetailKeys: Set<String> = [
        "from", "to", "reasonCode", "outcome", "status", "step", "priority", "category", "need", "renewal", "timeliness", "rule",
        "result", "vote", "item", "easy", "needMet", "wouldUseAgain", "channel", "kind", "scopes", "side", "roles", "language"
    ]

    /// Only coded values under known keys: a lower-case code of letters, digits, dashes and commas.
    public static func codedDetail(_ detail: [String: String]) -> [String: String] {
        detail.filter { key, value in
            codedDetailKeys.contains(key) && !value.isEmpty && value.count <= 80
                && value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "," }
        }
    }

    /// The role a person is shown as: the first of their roles in this order.
    public static func role(of roles: Set<Role>) -> String {
        let order: [Role] = [.navigator, .clinician, .partnerStaff, .partnershipLead, .administrator, .networkAdministrator, .evaluator]
        return order.first(where: roles.contains)?.rawValue ?? "system"
    }
}

/// Stable pseudonyms within one export: the same id always gets the same number, in the
/// order first met, so nothing of the id (or of its order in the database) shows through.
public struct Pseudonyms: Sendable {
    private var numbers: [String: Int] = [:]
    private let prefix: String
    public init(prefix: String) { self.prefix = prefix }
    public mutating func name(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "" }
        if let known = numbers[id] { return "\(prefix)\(known)" }
        numbers[id] = numbers.count + 1
        return "\(prefix)\(numbers.count)"
    }
}
