/// What a system's token may do, as SMART scopes grant it: per FHIR resource type (or `*`), the
/// interactions create, read, update, delete and search (`system/Task.rs`; SMART v1's
/// `system/Task.read` and `.write` read as `rs` and `cud`).
public struct AccessScopes: Sendable, Equatable, Codable {
    public enum Interaction: Character, Sendable, CaseIterable, Codable {
        case create = "c", read = "r", update = "u", delete = "d", search = "s"
    }

    public private(set) var grants: [String: Set<Interaction>]

    public init(grants: [String: Set<Interaction>] = [:]) { self.grants = grants }

    /// Reads space-separated scopes; anything but a `system/` scope is refused, naming it.
    public init(parsing text: String) throws {
        var grants: [String: Set<Interaction>] = [:]
        for scope in text.split(whereSeparator: \.isWhitespace) {
            guard scope.hasPrefix("system/"), case let rest = scope.dropFirst("system/".count),
                let dot = rest.lastIndex(of: "."), dot != rest.startIndex
            else {
                throw ThawError.invalid("scope", "system-scope", "\(scope) is not a system scope (system/Task.rs)")
            }
            let type = String(rest[..<dot]), verbs = rest[rest.index(after: dot)...]
            guard type == "*" || type.allSatisfy({ $0.isLetter }) else {
                throw ThawError.invalid("scope", "resource-type", "\(type) is not a resource type")
            }
            let interactions: Set<Interaction>
            switch verbs {
            case "read": interactions = [.read, .search]
            case "write": interactions = [.create, .update, .delete]
            case "*": interactions = Set(Interaction.allCases)
            default:
                let parsed = verbs.map { Interaction(rawValue: $0) }
                // SMART v2 lists its letters once each, in the order c, r, u, d, s.
                let order = Interaction.allCases.map(\.rawValue)
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }), Array(verbs) == order.filter({ verbs.contains($0) }) else {
                    throw ThawError.invalid("scope", "interactions", "\(scope): the interactions are some of c, r, u, d, s in that order")
                }
                interactions = Set(parsed.compactMap { $0 })
            }
            grants[type, default: []].formUnion(interactions)
        }
        self.grants = grants
    }

    public func allows(_ type: String, _ interaction: Interaction) -> Bool {
        (grants[type]?.contains(interaction) ?? false) || (grants["*"]?.contains(interaction) ?? false)
    }

    /// What both allow: a token gets no more than its client was registered for.
    public func intersection(_ other: AccessScopes) -> AccessScopes {
        var result: [String: Set<Interaction>] = [:]
        let types = Set(grants.keys).union(other.grants.keys)
        for type in types {
            let mine = (grants[type] ?? []).union(type == "*" ? [] : grants["*"] ?? [])
            let theirs = (other.grants[type] ?? []).union(type == "*" ? [] : other.grants["*"] ?? [])
            let both = mine.intersection(theirs)
            if !both.isEmpty { result[type] = both }
        }
        return AccessScopes(grants: result)
    }

    public var isEmpty: Bool { grants.values.allSatisfy(\.isEmpty) }

    /// The scopes in SMART v2's spelling, sorted.
    public var text: String {
        grants.filter { !$0.value.isEmpty }.keys.sorted().map { type in
            "system/\(type)." + String(Interaction.allCases.filter { grants[type]?.contains($0) ?? false }.map(\.rawValue))
        }.joined(separator: " ")
    }
}
