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
            #expect(orgs.filter { $0.sector == .primaryCare && $0.parentId == nil }.count == 3)
            #expect(Set(orgs.map(\.sector)) == Set(Sector.allCases))
            #expect(Set(demo.signIns.flatMap { $0.role.components(separatedBy: ", ") }) == Set(Role.allCases.map(\.rawValue)))
            let statuses = try await db.database.read { c in try await c.query("SELECT DISTINCT status FROM referrals", []) }
            #expect(Set(statuses.map { $0.string("status") }) == Set(TaskStatus.allCases.map(\.rawValue)))
            let open = try await db.database.read { c in try await c.query("SELECT id FROM referrals WHERE owner_organization_id IS NULL", []) }
            #expect(open.count == 1)
            #expect(try await db.database.read { c in try await c.query("SELECT COUNT(*) AS n FROM referral_messages", []) }.first!.int("n") > 5)
        }
    }

    /// The partnership history loads through the store like user actions and
    /// tells the freeze and the thaw the issue describes.
    @Test func demoHoldsThePartnershipHistory() async throws {
        try await withDatabase(.sqlite) { db in
            var demo = DemoNetwork()
            let end = ISO8601.parse("2026-11-26T12:00:00Z")!
            try await demo.load(into: db.database, endingAt: end, bcryptCost: 4)
            func count(_ sql: String) async throws -> Int {
                try await db.database.read { c in try await c.query(sql, []) }.first!.int("n")
            }
            // The scripted story (the simulator's day-to-day contact uses texts of its own).
            let scripted = "what <> 'Share the updated contact list'"
            let story = "consultation_id IN (SELECT id FROM consultations WHERE title <> 'Draft referral pathway')"
            #expect(try await count("SELECT COUNT(*) AS n FROM commitments WHERE status = 'missed' AND \(scripted)") == 2)
            #expect(try await count("SELECT COUNT(*) AS n FROM commitments WHERE status = 'kept' AND \(scripted)") == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM committee_members WHERE left_at IS NOT NULL") == 1)
            // The unanswered one:
            #expect(try await count("SELECT COUNT(*) AS n FROM consultations WHERE status = 'open' AND title <> 'Draft referral pathway'") == 1)
            #expect(try await count("SELECT COUNT(*) AS n FROM feedback_items WHERE response IS NULL AND \(story)") == 2)
            // The simulated contact behind the climate: thousands of entries, and the health authority and Northgate cooling now.
            #expect(try await count("SELECT COUNT(*) AS n FROM activity WHERE kind IN ('thread.message', 'signal.sent', 'commitment.made')") > 2000)
            let authorityLead = try await ThawStore(database: db.database, clock: ManualClock(end)).user(email: "lead@authority.demo")!
            let cooling = try await ThawStore(database: db.database, clock: ManualClock(end))
                .scoped(
                    to: Actor(
                        userId: authorityLead.id, organizationId: authorityLead.organizationId, sector: .healthSystem, roles: authorityLead.roles)
                )
                .coolingPartnerships()
            #expect(cooling.map { Set($0.names) } == [["Provincial Health Authority", "Northgate Primary Care Network"]])
            #expect(
                try await count("SELECT COUNT(*) AS n FROM outside_events WHERE kind IN ('outbreak-wave', 'cabinet-change', 'leadership-change')")
                    >= 4)
            #expect(try await count("SELECT COUNT(*) AS n FROM activity WHERE channel = 'informal'") >= 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM decisions WHERE decision_rule = 'sector-parity' AND status = 'passed'") == 1)
            // The joint funding agreement is within its 90-day alert.
            let fhtLead = demo.signIns.first { $0.email == "lead@riverside-fht.demo" }
            #expect(fhtLead != nil)
            let store = ThawStore(database: db.database, clock: ManualClock(end))
            let user = try await store.user(email: "lead@riverside-fht.demo")!
            let org = try await store.organization(user.organizationId)
            let funding = try await store.scoped(to: Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: user.roles)).funding()
            #expect(funding.map(\.alert) == [90])
            // The climate aggregates written along the way equal a rebuild from the demo's whole ledger.
            #expect(try await store.climateSnapshot().count > 50)
            #expect(try await store.rebuildFindsClimateUnchanged())
        }
    }
}
