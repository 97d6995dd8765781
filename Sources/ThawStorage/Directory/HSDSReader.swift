import Foundation
import ThawCore

/// What was read from HSDS files: every record (nested ones flattened into their own, linked
/// to the record they were nested in), and every problem found reading them.
public struct HSDSReading: Sendable {
    public var records: [HSDSRecord] = []
    public var problems: [HSDSProblem] = []
    /// Fields present in the files that HSDS 3.0 does not define, and so were not kept.
    public var ignored: Set<String> = []

    public init() {}

    public mutating func add(_ other: HSDSReading) {
        records += other.records; problems += other.problems; ignored.formUnion(other.ignored)
    }
}

/// Reads HSDS 3.0 in its two shapes: JSON (`*_full` records, lists of them, or the API's `Page`
/// envelope) and the tabular data package (one CSV per entity, named as the standard names it).
public enum HSDSReader {
    /// One CSV table of a data package; its entity is the one the file name names.
    public static func table(_ text: String, file: String) -> HSDSReading {
        var reading = HSDSReading()
        let name = file.split(separator: "/").last.map(String.init) ?? file
        guard let entity = HSDS.entity(file: name) else {
            reading.problems.append(
                HSDSProblem(file: file, row: "", field: "", rule: "table", message: "\(name) is not a table of an HSDS 3.0 data package"))
            return reading
        }
        let rows: [[String]]
        do {
            rows = try CSVTable.rows(text)
        } catch {
            reading.problems.append(HSDSProblem(file: file, row: "line \(error.line)", field: "", rule: "csv", message: error.message))
            return reading
        }
        guard let header = rows.first, header.contains("id") else {
            reading.problems.append(HSDSProblem(file: file, row: "header", field: "id", rule: "required", message: "the table has no id column"))
            return reading
        }
        for column in header where entity.field(column) == nil { reading.ignored.insert("\(name):\(column)") }
        for (index, cells) in rows.dropFirst().enumerated() {
            let row = "row \(index + 1)"
            guard cells.count == header.count else {
                reading.problems.append(
                    HSDSProblem(
                        file: file, row: row, field: "", rule: "columns", message: "the row has \(cells.count) fields; the header has \(header.count)"
                    ))
                continue
            }
            var fields: [String: HSDSRecord.Value] = [:]
            for (column, cell) in zip(header, cells) where !cell.isEmpty {
                guard let field = entity.field(column) else { continue }
                fields[column] =
                    field.type == .number ? (Double(cell.trimmingCharacters(in: .whitespaces)).map { .number($0) } ?? .text(cell)) : .text(cell)
            }
            let record = HSDSRecord(entity: entity.name, id: fields["id"]?.text ?? "", fields: fields, file: file, row: row)
            let problems = HSDS.check(record, tabular: true, file: file, row: row)
            reading.problems += problems
            if problems.isEmpty { reading.records.append(record) }
        }
        return reading
    }

    /// A JSON document of `entity` records (or, with nil, the entity its file name or fields say).
    public static func json(_ data: Data, file: String, entity hint: String? = nil) -> HSDSReading {
        var reading = HSDSReading()
        guard let document = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            reading.problems.append(HSDSProblem(file: file, row: "", field: "", rule: "json", message: "the file is not JSON"))
            return reading
        }
        var objects: [[String: Any]] = []
        if let page = document as? [String: Any], let contents = page["contents"] as? [Any] {
            objects = contents.compactMap { $0 as? [String: Any] }
        } else if let list = document as? [Any] {
            objects = list.compactMap { $0 as? [String: Any] }
        } else if let one = document as? [String: Any] {
            objects = [one]
        }
        guard !objects.isEmpty else {
            reading.problems.append(HSDSProblem(file: file, row: "", field: "", rule: "json", message: "the file holds no HSDS records"))
            return reading
        }
        for (index, object) in objects.enumerated() {
            let path = objects.count == 1 ? "$" : "$[\(index)]"
            guard let entity = hint ?? entityName(file: file) ?? entityName(fields: object) else {
                reading.problems.append(
                    HSDSProblem(file: file, row: path, field: "", rule: "entity", message: "the record is not one of HSDS 3.0's entities"))
                continue
            }
            var flattener = Flattener(file: file)
            flattener.read(object, as: entity, at: path, linkedBy: nil)
            reading.add(flattener.reading)
        }
        return reading
    }

    /// `service_full.json`, `services.json`, `organization_list.json` → the entity.
    static func entityName(file: String) -> String? {
        var stem = (file.split(separator: "/").last.map(String.init) ?? file).lowercased()
        for suffix in [".json", "_full", "_list"] where stem.hasSuffix(suffix) { stem = String(stem.dropLast(suffix.count)) }
        if let entity = HSDS.entity(stem) { return entity.name }
        return HSDS.entities.first { $0.file == stem + ".csv" }?.name
    }

    /// The entity whose distinctive fields a record has.
    static func entityName(fields object: [String: Any]) -> String? {
        let keys = Set(object.keys)
        let signatures: [(String, Set<String>)] = [
            ("service", ["status", "service_at_locations", "eligibility_description", "program_id"]),
            ("service_at_location", ["service_id", "location_id"]),
            ("location", ["location_type", "latitude", "longitude", "addresses"]),
            ("organization", ["tax_status", "legal_status", "year_incorporated", "website", "organization_identifiers"]),
            ("taxonomy_term", ["term_uri", "taxonomy_id", "parent_id", "code"]),
            ("taxonomy", ["version"])
        ]
        return signatures.first { !keys.isDisjoint(with: $0.1) }?.0
    }
}

