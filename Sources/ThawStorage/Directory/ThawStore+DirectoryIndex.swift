import ThawCore

/// Keeps `directory_search` and `directory_places` (and SQLite's FTS5 table) in line with the
/// directory's records, service by service.
extension ThawStore {
    /// Re-reads each named HSDS service and what is said of it, and writes its search row and places.
    static func indexServices(_ db: any SQLConnection, hsdsIds: [String], at now: Timestamp) async throws {
        for hsdsId in hsdsIds {
            let existing = try await db.first("SELECT doc FROM directory_search WHERE service_id = ?", hsdsId)?.optionalInt64("doc")
            guard let row = try await db.first("SELECT fields FROM directory_records WHERE entity = 'service' AND id = ?", hsdsId),
                let service = HSDSRecord(entity: "service", id: hsdsId, stored: row.string("fields"))
            else {
                if let existing { try await unindex(db, hsdsId, doc: existing) }
                continue
            }
            let linked = try await linkedRecords(db, to: hsdsId)
            let fields = DirectoryProjection.fields(of: service, linked: linked)
            var organizationName = ""
            if let organization = service["organization_id"],
                let record = try await db.first("SELECT fields FROM directory_records WHERE entity = 'organization' AND id = ?", organization)
            {
                organizationName = HSDSRecord(entity: "organization", id: organization, stored: record.string("fields"))?["name"] ?? ""
            }
            var terms: [String] = [], termNames: [String] = []
            for attribute in linked where attribute.entity == "attribute" {
                guard let term = attribute["taxonomy_term_id"] else { continue }
                terms.append(term)
                if let stored = try await db.first("SELECT fields FROM directory_records WHERE entity = 'taxonomy_term' AND id = ?", term),
                    let name = HSDSRecord(entity: "taxonomy_term", id: term, stored: stored.string("fields"))?["name"]
                {
                    termNames.append(name)
                }
            }
            let thaw = try await db.first("SELECT id, verified_at, verified_by FROM services WHERE hsds_id = ?", hsdsId)
            let found = try await places(db, of: hsdsId)
            let hours = try await weeklyHours(db, service: linked, places: found, now: now)
            let areas = ServiceAreas(records: linked.filter { $0.entity == "service_area" })
            // Thaw's own people verify its members' services; an imported record is as fresh as its source's assured date.
            let verifiedAt =
                thaw?.optionalInt64("verified_at").map(Timestamp.init(millis:))
                ?? service["assured_date"].flatMap { CalendarDate(String($0.prefix(10))) }.map(\.startOfDay)
            let verifiedBy = thaw?.optionalString("verified_by") ?? (thaw == nil ? service["assurer_email"] : nil)
            let textName = DirectoryText.fold([service["name"], service["alternate_name"]].compactMap { $0 }.joined(separator: " "))
            let textBody = DirectoryText.fold(
                ([service["description"], service["eligibility_description"], organizationName, fields.areaServed] + termNames.map { $0 })
                    .compactMap { $0 }.joined(separator: " "))
            let points = found.compactMap { place in
                place.latitude.flatMap { latitude in place.longitude.flatMap { GeoPoint(latitude: latitude, longitude: $0) } }
            }
            var tags = DirectoryTags.of(
                needs: fields.needCategories, languages: fields.languages, capacity: fields.capacity, member: thaw != nil, terms: terms,
                places: points)
            if !hours.windows.isEmpty { tags += " " + DirectoryTags.hours }
            var doc = existing ?? 0
            if existing == nil { doc = (try await db.first("SELECT MAX(doc) AS top FROM directory_search")?.optionalInt64("top") ?? 0) + 1 }
            try await db.execute(
                """
                INSERT INTO directory_search (service_id, doc, thaw_service_id, organization_id, name, organization_name, text_name, text_body,
                    needs, languages, taxonomy_terms, capacity, status, verified_at, updated_at, hours, areas, area_served, wait_time, verified_by,
                    tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (service_id) DO UPDATE SET thaw_service_id = excluded.thaw_service_id, organization_id = excluded.organization_id,
                    name = excluded.name, organization_name = excluded.organization_name, text_name = excluded.text_name,
                    text_body = excluded.text_body, needs = excluded.needs, languages = excluded.languages,
                    taxonomy_terms = excluded.taxonomy_terms, capacity = excluded.capacity, status = excluded.status,
                    verified_at = excluded.verified_at, updated_at = excluded.updated_at, hours = excluded.hours, areas = excluded.areas,
                    area_served = excluded.area_served, wait_time = excluded.wait_time, verified_by = excluded.verified_by,
                    tags = excluded.tags
                """, hsdsId, doc, thaw?.optionalString("id"), service["organization_id"], fields.name, organizationName, textName, textBody,
                "," + fields.needCategories.map(\.rawValue).joined(separator: ",") + ",", "," + fields.languages.joined(separator: ",") + ",",
                "," + terms.sorted().joined(separator: ",") + ",", fields.capacity, service["status"] ?? "active",
                verifiedAt, now, hours.stored, areas.stored, fields.areaServed, service["wait_time"], verifiedBy, tags)
            if db.dialect == .sqlite {
                try await db.execute("DELETE FROM directory_fts WHERE rowid = ?", doc)
                try await db.execute(
                    "INSERT INTO directory_fts (rowid, text_name, text_body, tags) VALUES (?, ?, ?, ?)", doc, textName, textBody, tags)
            }
            try await db.execute("DELETE FROM directory_places WHERE service_id = ?", hsdsId)
            for place in found {
                try await db.execute(
                    "INSERT INTO directory_places (service_id, location_id, latitude, longitude, postal_code) VALUES (?, ?, ?, ?, ?)",
                    hsdsId, place.location, place.latitude, place.longitude, place.postalCode)
            }
        }
    }

