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
            let plan = SimulationPlan.random(organizations: people.keys.sorted { $0.raw < $1.raw }, partnersEach: 4,
                                             start: CalendarDate("2021-01-04")!, weeks: 156, noise: Self.noise, seed: 7)
            #expect(plan.pairs.count >= 16 && plan.pairs.contains { $0.regimes.count > 1 })
            let summary = try await Simulator(database: db.database, people: people).run(plan)
            #expect(summary.actions > plan.pairs.count * 156)
            let recovery = try await RegimeRecovery.measure(plan, store: store, people: people)
            print("regime recovery at noise \(Self.noise): planted \(recovery.planted), detected \(recovery.detected), matched \(recovery.matched) " +
                  "(same direction \(recovery.sameDirection)); precision \(recovery.precision), recall \(recovery.recall)")
            #expect(recovery.planted >= 20)
            #expect(recovery.precision >= 0.75)
            #expect(recovery.recall >= 0.75)
            #expect(recovery.sameDirection == recovery.matched)
        }
    }
}
