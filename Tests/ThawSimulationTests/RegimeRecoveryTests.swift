import Foundation
import Testing
import ThawCore
import ThawSimulation
import ThawStorage
import ThawTestSupport

/// The simulator plants warm and cold regimes; the climate's change points
/// must find them again. The noise level held here is the one the README states.
@Suite struct RegimeRecoveryTests {
    static let noise = 0.1

    @Test func plantedRegimeChangesAreRecoveredWithinOneMonth() async throws {
        try await withDatabase(.sqlite) { db in
            let store = ThawStore(database: db.database, clock: ManualClock(ISO8601.parse("2021-01-04T00:00:00Z")!))
            let people = try await SimulatedNetwork.create(in: store, organizations: 16, peopleEach: 3)
            let plan = SimulationPlan.random(
                organizations: people.keys.sorted { $0.raw < $1.raw }, partnersEach: 4,
                start: CalendarDate("2021-01-04")!, weeks: 156, noise: Self.noise, seed: 7)
            #expect(plan.pairs.count >= 16 && plan.pairs.contains { $0.regimes.count > 1 })
            let summary = try await Simulator(database: db.database, people: people).run(plan)
            #expect(summary.actions > plan.pairs.count * 156)
            let recovery = try await RegimeRecovery.measure(plan, store: store, people: people)
            print(
                "regime recovery at noise \(Self.noise): planted \(recovery.planted), detected \(recovery.detected), matched \(recovery.matched) "
                    + "(same direction \(recovery.sameDirection)); precision \(recovery.precision), recall \(recovery.recall)")
            #expect(recovery.planted >= 20)
            #expect(recovery.precision >= 0.75)
            #expect(recovery.recall >= 0.75)
            #expect(recovery.sameDirection == recovery.matched)
        }
    }

    /// Streams play their pairs side by side (sharing group commits); every pair is played, the deadline sweep
    /// runs only once the whole week is played (a stream's kept commitment is never marked missed first), the
    /// climate still follows the ledger, and the same seed gives the same history again.
    @Test func streamsPlayEveryPairAndRepeatForTheSameSeed() async throws {
        func history() async throws -> (kinds: [String], pairs: Int, entries: Int) {
            try await withDatabase(.sqlite) { db in
                let store = ThawStore(database: db.database, clock: ManualClock(ISO8601.parse("2021-01-04T00:00:00Z")!))
                let people = try await SimulatedNetwork.create(in: store, organizations: 12, peopleEach: 3)
                let plan = SimulationPlan.random(
                    organizations: people.keys.sorted { $0.raw < $1.raw }, partnersEach: 4,
                    start: CalendarDate("2021-01-04")!, weeks: 30, noise: Self.noise, seed: 11)
                try await Simulator(database: db.database, people: people).run(plan, streams: 5)
                #expect(try await store.rebuildFindsClimateUnchanged())
                return try await db.database.read { c in
                    let kinds = try await c.query("SELECT kind, COUNT(*) AS n FROM activity GROUP BY kind ORDER BY kind", [])
                        .map { "\($0.string("kind"))=\($0.int("n"))" }
                    let pairs =
                        try await c.query(
                            """
                            SELECT COUNT(DISTINCT org_lo || '|' || org_hi) AS n FROM climate_months
                            """, []
                        ).first?.int("n") ?? 0
                    let entries = try await c.query("SELECT COUNT(*) AS n FROM activity", []).first?.int("n") ?? 0
                    return (kinds, pairs, entries)
                }
            }
        }
        let first = try await history(), second = try await history()
        #expect(first.kinds == second.kinds && first.entries == second.entries)
        #expect(first.kinds.contains { $0.hasPrefix("commitment.kept=") } && first.kinds.contains { $0.hasPrefix("commitment.missed=") })
        #expect(first.pairs >= 12)
    }

    /// A plan longer than the five years the climate answers at a time is scored on its last five
    /// years, from the first of a month; a shorter one on all of it.
    @Test func longPlansAreScoredOnTheirLastFiveYears() {
        let start = CalendarDate("2012-01-02")!
        let long = RegimeRecovery.scoredRange(SimulationPlan(seed: 1, start: start, weeks: 730, noise: 0.1, pairs: []))
        #expect(long.to == CalendarDate(start.startOfDay.adding(days: 7 * 730)))
        #expect(long.from.day == 1 && long.from > start)
        #expect(long.to.startOfDay.millis - long.from.startOfDay.millis <= 5 * 366 * 86_400_000)
        #expect(long.to.startOfDay.millis - long.from.startOfDay.millis >= 4 * 366 * 86_400_000)
        let short = RegimeRecovery.scoredRange(SimulationPlan(seed: 1, start: start, weeks: 156, noise: 0.1, pairs: []))
        #expect(short.from == start)
    }
}
