import ThawCore

/// A place of the directory with what FHIR's Location says of it: its addresses and phones, and
/// the Thaw organisation that manages it, where it is a network member.
public struct DirectoryLocation: Sendable {
    public var record: HSDSRecord
    public var addresses: [HSDSRecord]
    public var phones: [HSDSRecord]
    public var organization: ID<Organization>?
}

/// What the directory adds to a Thaw service in FHIR: its HSDS id and the places it is offered at.
public struct ServiceDirectoryFacts: Sendable {
    public var hsdsId: String
    public var locations: [String]
}

extension ThawStore {
    /// Locations by id, name (words, accents folded), postal code or managing organisation; at most 200.
    public func directoryLocations(ids: [String] = [], name: String? = nil, postalCode: String? = nil, organization: ID<Organization>? = nil)
        async throws -> [DirectoryLocation]
    {
        let words = DirectoryText.words(name ?? "")
        let code = postalCode.map(DirectoryPlaces.normalPostalCode)
        return try await database.read { db in
            var hsdsOrganization: String?
            if let organization {
                guard let row = try await db.first("SELECT hsds_id FROM organizations WHERE id = ?", organization),
                    let id = row.optionalString("hsds_id")
                else { return [] }
                hsdsOrganization = id
            }
            var sql = "SELECT id, fields FROM directory_records WHERE entity = 'location'"
            var binds: [SQLValue] = []
            if !ids.isEmpty {
                sql += " AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                binds += ids.map { .text($0) }
            }
            var found: [DirectoryLocation] = []
            for row in try await db.query(sql + " ORDER BY id", binds) {
                guard let record = HSDSRecord(entity: "location", id: row.string("id"), stored: row.string("fields")) else { continue }
                if let hsdsOrganization, record["organization_id"] != hsdsOrganization { continue }
                if !words.isEmpty {
                    let text = DirectoryText.words((record["name"] ?? "") + " " + (record["alternate_name"] ?? ""))
                    guard words.allSatisfy({ word in text.contains { DirectoryText.finds(word, in: $0) } }) else { continue }
                }
                let addresses = try await Self.linked(db, "address", by: "location_id", to: record.id)
                if let code, !addresses.contains(where: { DirectoryPlaces.normalPostalCode($0["postal_code"] ?? "").hasPrefix(code) }) { continue }
                let member = try await Self.networkMember(db, hsdsOrganization: record["organization_id"])
                found.append(
                    DirectoryLocation(
                        record: record, addresses: addresses, phones: try await Self.linked(db, "phone", by: "location_id", to: record.id),
                        organization: member))
                if found.count == 200 { break }
            }
            return found
        }
    }

    /// The HSDS id and places of each Thaw service named.
    public func serviceDirectoryFacts(_ ids: [ID<Service>]) async throws -> [ID<Service>: ServiceDirectoryFacts] {
        try await database.read { db in
            var facts: [ID<Service>: ServiceDirectoryFacts] = [:]
            for id in ids {
                guard let hsdsId = try await db.first("SELECT hsds_id FROM services WHERE id = ?", id)?.optionalString("hsds_id") else { continue }
                let places = try await db.query("SELECT location_id FROM directory_places WHERE service_id = ? ORDER BY location_id", hsdsId)
                facts[id] = ServiceDirectoryFacts(hsdsId: hsdsId, locations: places.map { $0.string("location_id") })
            }
            return facts
        }
    }

    private static func linked(_ db: any SQLConnection, _ entity: String, by field: String, to target: String) async throws -> [HSDSRecord] {
        // Sorted here: ordering by the record's id in SQL would lead SQLite to walk every record of the entity.
        try await db.query(
            """
            SELECT r.id, r.fields FROM directory_links l JOIN directory_records r ON r.entity = l.entity AND r.id = l.id
            WHERE l.target = ? AND l.field = ? AND l.entity = ?
            """, target, field, entity
        ).compactMap { HSDSRecord(entity: entity, id: $0.string("id"), stored: $0.string("fields")) }.sorted { $0.id < $1.id }
    }
}
