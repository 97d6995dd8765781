import Testing
@testable import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Each organisation has a time zone: the one given, else its area's; a name the time zone
/// database does not know is refused; organisations already there get their area's.
@Suite struct OrganizationTimeZoneContractTests {
    /// Every zone an area names, and every zone offered, is one the time zone database knows.
    @Test func everyZoneOfferedIsKnown() {
        for zone in AreaTimeZones.zones { #expect(TimeZoneNames.isKnown(zone), "\(zone)") }
        for (_, zone) in AreaTimeZones.places { #expect(AreaTimeZones.zones.contains(zone), "\(zone)") }
    }

    @Test(arguments: Backend.available)
    func anOrganizationKeepsItsZone(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let store = ThawStore(database: db.database, clock: ManualClock(World.start))
            let given = try await store.createOrganization(NewOrganization(name: "A", sector: .community, timeZone: "America/Halifax"))
            let fromArea = try await store.createOrganization(NewOrganization(name: "B", sector: .socialCare, area: "Calgary, AB"))
            let none = try await store.createOrganization(NewOrganization(name: "C", sector: .socialCare, area: "Riverside"))
            #expect(try await store.organization(given.id).timeZone == "America/Halifax")
            #expect(try await store.organization(fromArea.id).timeZone == "America/Edmonton")
            #expect(try await store.organization(none.id).timeZone == nil)
            for bad in ["Mars/Olympus_Mons", "GMT+5", "america/toronto", "'; DROP TABLE organizations; --"] {
                await #expect(throws: ThawError.self) {
                    try await store.createOrganization(NewOrganization(name: "D", sector: .community, timeZone: bad))
                }
            }
            #expect(try await store.organizations().count == 3)
        }
    }

    @Test(arguments: Backend.available)
    func organizationsAlreadyThereGetTheirAreasZone(backend: Backend) async throws {
        try await withDatabase(backend, migrations: Migrator.all.filter { $0.version < 35 }) { db in
            try await db.database.write { c in
                for (id, area) in [("org_a", "Winnipeg"), ("org_b", "Riverside")] {
                    try await c.execute(
                        "INSERT INTO organizations (id, name, sector, area, created_at) VALUES (?, ?, 'community', ?, 0)", id, id, area)
                }
            }
            #expect(try await Migrator.migrate(db.database) == Migrator.all.map(\.version).filter { $0 >= 35 })
            let store = ThawStore(database: db.database, clock: ManualClock(World.start))
            #expect(try await store.organization(ID("org_a")).timeZone == "America/Winnipeg")
            #expect(try await store.organization(ID("org_b")).timeZone == nil)
        }
    }
}
