import ThawCore
import ThawSimulation
import ThawStorage

/// The day-to-day contact behind the demo's partnership story, made by the
/// simulator through the store: 2021–2022 follows the story (the ministry and
/// the medical association freeze in the summer of 2021 and thaw after the new
/// deputy minister; the health authority and the Riverside network cool with
/// them), and the last two years are steady but for the health authority and
/// Northgate, cooling over the last two months (the dashboard's cooling list).
extension DemoNetwork {
    func loadClimateHistory(into database: any SQLDatabase, leads: [String: Actor], endingAt end: Timestamp) async throws {
        let people = Dictionary(grouping: leads.values, by: \.organizationId)
        func pair(_ a: String, _ b: String, _ regimes: [(Int, Double)]) -> SimulationPlan.Pair {
            SimulationPlan.Pair(
                organizations: [leads[a]!.organizationId, leads[b]!.organizationId],
                regimes: regimes.map { SimulationPlan.Regime(startWeek: $0.0, temperature: $0.1) })
        }
        // Week 17 is early May 2021, 42 late October 2021.
        let story = SimulationPlan(
            seed: 2021, start: CalendarDate("2021-01-04")!, weeks: 104, noise: 0.1,
            pairs: [
                pair("ministry", "association", [(0, 0.6), (17, 0.15), (42, 0.8)]),
                pair("authority", "riverside", [(0, 0.7), (20, 0.3), (45, 0.85)]),
                pair("association", "northgate", [(0, 0.7), (24, 0.25), (48, 0.75)]),
                pair("authority", "northgate", [(0, 0.8)]),
                pair("ministry", "authority", [(0, 0.75)])
            ])
        let simulator = Simulator(database: database, people: people)
        try await simulator.run(story)
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
                    pair("authority", "northgate", [(0, 0.85), (weeks - 9, 0.1)])
                ]))
    }
}
