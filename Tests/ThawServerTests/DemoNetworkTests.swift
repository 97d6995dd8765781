import Testing
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

@Suite struct DemoNetworkTests {
    /// The demo is written through the same store calls as real use; check it
    /// holds the network the issue describes and a referral in every status.
    @Test func demoHoldsTheNetworkAndEveryStatus() async throws {
        try await withDatabase(.sqlite) { db in
            var demo = DemoNetwork()
            try await demo.load(into: db.database, endingAt: ISO8601.parse("2026-11-26T12:00:00Z")!, bcryptCost: 4)
            let store = ThawStore(database: db.database, clock: SystemClock())
            let orgs = try await store.organizations()
            #expect(orgs.count == 16)
            #expect(orgs.filter { $0.sector == .primaryCare && $0.parentID == nil }.count == 3)
            #expect(Set(orgs.map(\.sector)) == Set(Sector.allCases))
            #expect(Set(demo.signIns.flatMap { $0.role.components(separatedBy: ", ") }) == Set(Role.allCases.map(\.rawValue)))
            let statuses = try await db.database.read { c in try await c.query("SELECT DISTINCT status FROM referrals", []) }
            #expect(Set(statuses.map { $0.string("status") }) == Set(TaskStatus.allCases.map(\.rawValue)))
            let open = try await db.database.read { c in try await c.query("SELECT id FROM referrals WHERE owner_organization_id IS NULL", []) }
            #expect(open.count == 1)
            #expect(try await db.database.read { c in try await c.query("SELECT COUNT(*) AS n FROM referral_messages", []) }.first!.int("n") > 5)
        }
    }
}
