import ThawCore

/// Thaw's own organisations and services are directory records too (see `DirectoryProjection`
/// and `DirectoryVocabulary`): written when they are made or changed, in the same transaction.
extension ThawStore {
    /// The vocabulary, and every organisation and service not yet in the directory. Run by a
    /// migration older than the search tables, so it leaves indexing to the migration that fills them.
    static func writeDirectoryMembers(_ db: any SQLConnection, at now: Timestamp) async throws {
        for record in DirectoryVocabulary.records { try await store(db, record, at: now) }
        // The columns an organisation had when this first ran (a later migration adds its time zone).
        let organizationColumns = "id, name, sector, alignment, parent_id, area, NULL AS time_zone, created_at"
        for organization in try await db.query("SELECT \(organizationColumns) FROM organizations WHERE hsds_id IS NULL").map(Organization.init(row:))
        {
            try await writeOrganization(db, organization, at: now)
        }
        // The columns a service had when this first ran (a later migration adds others).
        let columns = """
            id, organization_id, name, description, need_categories, eligibility, area_served, languages, capacity,
            NULL AS estimated_wait_days, updated_at, verified_at, verified_by
            """
        for service in try await db.query("SELECT \(columns) FROM services WHERE hsds_id IS NULL").map(Service.init(row:)) {
            try await writeService(db, service, at: now, index: false)
        }
    }

    /// An organisation's HSDS record, naming the Thaw organisation in an identifier.
    @discardableResult
    static func writeOrganization(_ db: any SQLConnection, _ organization: Organization, at now: Timestamp) async throws -> String {
        let hsdsId =
            try await db.first("SELECT hsds_id FROM organizations WHERE id = ?", organization.id)?.optionalString("hsds_id")
            ?? DerivedUUID.make("thaw/organization/" + organization.id.raw)
        let area = organization.area.map { $0.isEmpty ? "" : " in \($0)" } ?? ""
        try await merge(
            db,
            HSDSRecord(
                entity: "organization", id: hsdsId,
                fields: ["name": .text(organization.name), "description": .text("\(organization.name): \(organization.sector.rawValue)\(area)")]),
            at: now)
        try await store(
            db,
            HSDSRecord(
                entity: "organization_identifier", id: DerivedUUID.make(hsdsId + "/thaw"),
                fields: [
                    "organization_id": .text(hsdsId), "identifier_scheme": .text(DirectoryVocabulary.organizationScheme),
                    "identifier_type": .text("Thaw network member"), "identifier": .text(organization.id.raw)
                ]),
            at: now)
        try await db.execute("UPDATE organizations SET hsds_id = ? WHERE id = ?", hsdsId, organization.id)
        return hsdsId
    }

    /// A Thaw service's HSDS records, over what the directory already holds of it: its record's
    /// other fields are kept; the languages, area and need and capacity attributes are Thaw's to
    /// say, and what it no longer says (a language dropped) is removed.
    static func writeService(_ db: any SQLConnection, _ service: Service, at now: Timestamp, index: Bool = true) async throws {
        let hsdsId =
            try await db.first("SELECT hsds_id FROM services WHERE id = ?", service.id)?.optionalString("hsds_id")
            ?? DerivedUUID.make("thaw/service/" + service.id.raw)
        var organizationHsdsId = try await db.first("SELECT hsds_id FROM organizations WHERE id = ?", service.organizationId)?.optionalString(
            "hsds_id")
        if organizationHsdsId == nil {
            organizationHsdsId = try await writeOrganization(db, try await ScopedStore.organization(db, service.organizationId), at: now)
        }
        var records = DirectoryProjection.records(
            DirectoryProjection.Fields(
                name: service.name, description: service.description, needCategories: service.needCategories, eligibility: service.eligibility,
                areaServed: service.areaServed, languages: service.languages, capacity: service.capacity),
            hsdsId: hsdsId, organizationHsdsId: organizationHsdsId ?? "", lastModified: service.updatedAt)
        if let index = records.firstIndex(where: { $0.entity == "service" }) {
            records[index].fields.merge(verification(of: service, hsdsId: hsdsId).fields) { _, stamp in stamp }
        }
        let keep = Set(records.map(\.id))
        for row in try await db.query(
            """
            SELECT r.entity, r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
            WHERE l.target = ? AND l.field IN ('service_id', 'link_id') AND l.entity IN ('language', 'service_area', 'attribute')
            """, hsdsId)
        where !keep.contains(row.string("id")) {
            guard let record = HSDSRecord(entity: row.string("entity"), id: row.string("id"), stored: row.string("fields")) else { continue }
            let term = record["taxonomy_term_id"] ?? ""
            let thawSays =
                record.entity != "attribute" || DirectoryVocabulary.need(termId: term) != nil || DirectoryVocabulary.capacity(termId: term) != nil
            guard thawSays else { continue }
            try await db.execute("DELETE FROM directory_records WHERE entity = ? AND id = ?", record.entity, record.id)
            try await db.execute("DELETE FROM directory_links WHERE entity = ? AND id = ?", record.entity, record.id)
        }
        for record in records {
            try await merge(db, record, at: now, removing: record.entity == "service" && service.estimatedWaitDays == nil ? ["wait_time"] : [])
        }
        try await db.execute("UPDATE services SET hsds_id = ? WHERE id = ?", hsdsId, service.id)
        if index { try await indexServices(db, hsdsIds: [hsdsId], at: now) }
    }