/// Walks one `*_full` object: each nested object becomes its own record, linked to the record it
/// was nested in (the link nesting implies is written in; one that disagrees is refused).
private struct Flattener {
    let file: String

    /// JSON's true and false (which Foundation may hand over as numbers, and numbers as booleans).
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c" || type(of: value) == Bool.self
    }
    var reading = HSDSReading()

    init(file: String) { self.file = file }

    /// Reads one object as an `entity` record; returns its id when it was kept.
    @discardableResult
    mutating func read(_ object: [String: Any], as entityName: String, at path: String, linkedBy link: (field: String, id: String)?) -> String? {
        guard let entity = HSDS.entity(entityName) else { return nil }
        var fields: [String: HSDSRecord.Value] = [:]
        var problems: [HSDSProblem] = []
        for (key, value) in object {
            if entity.nested.contains(where: { $0.property == key }) { continue }
            guard let field = entity.field(key) else {
                reading.ignored.insert("\(entity.name).\(key)")
                continue
            }
            switch value {
            case is NSNull: continue
            case is Bool where Self.isBoolean(value):
                problems.append(
                    HSDSProblem(file: file, row: path, field: key, rule: field.type.rawValue, message: "\(key) must be a \(field.type.rawValue)"))
            case let number as NSNumber:
                fields[key] = field.type == .number ? .number(number.doubleValue) : .text(number.stringValue)
            case let text as String:
                fields[key] = .text(text)
            default:
                problems.append(
                    HSDSProblem(file: file, row: path, field: key, rule: field.type.rawValue, message: "\(key) must be a \(field.type.rawValue)"))
            }
        }
        if let link {
            if let stated = fields[link.field]?.text, stated != link.id {
                problems.append(
                    HSDSProblem(
                        file: file, row: path, field: link.field, rule: "nesting",
                        message: "\(link.field) is \(stated), but the record is nested in \(link.id)"))
            }
            fields[link.field] = .text(link.id)
        }
        // A single nested record (a service's organization) is linked from this record's own field.
        for nested in entity.nested where nested.single {
            guard let child = object[nested.property] as? [String: Any] else { continue }
            if let childId = read(child, as: nested.entity, at: path + "." + nested.property, linkedBy: nil), fields[nested.foreignKey] == nil {
                fields[nested.foreignKey] = .text(childId)
            }
        }
        let id = fields["id"]?.text ?? ""
        let record = HSDSRecord(entity: entity.name, id: id, fields: fields, file: file, row: path)
        problems += HSDS.check(record, tabular: false, file: file, row: path)
        reading.problems += problems
        guard problems.isEmpty else { return nil }
        reading.records.append(record)
        for nested in entity.nested where !nested.single {
            guard let children = object[nested.property] else { continue }
            guard let list = children as? [Any] else {
                reading.problems.append(
                    HSDSProblem(file: file, row: path, field: nested.property, rule: "array", message: "\(nested.property) must be an array"))
                continue
            }
            for (index, child) in list.enumerated() {
                let at = "\(path).\(nested.property)[\(index)]"
                guard let childObject = child as? [String: Any] else {
                    reading.problems.append(HSDSProblem(file: file, row: at, field: "", rule: "object", message: "each item must be an object"))
                    continue
                }
                // Attributes and metadata may hang from any record: their link also says what kind.
                var linked = childObject
                if nested.entity == "attribute", linked["link_entity"] == nil { linked["link_entity"] = entity.name }
                if nested.entity == "metadata", linked["resource_type"] == nil { linked["resource_type"] = entity.name }
                read(linked, as: nested.entity, at: at, linkedBy: (nested.foreignKey, id))
            }
        }
        return id
    }
}
