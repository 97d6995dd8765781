import ThawCore

/// Directory services of organisations in the Thaw network become services Thaw refers to: an
/// imported service whose HSDS organisation names a Thaw organisation (an identifier in
/// `DirectoryVocabulary.organizationScheme`) gets a row in `services`, kept in line with what the
/// directory says of it (name, description, needs, eligibility, area, languages, capacity).
extension ThawStore {
    /// The HSDS services an import touched: changed ones, the ones whose languages, areas or
    /// attributes changed, and every service of an organisation whose identifiers changed.
    static func touchedServices(_ changes: [HSDSRecord], _ db: any SQLConnection) async throws -> Set<String> {
        var touched = Set<String>(), organizations = Set<String>(), locations = Set<String>()
        for record in changes {
            switch record.entity {
            case "service": touched.insert(record.id)
            case "language", "service_area", "service_at_location": if let service = record["service_id"] { touched.insert(service) }
            case "attribute": if let target = record["link_id"] { touched.insert(target) }
            case "organization", "organization_identifier": organizations.insert(record["organization_id"] ?? record.id)
            case "location": locations.insert(record.id)
            case "address": if let location = record["location_id"] { locations.insert(location) }
            default: continue
            }
        }
        for organization in organizations.sorted() {
            for row in try await db.query(
                "SELECT id FROM directory_links WHERE target = ? AND field = 'organization_id' AND entity = 'service'", organization)
            {
                touched.insert(row.string("id"))
            }
        }
        for location in locations.sorted() {
            for row in try await db.query(
                """
                SELECT r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
                WHERE l.target = ? AND l.field = 'location_id' AND l.entity = 'service_at_location'
                """, location)
            {
                if let service = HSDSRecord(entity: "service_at_location", id: "", stored: row.string("fields"))?["service_id"] {
                    touched.insert(service)
                }
            }
        }
        return touched
    }

    /// Brings each named HSDS service's row in `services` in line with the directory; returns how
    /// many rows were added or changed. Services of organisations outside the network have none.
    @discardableResult
    static func projectServices(_ db: any SQLConnection, hsdsIds: [String], at now: Timestamp) async throws -> Int {
        var changed = 0
        for hsdsId in hsdsIds {
            guard let row = try await db.first("SELECT fields FROM directory_records WHERE entity = 'service' AND id = ?", hsdsId),
                let service = HSDSRecord(entity: "service", id: hsdsId, stored: row.string("fields")),
                let organization = try await networkMember(db, hsdsOrganization: service["organization_id"])
            else { continue }
            let linked = try await linkedRecords(db, to: hsdsId)
            let fields = DirectoryProjection.fields(of: service, linked: linked)
            let existing = try await db.first("SELECT \(Service.columns) FROM services WHERE hsds_id = ?", hsdsId).map(Service.init(row:))
            var projected = Service(
                id: existing?.id ?? IDGenerator.make("svc"), organizationId: organization, name: fields.name, description: fields.description,
                needCategories: fields.needCategories, eligibility: fields.eligibility, areaServed: fields.areaServed, languages: fields.languages,
                capacity: fields.capacity, updatedAt: now)
            if let existing {
                // What Thaw's own people said of it stays: the wait while still waitlisted, and the last verification.
                projected.estimatedWaitDays = projected.capacity == .waitlist ? existing.estimatedWaitDays : nil
                projected.verifiedAt = existing.verifiedAt
                projected.verifiedBy = existing.verifiedBy
                projected.updatedAt = existing.updatedAt
                guard projected != existing else { continue }
                projected.updatedAt = now
                try await db.execute(
                    """
                    UPDATE services SET organization_id = ?, name = ?, description = ?, need_categories = ?, eligibility = ?, area_served = ?,
                        languages = ?, capacity = ?, estimated_wait_days = ?, updated_at = ? WHERE id = ?
                    """, organization, projected.name, projected.description, projected.needCategories.listText, projected.eligibility,
                    projected.areaServed, projected.languages.joined(separator: ","), projected.capacity, projected.estimatedWaitDays, now,
                    projected.id)
                try await db.execute("DELETE FROM service_needs WHERE service_id = ?", projected.id)
            } else {
                try await db.execute(
                    """
                    INSERT INTO services (id, organization_id, name, description, need_categories, eligibility, area_served, languages, capacity,
                                          updated_at, hsds_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, projected.id, organization, projected.name, projected.description, projected.needCategories.listText,
                    projected.eligibility, projected.areaServed, projected.languages.joined(separator: ","), projected.capacity, now, hsdsId)
            }
            for category in Set(projected.needCategories) {
                try await db.execute(
                    "INSERT INTO service_needs (service_id, need_category, organization_id) VALUES (?, ?, ?)", projected.id, category, organization)
            }
            changed += 1
        }
        return changed
    }

    /// The Thaw organisation an HSDS organisation is, by its identifier in Thaw's scheme.
    static func networkMember(_ db: any SQLConnection, hsdsOrganization: String?) async throws -> ID<Organization>? {
        guard let hsdsOrganization else { return nil }
        if let own = try await db.first("SELECT id FROM organizations WHERE hsds_id = ?", hsdsOrganization) { return own.id("id") }
        for row in try await db.query(
            "SELECT id FROM directory_links WHERE target = ? AND field = 'organization_id' AND entity = 'organization_identifier'", hsdsOrganization)
        {
            guard
                let stored = try await db.first(
                    "SELECT fields FROM directory_records WHERE entity = 'organization_identifier' AND id = ?", row.string("id")),
                let identifier = HSDSRecord(entity: "organization_identifier", id: row.string("id"), stored: stored.string("fields")),
                identifier["identifier_scheme"] == DirectoryVocabulary.organizationScheme, let thaw = identifier["identifier"],
                try await db.first("SELECT id FROM organizations WHERE id = ?", thaw) != nil
            else { continue }
            return ID(thaw)
        }
        return nil
    }
}
