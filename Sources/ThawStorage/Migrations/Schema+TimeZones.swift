import ThawCore

extension Schema {
    /// Each organisation's time zone; organisations already there get the one their area names.
    static let v35OrganizationTimeZones = Migration(
        version: 35, name: "organisations' time zones",
        sql: ["ALTER TABLE organizations ADD COLUMN time_zone TEXT"],
        then: { db in
            for row in try await db.query("SELECT id, area FROM organizations WHERE area IS NOT NULL", []) {
                guard let zone = AreaTimeZones.zone(forArea: row.optionalString("area")) else { continue }
                try await db.execute("UPDATE organizations SET time_zone = ? WHERE id = ?", zone, row.string("id"))
            }
        })
}