    private static func unindex(_ db: any SQLConnection, _ hsdsId: String, doc: Int64) async throws {
        try await db.execute("DELETE FROM directory_search WHERE service_id = ?", hsdsId)
        try await db.execute("DELETE FROM directory_places WHERE service_id = ?", hsdsId)
        if db.dialect == .sqlite { try await db.execute("DELETE FROM directory_fts WHERE rowid = ?", doc) }
    }

    /// The records that say something of a service: its languages, areas, attributes and schedules.
    static func linkedRecords(_ db: any SQLConnection, to hsdsId: String) async throws -> [HSDSRecord] {
        try await db.query(
            """
            SELECT r.entity, r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
            WHERE l.target = ? AND l.field IN ('service_id', 'link_id') AND l.entity IN ('language', 'service_area', 'attribute', 'schedule')
            """, hsdsId
        ).compactMap { HSDSRecord(entity: $0.string("entity"), id: $0.string("id"), stored: $0.string("fields")) }
    }

    /// When a service is open: its own weekly schedules, else those of where it is offered (the
    /// service at a location, then the location's).
    private static func weeklyHours(
        _ db: any SQLConnection, service linked: [HSDSRecord], places: [Place], now: Timestamp
    ) async throws -> WeeklyHours {
        var schedules = linked.filter { $0.entity == "schedule" }
        for (field, targets) in [("service_at_location_id", places.map(\.serviceAtLocation)), ("location_id", places.map(\.location))]
        where schedules.isEmpty {
            for target in Set(targets) {
                schedules += try await db.query(
                    """
                    SELECT r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
                    WHERE l.target = ? AND l.field = ? AND l.entity = 'schedule'
                    """, target, field
                ).compactMap { HSDSRecord(entity: "schedule", id: $0.string("id"), stored: $0.string("fields")) }
            }
        }
        let today = CalendarDate(now).description
        return WeeklyHours(windows: schedules.sorted { $0.id < $1.id }.flatMap { WeeklyHours.windows(of: $0, validOn: today) })
    }

    typealias Place = (location: String, serviceAtLocation: String, latitude: Double?, longitude: Double?, postalCode: String?)

    /// Where a service is offered: each location it is at, with its point and postal code.
    private static func places(_ db: any SQLConnection, of hsdsId: String) async throws -> [Place] {
        var found: [Place] = []
        for link in try await db.query(
            """
            SELECT r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
            WHERE l.target = ? AND l.field = 'service_id' AND l.entity = 'service_at_location'
            """, hsdsId)
        {
            guard let at = HSDSRecord(entity: "service_at_location", id: "", stored: link.string("fields")), let location = at["location_id"],
                let stored = try await db.first("SELECT fields FROM directory_records WHERE entity = 'location' AND id = ?", location),
                let record = HSDSRecord(entity: "location", id: location, stored: stored.string("fields"))
            else { continue }
            var postal: String?
            // Sorted here, not by the SQL: ordering by the record's id would lead SQLite to walk every address.
            for address in try await db.query(
                """
                SELECT r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
                WHERE l.target = ? AND l.field = 'location_id' AND l.entity = 'address'
                """, location
            ).sorted(by: { $0.string("id") < $1.string("id") }) {
                if let code = HSDSRecord(entity: "address", id: "", stored: address.string("fields"))?["postal_code"] {
                    postal = DirectoryPlaces.normalPostalCode(code)
                    break
                }
            }
            let latitude = record.fields["latitude"].flatMap { if case .number(let n) = $0 { n } else { nil } }
            let longitude = record.fields["longitude"].flatMap { if case .number(let n) = $0 { n } else { nil } }
            found.append((location, link.string("id"), latitude, longitude, postal))
        }
        return found
    }
}
