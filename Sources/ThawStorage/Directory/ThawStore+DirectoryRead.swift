import ThawCore

/// A page of directory records for the HSDS API, with everything its shape nests.
public struct DirectoryPage: Sendable {
    public var ids: [String]
    public var total: Int
    /// The records on the page and those nested in them, for `HSDSWriter`.
    public var records: [HSDSRecord]
}

/// What a list of an entity may be narrowed by (HSDS 3.0's query parameters).
public struct DirectoryListQuery: Sendable {
    public var search: String?
    public var taxonomyTermId: String?
    public var taxonomyId: String?
    public var organizationId: String?
    public var modifiedAfter: Timestamp?
    /// Services at locations within `proximityMetres` (default 50 km) of where this postal code is.
    public var postcode: String?
    public var proximityMetres: Double?
    public var page = 1
    public var perPage = 50
    public init() {}
}

extension ThawStore {
    /// One record and everything its `*_full` shape nests, or nil.
    public func directoryRecord(_ entity: String, id: String, leaving: Set<String> = []) async throws -> [HSDSRecord]? {
        try await database.read { db in
            guard try await db.first("SELECT id FROM directory_records WHERE entity = ? AND id = ?", entity, id) != nil else { return nil }
            var loaded: [Key: HSDSRecord] = [:]
            try await Self.loadNested(db, entity, [id], leaving: leaving, into: &loaded)
            return Array(loaded.values)
        }
    }

    /// A page of an entity's records (by name, or by relevance for a search), each with what
    /// its list shape (or, `full`, its whole shape) nests.
    public func directoryPage(_ entity: String, _ query: DirectoryListQuery, full: Bool, leaving: Set<String> = []) async throws -> DirectoryPage {
        var matching: [String]
        if let text = query.search, !text.trimmingWhitespace.isEmpty, entity == "service" || entity == "service_at_location" {
            var search = DirectoryQuery(text: text, capacities: Set(Capacity.allCases), limit: 200)
            search.limit = 200
            let services = try await searchDirectory(search).hits.map(\.serviceId)
            matching = entity == "service" ? services : try await servicesAtLocations(of: services)
        } else {
            // Other entities: every word of the search in the name or description, accents folded.
            let words = DirectoryText.words(query.search ?? "")
            matching = try await database.read { db in
                try await db.query("SELECT id, fields FROM directory_records WHERE entity = ? ORDER BY id", entity).compactMap { row in
                    guard !words.isEmpty else { return row.string("id") }
                    guard let record = HSDSRecord(entity: entity, id: row.string("id"), stored: row.string("fields")) else { return nil }
                    let text = DirectoryText.words((record["name"] ?? "") + " " + (record["description"] ?? ""))
                    return words.allSatisfy { word in text.contains { DirectoryText.finds(word, in: $0) } } ? record.id : nil
                }
            }
        }
        matching = try await narrowed(entity, matching, query)
        let perPage = max(1, min(query.perPage, 200)), page = max(1, query.page)
        let ids = Array(matching.dropFirst((page - 1) * perPage).prefix(perPage))
        let records = try await database.read { db in
            var loaded: [Key: HSDSRecord] = [:]
            if full {
                try await Self.loadNested(db, entity, ids, leaving: leaving, into: &loaded)
            } else {
                try await Self.loadList(db, entity, ids, into: &loaded)
            }
            return Array(loaded.values)
        }
        return DirectoryPage(ids: ids, total: matching.count, records: records)
    }

