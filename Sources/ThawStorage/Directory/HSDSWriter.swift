import Foundation
import ThawCore

/// Writes the directory's records in HSDS 3.0's shapes: the tabular data package (a CSV per
/// entity and a `datapackage.json` describing them) and `*_full` JSON, each nested record found
/// by the link that joins it (the model's `Nested`).
public struct HSDSWriter: Sendable {
    private let byKey: [String: [String: HSDSRecord]]
    /// entity → link field → target id → the records of that entity naming it.
    private let children: [String: [String: [String: [HSDSRecord]]]]

    public init(_ records: [HSDSRecord]) {
        var byKey: [String: [String: HSDSRecord]] = [:]
        var children: [String: [String: [String: [HSDSRecord]]]] = [:]
        for record in records {
            byKey[record.entity, default: [:]][record.id] = record
            for (field, target) in record.links { children[record.entity, default: [:]][field, default: [:]][target, default: []].append(record) }
        }
        for (entity, fields) in children {
            for (field, targets) in fields {
                for (target, list) in targets { children[entity]?[field]?[target] = list.sorted { $0.id < $1.id } }
            }
        }
        self.byKey = byKey; self.children = children
    }

    public func records(_ entity: String) -> [HSDSRecord] { (byKey[entity] ?? [:]).values.sorted { $0.id < $1.id } }
    public func record(_ entity: String, _ id: String) -> HSDSRecord? { byKey[entity]?[id] }

    // MARK: the tabular data package

    /// Each entity's table (the ones with records), its columns the standard's fields in order.
    public func tables() -> [(file: String, text: String)] {
        HSDS.entities.compactMap { entity in
            let rows = records(entity.name)
            guard !rows.isEmpty else { return nil }
            let header = entity.fields.map(\.name)
            return (entity.file, CSVTable.document(header: header, rows: rows.map { record in header.map { record[$0] ?? "" } }))
        }
    }

    /// The package's descriptor: each table with its fields' types, its key and the links it makes.
    public func dataPackage(name: String) throws -> Data {
        let resources: [[String: Any]] = tables().compactMap { table in
            guard let entity = HSDS.entity(file: table.file) else { return nil }
            let fields: [[String: Any]] = entity.fields.map { field in
                var described: [String: Any] = ["name": field.name, "type": field.type.rawValue]
                if let format = field.format { described["format"] = format.rawValue }
                var constraints: [String: Any] = [:]
                if entity.required.contains(field.name) || entity.tabularRequired.contains(field.name) { constraints["required"] = true }
                if let allowed = field.allowed { constraints["enum"] = allowed }
                if !constraints.isEmpty { described["constraints"] = constraints }
                return described
            }
            let links: [[String: Any]] = entity.links.compactMap { field in
                guard let target = HSDS.target(ofLink: field.name).flatMap({ HSDS.entity($0) }) else { return nil }
                return ["fields": field.name, "reference": ["resource": String(target.file.dropLast(4)), "fields": "id"]]
            }
            return [
                "name": String(table.file.dropLast(4)), "path": table.file, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8",
                "schema": ["fields": fields, "primaryKey": "id", "foreignKeys": links] as [String: Any]
            ]
        }
        let package: [String: Any] = ["name": name, "profile": "tabular-data-package", "resources": resources]
        return try JSONSerialization.data(withJSONObject: package, options: [.prettyPrinted, .sortedKeys])
    }

    // MARK: `*_full` JSON

    /// A record as HSDS's list shapes have it: its own fields, with a service's organisation and
    /// program, and a service at a location's location and service.
    public func list(_ record: HSDSRecord) -> [String: Any] {
        var object = Self.own(record)
        switch record.entity {
        case "service":
            if let id = record["organization_id"], let organization = byKey["organization"]?[id] { object["organization"] = Self.own(organization) }
            if let id = record["program_id"], let program = byKey["program"]?[id] { object["program"] = Self.own(program) }
        case "service_at_location":
            if let id = record["location_id"], let location = byKey["location"]?[id] { object["location"] = Self.own(location) }
            if let id = record["service_id"], let service = byKey["service"]?[id] { object["service"] = list(service) }
        default: break
        }
        return object
    }

    /// A record's own fields as JSON values.
    static func own(_ record: HSDSRecord) -> [String: Any] {
        var object: [String: Any] = [:]
        for (name, value) in record.fields {
            switch value {
            case .text(let s): object[name] = s
            case .number(let n): object[name] = n.rounded() == n && abs(n) < 1e15 ? Int64(n) as Any : n as Any
            }
        }
        return object
    }

    /// One record with everything nested in it, as the standard's `*_full` shape has it. A kind of
    /// record is not nested inside itself (a service's organization does not list its services again).
    public func full(_ record: HSDSRecord, leaving ancestors: Set<String> = []) -> [String: Any] {
        full(record, leaving: ancestors, seen: Seen())
    }

    /// The ids a set of `full` records wrote out.
    private final class Seen { var ids = Set<String>() }

    private func full(_ record: HSDSRecord, leaving ancestors: Set<String>, seen: Seen) -> [String: Any] {
        seen.ids.insert(record.id)
        var object = Self.own(record)
        guard let entity = HSDS.entity(record.entity) else { return object }
        let path = ancestors.union([record.entity])
        for nested in entity.nested where !path.contains(nested.entity) {
            if nested.single {
                if let id = record[nested.foreignKey], let child = byKey[nested.entity]?[id] {
                    object[nested.property] = full(child, leaving: path, seen: seen)
                }
            } else {
                object[nested.property] = (children[nested.entity]?[nested.foreignKey]?[record.id] ?? []).map {
                    full($0, leaving: path, seen: seen)
                }
            }
        }
        return object
    }

    /// The directory as JSON files that import again to the same records: services whole (with
    /// their organisations and places), then what no service reaches (organisations without
    /// services, the taxonomies), then any record nothing above held, in a file named for its table.
    public func jsonFiles() throws -> [(file: String, data: Data)] {
        let seen = Seen()
        var files: [(String, [[String: Any]])] = [("services.json", records("service").map { full($0, leaving: [], seen: seen) })]
        files.append(("organizations.json", records("organization").map { full($0, leaving: ["service"], seen: seen) }))
        files.append(("taxonomies.json", records("taxonomy").map { full($0, leaving: [], seen: seen) }))
        files.append(("taxonomy_terms.json", records("taxonomy_term").map { full($0, leaving: [], seen: seen) }))
        for entity in HSDS.entities {
            let left = records(entity.name).filter { !seen.ids.contains($0.id) }
            guard !left.isEmpty else { continue }
            files.append((String(entity.file.dropLast(4)) + ".json", left.map { full($0, leaving: [], seen: seen) }))
        }
        return try files.filter { !$0.1.isEmpty }.map { name, objects in
            (name, try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
        }
    }
}

extension ThawStore {
    /// Every record of the directory, for export.
    public func directoryRecords() async throws -> [HSDSRecord] {
        try await database.read { db in
            try await db.query("SELECT entity, id, fields FROM directory_records ORDER BY entity, id").compactMap {
                HSDSRecord(entity: $0.string("entity"), id: $0.string("id"), stored: $0.string("fields"))
            }
        }
    }
}
