import ThawCore
import ThawStorage

/// How well the climate's change points find the regime changes a simulation
/// planted: a detected change counts when it falls within one period of a
/// planted one (each planted change matched at most once, nearest first).
public struct RegimeRecovery: Codable, Sendable {
    public var planted: Int
    public var detected: Int
    public var matched: Int
    /// Matched changes whose direction (freeze or thaw) is the planted one.
    public var sameDirection: Int

    public var precision: Double { detected == 0 ? (planted == 0 ? 1 : 0) : Double(matched) / Double(detected) }
    public var recall: Double { planted == 0 ? 1 : Double(matched) / Double(planted) }

    /// Reads every planted pair's monthly history through `reader` (any actor of the
    /// network's partnership side: histories are read as a member of each pair) and scores it.
    public static func measure(
        _ plan: SimulationPlan, store: ThawStore, people: [ID<Organization>: [Actor]],
        penalty: Double? = nil
    ) async throws -> RegimeRecovery {
        var result = RegimeRecovery(planted: 0, detected: 0, matched: 0, sameDirection: 0)
        let (from, to) = scoredRange(plan)
        for pair in plan.pairs {
            guard let member = people[pair.organizations[0]]?.first else { continue }
            let history = try await store.scoped(to: member).pairClimateHistory(
                pair.organizations[0], pair.organizations[1], period: .month,
                from: from, to: to, penalty: penalty)
            let planted = pair.regimes.indices.dropFirst().map { i in
                (
                    month: monthNumber(CalendarDate(plan.start.startOfDay.adding(days: 7 * pair.regimes[i].startWeek))),
                    direction: pair.regimes[i].temperature < pair.regimes[i - 1].temperature ? FreezeThaw.Direction.freeze : .thaw
                )
            }.filter { $0.month > monthNumber(from) }  // a change in the range's first month has no before to differ from
            let detected = history.segments.compactMap { s in s.direction.map { (month: monthNumber(s.start), direction: $0) } }
            result.add(planted: planted, detected: detected)
        }
        return result
    }

    /// The plan's whole time, or its last five years when it is longer: the climate
    /// answers at most five years at a time (from the first of a month, so periods are whole).
    public static func scoredRange(_ plan: SimulationPlan) -> (from: CalendarDate, to: CalendarDate) {
        let to = CalendarDate(plan.start.startOfDay.adding(days: 7 * plan.weeks))
        let earliest = CalendarDate(to.startOfDay.adding(days: -1_800))
        guard plan.start < earliest else { return (plan.start, to) }
        return (CalendarDate(year: earliest.year, month: earliest.month, day: 1)!, to)
    }

    mutating func add(planted: [(month: Int, direction: FreezeThaw.Direction)], detected: [(month: Int, direction: FreezeThaw.Direction)]) {
        self.planted += planted.count
        self.detected += detected.count
        var unused = Array(detected.indices)
        for change in planted {
            guard
                let best = unused.filter({ abs(detected[$0].month - change.month) <= 1 })
                    .min(by: { abs(detected[$0].month - change.month) < abs(detected[$1].month - change.month) })
            else { continue }
            unused.removeAll { $0 == best }
            matched += 1
            if detected[best].direction == change.direction { sameDirection += 1 }
        }
    }

    static func monthNumber(_ day: CalendarDate) -> Int { day.year * 12 + day.month - 1 }
}
