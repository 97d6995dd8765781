/// One record of an HSDS entity: its fields as the standard names them, each a string or a
/// number (an absent or null field is simply not there).
public struct HSDSRecord: Sendable, Equatable {
    public static func == (a: HSDSRecord, b: HSDSRecord) -> Bool { a.entity == b.entity && a.id == b.id && a.fields == b.fields }

    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)

        /// As a CSV cell or a search string: numbers without a needless `.0`.
        public var text: String {
            switch self {
            case .text(let s): return s
            case .number(let n):
                if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
                return String(n)
            }
        }
    }

    public var entity: String
    public var id: String
    public var fields: [String: Value]
    /// Where it was read (`services.csv`, `row 3`), for the import's report; not part of the record.
    public var file = ""
    public var row = ""

    public init(entity: String, id: String, fields: [String: Value], file: String = "", row: String = "") {
        self.entity = entity; self.id = id; self.fields = fields; self.file = file; self.row = row
        // The id is a field of the record too, as every HSDS shape has it.
        if !id.isEmpty { self.fields["id"] = .text(id) }
    }

    public subscript(_ name: String) -> String? { fields[name]?.text }
}

/// Why one record (or a whole file) was refused: where, which field, which rule.
public struct HSDSProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, and the row (1 is the first row after a CSV's header) or the JSON path.
    public var file: String
    public var row: String
    public var field: String
    public var rule: String
    public var message: String

    public init(file: String, row: String, field: String, rule: String, message: String) {
        self.file = file; self.row = row; self.field = field; self.rule = rule; self.message = message
    }

    public var description: String { "\(file) \(row) \(field): \(message) [\(rule)]" }
}

extension HSDS {
    /// The entity a link field names (`*_id`): nil for the links that may name any record
    /// (an attribute's `link_id`, metadata's `resource_id`).
    public static func target(ofLink field: String) -> String? {
        switch field {
        case "organization_id", "parent_organization_id": "organization"
        case "service_id": "service"
        case "location_id": "location"
        case "program_id": "program"
        case "contact_id": "contact"
        case "phone_id": "phone"
        case "service_at_location_id": "service_at_location"
        case "taxonomy_term_id", "parent_id": "taxonomy_term"
        case "taxonomy_id": "taxonomy"
        default: nil
        }
    }

    /// Links a record cannot do without: a dangling one refuses the record. Other links may name
    /// a record kept elsewhere (the standard's own examples do), and are kept as they are.
    public static let requiredLinks: Set<String> = [
        "attribute.taxonomy_term_id", "service_at_location.service_id", "service_at_location.location_id", "service.organization_id"
    ]

    /// The rules of one record's own fields: required, type, format and allowed values.
    /// `tabular`: read from a data package, where links nesting would give must be written out.
    public static func check(_ record: HSDSRecord, tabular: Bool, file: String, row: String) -> [HSDSProblem] {
        guard let entity = entity(record.entity) else {
            return [HSDSProblem(file: file, row: row, field: "", rule: "entity", message: "\(record.entity) is not an HSDS 3.0 entity")]
        }
        var problems: [HSDSProblem] = []
        func refuse(_ field: String, _ rule: String, _ message: String) {
            problems.append(HSDSProblem(file: file, row: row, field: field, rule: rule, message: message))
        }
        for name in entity.required + (tabular ? entity.tabularRequired : []) where (record[name] ?? "").isEmpty {
            refuse(name, "required", "\(entity.name).\(name) is required")
        }
        for (name, value) in record.fields.sorted(by: { $0.key < $1.key }) {
            guard let field = entity.field(name) else { continue }
            switch (field.type, value) {
            case (.number, .text(let s)):
                refuse(name, "number", "\(name) must be a number, not \"\(s.prefix(40))\"")
                continue
            case (.string, .number):
                refuse(name, "string", "\(name) must be a string")
                continue
            default: break
            }
            let text = value.text
            if let allowed = field.allowed, !allowed.contains(text) {
                refuse(name, "enum", "\(name) must be one of \(allowed.joined(separator: ", ")), not \"\(text.prefix(40))\"")
            }
            if let format = field.format, !Self.matches(text, format) {
                refuse(name, format.rawValue, "\(name) must be a valid \(format.rawValue), not \"\(text.prefix(60))\"")
            }
            if text.count > 20_000 { refuse(name, "length", "\(name) is longer than 20,000 characters") }
        }
        for problem in HSDSRecord.ruleProblems(record) { refuse(problem.field, problem.rule, problem.message) }
        return problems
    }

    static func matches(_ text: String, _ format: Format) -> Bool {
        switch format {
        case .uuid: return isUUID(text)
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
        case .uri:
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, !text.contains(" ") else { return false }
            return text[..<colon].allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } && text[..<colon].first?.isLetter == true
        case .dateTime: return ISO8601.parse(text) != nil
        }
    }

    /// `8-4-4-4-12` hexadecimal digits: the form HSDS gives every id.
    public static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
