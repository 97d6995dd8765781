import Foundation
import Testing
import ThawCore
import ThawSimulation
import ThawStorage
import ThawTestSupport

/// How the climate responds to what the simulator plants, through the whole
/// pipeline (store calls, ledger, fold, components). docs/climate-validity.md
/// reports these figures; the tests hold what the report claims.
@Suite struct ClimateValidityTests {
    typealias Practice = SimulationPlan.Practice
    static let start = CalendarDate("2022-01-03")!
    /// A planted practice and another component that moves with it by construction (docs/climate-validity.md).
    static let couplings: Set<[String]> = [
        ["continuity", "channelMix"], ["continuity", "breadth"], ["reciprocity", "channelMix"], ["reciprocity", "breadth"],
        ["channelMix", "breadth"]
    ]

    /// Each component over the months of `window` (months from the plan's start) for one pair, from the
    /// window's counts pooled (a month holds too few consultations or policy moves to judge by alone);
    /// breadth from the mean number of people a month.
    static func pooled(_ periods: [PeriodClimate], months window: ClosedRange<Int>) -> [String: Double] {
        let inside = periods.enumerated().filter { window.contains($0.offset) }.map(\.element)
        let counts = inside.reduce(PairCounts()) { $0 + $1.counts }
        let people = Double(inside.reduce(0) { $0 + $1.people }) / Double(max(1, inside.count))
        let components = ClimateComponents.from(
            counts, weeksWithContact: inside.reduce(0) { $0 + $1.weeksWithContact }, weeksInPeriod: inside.reduce(0) { $0 + $1.weeksInPeriod },
            people: Int(people.rounded()), survey: nil)
        var out = Dictionary(uniqueKeysWithValues: components.present)
        if out["breadth"] != nil { out["breadth"] = people / (people + ClimateComponents.breadthHalfPoint) }
        return out
    }

