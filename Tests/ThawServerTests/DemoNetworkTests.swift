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
            // One person held by two organisations, linked with her consent to coordinate care.
            let links = try await db.database.read { c in
                try await c.query("SELECT basis FROM client_links WHERE unlinked_at IS NULL", [])
            }
            #expect(links.map { $0.string("basis") } == ["name-and-birth-date"])
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
            let store = ThawStore(database: db.database, clock: ManualClock(end))
            func lead(_ email: String) async throws -> ScopedStore {
                let user = try #require(try await store.user(email: email))
                let org = try await store.organization(user.organizationId)
                return store.scoped(to: Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: user.roles))
            }
            let ministry = try await lead("lead@ministry.demo"), association = try await lead("lead@association.demo")

            // The story's practices are on the record: the surprise, the walk-out, the summer's missed promises,
            // the deputy's position as a signal taken as meant, the resurrected committee, the plan brought back.
            let moves = try await association.policyMoves()
            #expect(moves.contains { $0.title == "Return to normal: mass testing suspended" && $0.notice == .after })
            #expect(moves.contains { $0.title == "Primary care in the province's endemic plan" && $0.notice == .advance })
            #expect(try await count("SELECT COUNT(*) AS n FROM activity WHERE kind = 'committee.walked-out'") == 1)
            #expect(try await count("SELECT COUNT(*) AS n FROM commitments WHERE status = 'missed' AND due_on < '2021-11-01'") >= 4)
            #expect(
                try await count("SELECT COUNT(*) AS n FROM commitments WHERE status = 'kept' AND due_on > '2021-11-01' AND due_on < '2023-01-01'")
                    >= 20)
            #expect(try await count("SELECT COUNT(*) AS n FROM signal_addressees WHERE acknowledged_at IS NOT NULL") >= 5)
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM decisions WHERE motion LIKE 'Distribute vaccines through primary care%' AND status = 'passed'") == 1)
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM decisions WHERE motion LIKE 'Distribute vaccines through primary care%' AND status = 'failed'") == 1)
            let persevered = try await association.perseverance(between: ministry.actor.organizationId, association.actor.organizationId)
            #expect(persevered.map { $0.steps.map(\.outcome) } == [["failed", "passed"]])
            // No consultation is left open past its deadline, and every feedback item has its answer.
            #expect(
                try await count(
                    "SELECT COUNT(*) AS n FROM consultations WHERE status = 'open' AND deadline < '\(CalendarDate(end.adding(days: -40)))'") == 0)
            #expect(
                try await count("SELECT COUNT(*) AS n FROM feedback_items WHERE response IS NULL AND created_at < \(end.adding(days: -60).millis)")
                    == 0)
            // No line of the demo's partnership record is repeated more than a handful of times.
            let repeated = try await count(
                "SELECT COALESCE(MAX(n), 0) AS n FROM (SELECT COUNT(*) AS n FROM consultations GROUP BY title, created_at / 86400000 / 365) t")
            #expect(repeated <= 3)

            // The freeze and the thaw come out of that record: the ministry and the association, month by month.
            let periods = try await ministry.pairClimate(
                ministry.actor.organizationId, association.actor.organizationId, period: .month, from: CalendarDate("2021-03-01")!,
                to: CalendarDate("2023-01-01")!)
            func mean(_ from: String, _ to: String) -> Double {
                let values = periods.filter { $0.start >= CalendarDate(from)! && $0.start < CalendarDate(to)! }.compactMap(\.index)
                return values.reduce(0, +) / Double(max(1, values.count))
            }
            let spring = mean("2021-03-01", "2021-06-01"), summer = mean("2021-06-01", "2021-10-01"), thaw = mean("2021-12-01", "2023-01-01")
            print("Demo climate, ministry and association: spring \(spring), summer \(summer), thaw \(thaw)")
            #expect(summer < spring - 20 && thaw > summer + 30)
            let history = try await ministry.pairClimateHistory(
                ministry.actor.organizationId, association.actor.organizationId, period: .month, from: CalendarDate("2021-03-01")!,
                to: CalendarDate("2023-01-01")!)
            #expect(history.segments.compactMap(\.direction) == [.freeze, .thaw])
            // Pulse surveys asked in the cold and after the thaw, and every quarter of the recent years.
            #expect(try await count("SELECT COUNT(*) AS n FROM survey_rounds WHERE closes_on < '2023-01-01'") == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM survey_rounds WHERE closes_on > '2024-01-01'") >= 20)
            let rated = periods.filter { $0.components.survey != nil }
            #expect(rated.first.map { $0.start == CalendarDate("2021-09-01")! } == true)
            #expect((rated.first?.components.survey ?? 1) < 0.5 && (rated.last?.components.survey ?? 0) > 0.7)

            // The simulated contact of recent years: thousands of entries, and the health authority and Northgate cooling now.
            #expect(try await count("SELECT COUNT(*) AS n FROM activity WHERE kind IN ('thread.message', 'meeting.held', 'commitment.made')") > 1500)
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
