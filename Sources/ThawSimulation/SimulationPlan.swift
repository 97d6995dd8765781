#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import ThawCore

/// What the simulator is asked to play out: pairs of organisations, each with
/// a hidden temperature that changes at planted moments (its regimes), over a
/// number of weeks. Warm pairs talk often, both ways, formally and
/// informally, answer in time, keep their commitments and take up each
/// other's feedback; cold pairs do less of all of it.
public struct SimulationPlan: Codable, Sendable {
    public struct Regime: Codable, Sendable, Equatable {
        /// The week (from the plan's start) the regime begins in.
        public var startWeek: Int
        /// 0 (frozen) … 1 (warm).
        public var temperature: Double
        public init(startWeek: Int, temperature: Double) { self.startWeek = startWeek; self.temperature = temperature }
    }
    public struct Pair: Codable, Sendable {
        public var organizations: [ID<Organization>]
        public var regimes: [Regime]
        public init(organizations: [ID<Organization>], regimes: [Regime]) { self.organizations = organizations; self.regimes = regimes }

        public func temperature(week: Int) -> Double { regimes.last { $0.startWeek <= week }?.temperature ?? regimes[0].temperature }
        /// The weeks at which the temperature changes: the planted freezes and thaws.
        public var changeWeeks: [Int] { regimes.dropFirst().map(\.startWeek) }
    }

    public var seed: UInt64
    /// A Monday.
    public var start: CalendarDate
    public var weeks: Int
    /// The standard deviation of week-to-week noise around the planted temperature.
    public var noise: Double
    public var pairs: [Pair]

    public init(seed: UInt64, start: CalendarDate, weeks: Int, noise: Double, pairs: [Pair]) {
        self.seed = seed; self.start = start; self.weeks = weeks; self.noise = noise; self.pairs = pairs
    }

    /// Warm and cold levels the random plans alternate between.
    public static let warm = 0.85, cold = 0.2

    /// A random plan: every organisation tied to about `partnersEach` others, each pair
    /// alternating between warm and cold regimes of 6 to 15 months (so a change is
    /// never closer than half a year to the next, or to either end).
    public static func random(
        organizations: [ID<Organization>], partnersEach: Int, start: CalendarDate, weeks: Int,
        noise: Double, seed: UInt64
    ) -> SimulationPlan {
        var rng = SplitMix64(seed: seed)
        var pairs: [Pair] = [], seen: Set<String> = []
        let n = organizations.count
        guard n >= 2 else { return SimulationPlan(seed: seed, start: start, weeks: weeks, noise: noise, pairs: []) }
        for (i, org) in organizations.enumerated() {
            for _ in 0..<max(1, partnersEach / 2) {
                let j = (i + 1 + Int(rng.next() % UInt64(n - 1))) % n
                let (a, b) = org.raw < organizations[j].raw ? (org, organizations[j]) : (organizations[j], org)
                guard seen.insert(a.raw + "|" + b.raw).inserted else { continue }
                var regimes = [Regime(startWeek: 0, temperature: rng.unit() < 0.5 ? warm : cold)]
                var week = 26 + Int(rng.next() % 40)
                while week <= weeks - 26 {
                    regimes.append(Regime(startWeek: week, temperature: regimes.last!.temperature == warm ? cold : warm))
                    week += 26 + Int(rng.next() % 40)
                }
                pairs.append(Pair(organizations: [a, b], regimes: regimes))
            }
        }
        return SimulationPlan(seed: seed, start: start, weeks: weeks, noise: noise, pairs: pairs)
    }
}

/// A small, fast, seedable generator (SplitMix64), so a plan and its run repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    public mutating func chance(_ p: Double) -> Bool { unit() < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    public mutating func between(_ low: Int, _ high: Int) -> Int { low + Int(next() % UInt64(high - low + 1)) }
}