    /// Keeps the ids that meet the taxonomy, organisation and modification filters.
    private func narrowed(_ entity: String, _ ids: [String], _ query: DirectoryListQuery) async throws -> [String] {
        guard
            query.taxonomyTermId != nil || query.taxonomyId != nil || query.organizationId != nil || query.modifiedAfter != nil
                || (query.postcode != nil && entity == "service_at_location")
        else { return ids }
        return try await database.read { db in
            var origin: GeoPoint?
            if let code = query.postcode, entity == "service_at_location" {
                origin = try await Self.place(db, postalCode: code)
                guard origin != nil else { return [] }  // a postal code the directory cannot place is near nothing it holds
            }
            var terms: Set<String>?
            if let term = query.taxonomyTermId { terms = [term] }
            if let taxonomy = query.taxonomyId {
                let inTaxonomy = Set(
                    try await db.query(
                        "SELECT id FROM directory_links WHERE entity = 'taxonomy_term' AND field = 'taxonomy_id' AND target = ?", taxonomy
                    ).map { $0.string("id") })
                terms = terms.map { $0.intersection(inTaxonomy) } ?? inTaxonomy
            }
            var kept: [String] = []
            for id in ids {
                guard let row = try await db.first("SELECT fields, updated_at FROM directory_records WHERE entity = ? AND id = ?", entity, id),
                    let record = HSDSRecord(entity: entity, id: id, stored: row.string("fields"))
                else { continue }
                let service = entity == "service_at_location" ? record["service_id"] : id
                if let organization = query.organizationId {
                    var owner = record["organization_id"]
                    if entity == "service_at_location", let service,
                        let stored = try await db.first("SELECT fields FROM directory_records WHERE entity = 'service' AND id = ?", service)
                    {
                        owner = HSDSRecord(entity: "service", id: service, stored: stored.string("fields"))?["organization_id"]
                    }
                    guard owner == organization else { continue }
                }
                if let after = query.modifiedAfter {
                    let modified = record["last_modified"].flatMap(ISO8601.parse) ?? row.timestamp("updated_at")
                    guard modified >= after else { continue }
                }
                if let origin {
                    guard let location = record["location_id"],
                        let stored = try await db.first("SELECT fields FROM directory_records WHERE entity = 'location' AND id = ?", location),
                        let place = HSDSRecord(entity: "location", id: location, stored: stored.string("fields")),
                        case .number(let latitude) = place.fields["latitude"], case .number(let longitude) = place.fields["longitude"],
                        let point = GeoPoint(latitude: latitude, longitude: longitude),
                        origin.kilometres(to: point) * 1000 <= (query.proximityMetres ?? 50_000)
                    else { continue }
                }
                if entity == "taxonomy_term" {
                    if let taxonomy = query.taxonomyId, record["taxonomy_id"] != taxonomy { continue }
                    if let term = query.taxonomyTermId, record.id != term { continue }
                } else if let terms {
                    let linked = Set(
                        try await db.query(
                            """
                            SELECT l2.target FROM directory_links l JOIN directory_links l2 ON l2.entity = l.entity AND l2.id = l.id
                            WHERE l.target = ? AND l.field = 'link_id' AND l.entity = 'attribute' AND l2.field = 'taxonomy_term_id'
                            """, service ?? id
                        ).map { $0.string("target") })
                    guard !linked.isDisjoint(with: terms) else { continue }
                }
                kept.append(id)
            }
            return kept
        }
    }

    private func servicesAtLocations(of services: [String]) async throws -> [String] {
        try await database.read { db in
            var ids: [String] = []
            for service in services {
                ids += try await db.query(
                    "SELECT id FROM directory_links WHERE target = ? AND field = 'service_id' AND entity = 'service_at_location'", service
                ).map { $0.string("id") }.sorted()
            }
            return ids
        }
    }

    /// The records and, for the list shapes, the few they nest: a service's organisation and
    /// program; a service at a location's location and service (with its organisation and program).
    private static func loadList(_ db: any SQLConnection, _ entity: String, _ ids: [String], into loaded: inout [Key: HSDSRecord]) async throws {
        for id in ids {
            guard let record = try await load(db, entity, id, into: &loaded) else { continue }
            switch entity {
            case "service":
                for (field, nested) in [("organization_id", "organization"), ("program_id", "program")] {
                    if let target = record[field] { _ = try await load(db, nested, target, into: &loaded) }
                }
            case "service_at_location":
                if let location = record["location_id"] { _ = try await load(db, "location", location, into: &loaded) }
                if let service = record["service_id"] { try await loadList(db, "service", [service], into: &loaded) }
            default: continue
            }
        }
    }

    /// The records and everything their `*_full` shapes nest, following the model as `HSDSWriter.full` does.
    private static func loadNested(
        _ db: any SQLConnection, _ entity: String, _ ids: [String], leaving ancestors: Set<String>, into loaded: inout [Key: HSDSRecord]
    ) async throws {
        guard let model = HSDS.entity(entity) else { return }
        let path = ancestors.union([entity])
        for id in ids {
            guard let record = try await load(db, entity, id, into: &loaded) else { continue }
            for nested in model.nested where !path.contains(nested.entity) {
                if nested.single {
                    if let target = record[nested.foreignKey] { try await loadNested(db, nested.entity, [target], leaving: path, into: &loaded) }
                } else {
                    let children = try await db.query(
                        "SELECT id FROM directory_links WHERE target = ? AND field = ? AND entity = ?", id, nested.foreignKey, nested.entity
                    ).map { $0.string("id") }
                    try await loadNested(db, nested.entity, children, leaving: path, into: &loaded)
                }
            }
        }
    }

    private static func load(_ db: any SQLConnection, _ entity: String, _ id: String, into loaded: inout [Key: HSDSRecord]) async throws
        -> HSDSRecord?
    {
        if let known = loaded[Key(entity, id)] { return known }
        guard let row = try await db.first("SELECT fields FROM directory_records WHERE entity = ? AND id = ?", entity, id),
            let record = HSDSRecord(entity: entity, id: id, stored: row.string("fields"))
        else { return nil }
        loaded[Key(entity, id)] = record
        return record
    }
}
