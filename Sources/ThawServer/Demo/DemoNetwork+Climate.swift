import ThawCore
import ThawSimulation
import ThawStorage

/// The day-to-day contact of the demo's recent years, made by the simulator
/// through the store: steady partnerships in the Ontario-style initiative, and
/// the health authority and Northgate cooling over the last three months (the
/// dashboard's cooling list). (2021–2022 is the story's own recorded work.)
extension DemoNetwork {
    /// `people`: the partnership people of each organisation (its lead first).
    func loadClimateHistory(into database: any SQLDatabase, people byKey: [String: [Actor]], endingAt end: Timestamp) async throws {
        let people = Dictionary(uniqueKeysWithValues: byKey.values.compactMap { actors in actors.first.map { ($0.organizationId, actors) } })
        func pair(_ a: String, _ b: String, _ regimes: [(Int, Double)]) -> SimulationPlan.Pair {
            SimulationPlan.Pair(
                organizations: [byKey[a]![0].organizationId, byKey[b]![0].organizationId],
                regimes: regimes.map { SimulationPlan.Regime(startWeek: $0.0, temperature: $0.1) })
        }
        let simulator = Simulator(database: database, people: people)
        let weeks = 100
        let recentStart = ScopedStore.weekStart(CalendarDate(end.adding(days: -7 * weeks)))
        try await simulator.run(
            SimulationPlan(
                seed: 2026, start: recentStart, weeks: weeks, noise: 0.1,
                pairs: [
                    pair("fht", "housing", [(0, 0.85)]),
                    pair("fht", "mental", [(0, 0.8)]),
                    pair("housing", "food", [(0, 0.75)]),
                    pair("ministry", "authority", [(0, 0.7)]),
                    pair("authority", "northgate", [(0, 0.85), (weeks - 14, 0.05)])
                ], surveyEveryWeeks: 13))
    }
}