    /// A planted change in one practice, the rest of the relationship steady: for each practice,
    /// `perPractice` pairs at 0.75 whose one practice falls to 0.15 after a year, and as many pairs
    /// with no change at all. The change of each component's mean from the first year to the
    /// second, averaged over the pairs of each practice, against the steady pairs' changes.
    @Test func aChangePlantedInOnePracticeMovesItsOwnComponent() async throws {
        try await withDatabase(.sqlite) { db in
            let perPractice = 10
            let practices = Practice.allCases
            let store = ThawStore(database: db.database, clock: ManualClock(Self.start.startOfDay))
            let people = try await SimulatedNetwork.create(in: store, organizations: 2 * perPractice * (practices.count + 1), peopleEach: 3)
            let orgs = people.keys.sorted { $0.raw < $1.raw }
            var pairs: [SimulationPlan.Pair] = []
            for group in 0...practices.count {
                for k in 0..<perPractice {
                    let n = 2 * (group * perPractice + k)
                    var after = SimulationPlan.Regime(startWeek: 52, temperature: 0.75)
                    if group < practices.count { after.practices = [practices[group]: 0.15] }
                    pairs.append(.init(organizations: [orgs[n], orgs[n + 1]], regimes: [.init(startWeek: 0, temperature: 0.75), after]))
                }
            }
            try await Simulator(database: db.database, people: people).run(
                SimulationPlan(seed: 27, start: Self.start, weeks: 104, noise: 0.1, pairs: pairs), streams: 2)
            let reader = store.scoped(to: people[orgs[0]]![0])
            var changes: [[String: Double]] = []  // per pair: component → second-year mean minus first-year mean
            for pair in pairs {
                let periods = try await reader.pairClimate(
                    pair.organizations[0], pair.organizations[1], period: .month, from: CalendarDate("2022-01-01")!,
                    to: CalendarDate("2024-01-01")!)
                let before = Self.pooled(periods, months: 1...11), after = Self.pooled(periods, months: 13...23)
                changes.append(Dictionary(uniqueKeysWithValues: before.compactMap { name, value in after[name].map { (name, $0 - value) } }))
            }
            let names = ClimateWeights.names.filter { $0 != "survey" }
            func mean(_ group: Int, _ name: String) -> Double {
                let values = changes[(group * perPractice)..<((group + 1) * perPractice)].compactMap { $0[name] }
                return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            }
            // The noise: how far the mean change of `perPractice` pairs strays where nothing changed (twice the
            // standard error of the steady pairs' changes, or their mean change if larger).
            let steady = practices.count
            let noise = Dictionary(
                uniqueKeysWithValues: names.map { name -> (String, Double) in
                    let values = changes[(steady * perPractice)...].compactMap { $0[name] }
                    let mean = values.reduce(0, +) / Double(max(1, values.count))
                    let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, values.count - 1))).squareRoot()
                    return (name, max(abs(mean), 2 * sd / Double(max(1, values.count)).squareRoot()))
                })
            var report = "planted practice | " + names.joined(separator: " | ") + "\n"
            for (group, practice) in practices.enumerated() {
                report += practice.rawValue + " | " + names.map { String(format: "%+.2f", mean(group, $0)) }.joined(separator: " | ") + "\n"
            }
            report += "noise (steady pairs) | " + names.map { String(format: "%.2f", noise[$0] ?? 0) }.joined(separator: " | ")
            print("Climate validity, change of each component from the first year to the second:\n" + report)

            for (group, practice) in practices.enumerated() {
                let own = mean(group, practice.rawValue)
                // Its own component falls, beyond the noise, and further (in units of noise) than any other.
                #expect(own < 0 && -own > (noise[practice.rawValue] ?? 0), "\(practice): own change \(own)")
                func z(_ name: String) -> Double { abs(mean(group, name)) / max(noise[name] ?? 0, 0.01) }
                for other in names where other != practice.rawValue {
                    // Breadth and channel mix move with how much contact each side makes: fewer people turn up in a
                    // month, and what contact is left is more often formal. Those couplings are reported, not denied.
                    if Self.couplings.contains([practice.rawValue, other]) { continue }
                    #expect(z(practice.rawValue) > z(other), "\(practice) moved \(other) more than its own component")
                    #expect(z(other) <= 2, "\(practice) moved \(other) by \(mean(group, other)), noise \(noise[other] ?? 0)")
                }
            }
        }
    }

    /// Pearson's correlation of two equally long series.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +), syy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +)
        return sxy / (sxx * syy).squareRoot()
    }

    /// People answer pulse surveys from the same hidden temperature that drives their behaviour,
    /// with noise of their own: each month's behaviour-based index (the survey left out) against the
    /// survey component of that month (the latest round closed within a year), over pairs that
    /// freeze and thaw, for equal weights and with breadth and channel mix counted half.
    @Test func theBehaviourIndexAgreesWithThePulseSurvey() async throws {
        try await withDatabase(.sqlite) { db in
            let store = ThawStore(database: db.database, clock: ManualClock(Self.start.startOfDay))
            let people = try await SimulatedNetwork.create(in: store, organizations: 16, peopleEach: 3)
            let orgs = people.keys.sorted { $0.raw < $1.raw }
            var plan = SimulationPlan.random(organizations: orgs, partnersEach: 2, start: Self.start, weeks: 156, noise: 0.1, seed: 61)
            plan.surveyEveryWeeks = 13
            plan.surveyNoise = 0.15
            try await Simulator(database: db.database, people: people).run(plan, streams: 2)
            let reader = store.scoped(to: people[orgs[0]]![0])
            let behaviourOnly = { (weights: ClimateWeights) in ClimateWeights(weights: weights.weights.merging(["survey": 0]) { $1 }) }
            // The weights compared: equal (the defaults), and breadth and channel mix counted half.
            let halved = ClimateWeights(weights: ClimateWeights.equal.weights.merging(["breadth": 0.5, "channelMix": 0.5]) { $1 })
            var equal: [Double] = [], halvedIndex: [Double] = [], survey: [Double] = []
            var byComponent: [String: (component: [Double], survey: [Double])] = [:]
            for pair in plan.pairs {
                let periods = try await reader.pairClimate(
                    pair.organizations[0], pair.organizations[1], period: .month, from: CalendarDate("2022-01-01")!,
                    to: CalendarDate("2025-01-01")!)
                for period in periods {
                    guard let rated = period.components.survey, let e = behaviourOnly(.equal).index(period.components),
                        let d = behaviourOnly(halved).index(period.components)
                    else { continue }
                    equal.append(e); halvedIndex.append(d); survey.append(100 * rated)
                    for (name, value) in period.components.present where name != "survey" {
                        byComponent[name, default: ([], [])].component.append(value)
                        byComponent[name, default: ([], [])].survey.append(rated)
                    }
                }
            }
            let rEqual = Self.correlation(equal, survey), rHalved = Self.correlation(halvedIndex, survey)
            print(
                "Climate validity, behaviour index against the pulse survey over \(survey.count) pair-months of \(plan.pairs.count) pairs: "
                    + String(format: "r = %.2f with equal weights (the defaults), %.2f with breadth and channel mix counted half", rEqual, rHalved))
            print(
                "Each component against the survey: "
                    + ClimateWeights.names.compactMap { name in
                        byComponent[name].map {
                            String(format: "\(name) %.2f (n = \($0.component.count))", Self.correlation($0.component, $0.survey))
                        }
                    }.joined(separator: ", "))
            #expect(survey.count > 300)
            // Halving the two components that follow contact volume gains nothing: the defaults stay equal.
            #expect(ClimateWeights.defaults == .equal)
            #expect(rEqual > 0.6 && rHalved < rEqual + 0.02)
        }
    }
}
