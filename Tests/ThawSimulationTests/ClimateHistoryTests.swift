import Foundation
import Testing
import ThawCore
import ThawSimulation
import ThawStorage
import ThawTestSupport

/// Freeze and thaw segments with their nearby events, and the list of
/// partnerships cooling now, on simulated histories.
@Suite struct ClimateHistoryTests {
    @Test(arguments: Backend.available)
    func aRecentFreezeIsLabelledShownWithItsEventsAndListedAsCooling(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let clock = ManualClock(ISO8601.parse("2023-01-02T12:00:00Z")!)
            let store = ThawStore(database: db.database, clock: clock)
            let people = try await SimulatedNetwork.create(in: store, organizations: 6, peopleEach: 3)
            let orgs = people.keys.sorted { $0.raw < $1.raw }
            let start = CalendarDate("2021-01-04")!
            // Warm for 95 weeks, then cold from the end of October 2022.
            let cooling = SimulationPlan.Pair(
                organizations: [orgs[0], orgs[1]], regimes: [.init(startWeek: 0, temperature: 0.9), .init(startWeek: 95, temperature: 0.05)])
            let steady = SimulationPlan.Pair(organizations: [orgs[2], orgs[3]], regimes: [.init(startWeek: 0, temperature: 0.85)])
            try await Simulator(database: db.database, people: people).run(
                SimulationPlan(seed: 3, start: start, weeks: 104, noise: 0.05, pairs: [cooling, steady]))
            // Warm until September 2022, then nothing at all.
            let quiet = SimulationPlan.Pair(organizations: [orgs[4], orgs[5]], regimes: [.init(startWeek: 0, temperature: 0.85)])
            try await Simulator(database: db.database, people: people).run(
                SimulationPlan(seed: 4, start: start, weeks: 86, noise: 0.05, pairs: [quiet]))

            // Every kind of contribution the simulator makes (threads, signals and their acknowledgements in time or
            // late, commitments kept and missed, consultation answers taken up or not): the folding rebuild gives
            // exactly what the entry-by-entry updates gave.
            let incremental = try await store.climateSnapshot()
            let check = try await store.rebuildClimate(pageSize: 997)
            #expect(check.rows == ClimateRowChanges(rows: incremental.count))  // found every row right, wrote none
            #expect(try await store.climateSnapshot() == incremental)
            // Into an empty table: every row written, the same rows.
            try await db.database.write { try await $0.execute("DELETE FROM climate_months", []) }
            #expect(try await store.rebuildClimate(pageSize: 997).rows == ClimateRowChanges(rows: incremental.count, added: incremental.count))
            #expect(try await store.climateSnapshot() == incremental)

            let lead = store.scoped(to: people[orgs[0]]![0])
            let nearby = try await lead.recordEvent(
                NewOutsideEvent(
                    kind: .leadershipChange, title: "New director", description: "",
                    occurredOn: CalendarDate("2022-10-20")!, affectedOrganizationIds: [orgs[1]]))
            _ = try await lead.recordEvent(
                NewOutsideEvent(
                    kind: .fundingChange, title: "Elsewhere", description: "",
                    occurredOn: CalendarDate("2022-10-21")!, affectedOrganizationIds: [orgs[4]]))
            let history = try await lead.pairClimateHistory(
                orgs[0], orgs[1], period: .month, from: CalendarDate("2021-01-01")!, to: CalendarDate("2023-01-01")!)
            let freeze = try #require(history.segments.last)
            #expect(history.segments.count == 2 && freeze.direction == .freeze)
            #expect(["2022-10-01", "2022-11-01", "2022-12-01"].contains(freeze.start.description))
            #expect(freeze.meanIndex < history.segments[0].meanIndex - 25)
            #expect(freeze.eventsNearStart.map(\.id) == [nearby.id])  // not the other organisation's event
            #expect(history.segments[0].eventsNearStart.isEmpty && history.segments[0].direction == nil)
            #expect(history.penalty == ChangePoints.defaultPenalty(count: history.periods.filter { $0.index != nil }.count))
            await #expect(throws: ThawError.invalid("penalty", "range", "the penalty must be a number above 0 and at most 1000000")) {
                try await lead.pairClimateHistory(orgs[0], orgs[1], period: .month, from: start, to: CalendarDate("2023-01-01")!, penalty: -1)
            }