    /// A service's capacity alone, as its one capacity attribute (an imported service keeps the
    /// rest of what its source said).
    static func writeCapacity(_ db: any SQLConnection, _ service: Service, at now: Timestamp) async throws {
        guard let hsdsId = try await db.first("SELECT hsds_id FROM services WHERE id = ?", service.id)?.optionalString("hsds_id") else {
            return try await writeService(db, service, at: now)
        }
        let id = DerivedUUID.make(hsdsId + "/capacity")
        for row in try await db.query(
            "SELECT id FROM directory_links WHERE target = ? AND field = 'link_id' AND entity = 'attribute' AND id <> ?", hsdsId, id)
        {
            let other = row.string("id")
            guard
                let stored = try await db.first("SELECT fields FROM directory_records WHERE entity = 'attribute' AND id = ?", other),
                let record = HSDSRecord(entity: "attribute", id: other, stored: stored.string("fields")),
                DirectoryVocabulary.capacity(termId: record["taxonomy_term_id"] ?? "") != nil
            else { continue }
            try await db.execute("DELETE FROM directory_records WHERE entity = 'attribute' AND id = ?", other)
            try await db.execute("DELETE FROM directory_links WHERE entity = 'attribute' AND id = ?", other)
        }
        try await store(
            db,
            HSDSRecord(
                entity: "attribute", id: id,
                fields: [
                    "link_id": .text(hsdsId), "link_type": .text("service"), "link_entity": .text("service"),
                    "taxonomy_term_id": .text(DirectoryVocabulary.capacityTermId(service.capacity))
                ]),
            at: now)
        var stamp = verification(of: service, hsdsId: hsdsId)
        stamp.fields["last_modified"] = .text(now.description)
        try await merge(db, stamp, at: now, removing: service.estimatedWaitDays == nil ? ["wait_time"] : [])
        try await indexServices(db, hsdsIds: [hsdsId], at: now)
    }

    /// What a service's HSDS record says of its freshness: the date it was last verified
    /// (`assured_date`) and, on a waitlist, the wait (`wait_time`). Who verified it stays in
    /// Thaw: `assurer_email` would publish a person's address in an open directory.
    static func verification(of service: Service, hsdsId: String) -> HSDSRecord {
        var fields: [String: HSDSRecord.Value] = [:]
        if let at = service.verifiedAt { fields["assured_date"] = .text(CalendarDate(at).description) }
        if let days = service.estimatedWaitDays { fields["wait_time"] = .text(Freshness.waitTime(days: days)) }
        return HSDSRecord(entity: "service", id: hsdsId, fields: fields)
    }

    /// Writes a record over the directory's, keeping the fields it does not set (less those in `removing`).
    static func merge(_ db: any SQLConnection, _ record: HSDSRecord, at now: Timestamp, removing: [String] = []) async throws {
        var merged = record
        if let row = try await db.first("SELECT fields FROM directory_records WHERE entity = ? AND id = ?", record.entity, record.id),
            let stored = HSDSRecord(entity: record.entity, id: record.id, stored: row.string("fields"))
        {
            merged.fields = stored.fields.merging(record.fields) { _, new in new }
        }
        for field in removing { merged.fields[field] = nil }
        try await store(db, merged, at: now)
    }
}