            let list = try await lead.coolingPartnerships()
            #expect(
                list.map(\.organizationIds) == [[orgs[0], orgs[1]], [orgs[4], orgs[5]]]
                    || list.map(\.organizationIds) == [[orgs[4], orgs[5]], [orgs[0], orgs[1]]])
            let falling = try #require(list.first { $0.organizationIds == [orgs[0], orgs[1]] })
            #expect(falling.reason == .falling && falling.since >= CalendarDate("2022-09-01")! && falling.latestIndex! < falling.usualIndex - 25)
            let silent = try #require(list.first { $0.organizationIds == [orgs[4], orgs[5]] })
            #expect(silent.reason == .quiet && silent.latestIndex == nil && silent.since == CalendarDate("2022-09-01")!)
        }
    }

    /// A rebuild over damaged rows finds each difference, writes only those, and
    /// leaves exactly what the ledger gives.
    @Test(arguments: Backend.available)
    func aRebuildRewritesOnlyTheRowsThatDifferFromTheLedger(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let store = ThawStore(database: db.database, clock: ManualClock(ISO8601.parse("2022-01-03T12:00:00Z")!))
            let people = try await SimulatedNetwork.create(in: store, organizations: 4, peopleEach: 2)
            let orgs = people.keys.sorted { $0.raw < $1.raw }
            let pairs = [
                SimulationPlan.Pair(organizations: [orgs[0], orgs[1]], regimes: [.init(startWeek: 0, temperature: 0.8)]),
                SimulationPlan.Pair(organizations: [orgs[2], orgs[3]], regimes: [.init(startWeek: 0, temperature: 0.6)])
            ]
            try await Simulator(database: db.database, people: people).run(
                SimulationPlan(seed: 9, start: CalendarDate("2021-01-04")!, weeks: 40, noise: 0.05, pairs: pairs))
            let right = try await store.climateSnapshot()
            #expect(right.count > 10)

            let (lo, hi) = (orgs[0].raw, orgs[1].raw)
            let months = try await db.database.read { db in
                try await db.query("SELECT month FROM climate_months WHERE org_lo = ? AND org_hi = ? ORDER BY month", [.text(lo), .text(hi)]).map {
                    $0.string("month")
                }
            }
            try #require(months.count >= 4)
            try await db.database.write { db in
                // A count off by one, a day's text changed, a row lost, and a row for a pair that never met.
                try await db.execute(
                    "UPDATE climate_months SET formal = formal + 1 WHERE org_lo = ? AND org_hi = ? AND month = ?",
                    [.text(lo), .text(hi), .text(months[0])])
                try await db.execute(
                    "UPDATE climate_months SET days = '1a1' WHERE org_lo = ? AND org_hi = ? AND month = ?", [.text(lo), .text(hi), .text(months[1])])
                try await db.execute(
                    "DELETE FROM climate_months WHERE org_lo = ? AND org_hi = ? AND month = ?", [.text(lo), .text(hi), .text(months[2])])
                try await db.execute(
                    "INSERT INTO climate_months (org_lo, org_hi, month, formal) VALUES (?, ?, '2021-03-01', 5)",
                    [.text(orgs[0].raw), .text(orgs[2].raw)])
            }
            #expect(try await store.climateSnapshot() != right)

            let report = try await store.rebuildClimate(pageSize: 50)
            #expect(report.rows == ClimateRowChanges(rows: right.count, rewritten: 2, added: 1, removed: 1))
            #expect(try await store.climateSnapshot() == right)
            #expect(try await store.rebuildClimate().rows == ClimateRowChanges(rows: right.count))
        }
    }
}
