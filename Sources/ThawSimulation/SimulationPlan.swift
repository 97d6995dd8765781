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
    /// The practices the simulator plays, each driven by its own level (the regime's temperature
    /// unless a regime plants a different level for it): so a change planted in one practice
    /// can be told apart from a change in the whole relationship.
    public enum Practice: String, Codable, Sendable, CaseIterable {
        /// Who reaches out, and whether the other side replies.
        case reciprocity
        /// Whether acknowledgements and answers come in time.
        case responsiveness
        /// Whether commitments are kept.
        case followThrough
        /// Whether consultation feedback is taken up.
        case openness
        /// How much of the contact is informal rather than in the committee.
        case channelMix
        /// Whether policy moves are announced with notice.
        case notice
        /// How many weeks see any contact.
        case continuity
        /// How many people of each side take part.
        case breadth
    }

    public struct Regime: Codable, Sendable, Equatable {
        /// The week (from the plan's start) the regime begins in.
        public var startWeek: Int
        /// 0 (frozen) … 1 (warm).
        public var temperature: Double
        /// Levels planted for single practices in this regime; the others follow `temperature`.
        public var practices: [Practice: Double]
        public init(startWeek: Int, temperature: Double, practices: [Practice: Double] = [:]) {
            self.startWeek = startWeek; self.temperature = temperature; self.practices = practices
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            startWeek = try c.decode(Int.self, forKey: .startWeek)
            temperature = try c.decode(Double.self, forKey: .temperature)
            practices = try c.decodeIfPresent([Practice: Double].self, forKey: .practices) ?? [:]
        }
    }
    public struct Pair: Codable, Sendable {
        public var organizations: [ID<Organization>]
        public var regimes: [Regime]
        public init(organizations: [ID<Organization>], regimes: [Regime]) { self.organizations = organizations; self.regimes = regimes }

        public func regime(week: Int) -> Regime { regimes.last { $0.startWeek <= week } ?? regimes[0] }
        public func temperature(week: Int) -> Double { regime(week: week).temperature }
        /// The level of one practice in week `week`.
        public func level(_ practice: Practice, week: Int) -> Double {
            let regime = regime(week: week)
            return regime.practices[practice] ?? regime.temperature
        }
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
    /// Every this many weeks each pair runs a pulse-survey round, and everyone of both sides rates the
    /// other from the pair's hidden temperature plus `surveyNoise` (no rounds when nil).
    public var surveyEveryWeeks: Int?
    /// The standard deviation of a respondent's own noise around the hidden temperature (default 0.15).
    public var surveyNoise: Double?

    public init(
        seed: UInt64, start: CalendarDate, weeks: Int, noise: Double, pairs: [Pair], surveyEveryWeeks: Int? = nil,
        surveyNoise: Double? = nil
    ) {
        self.seed = seed; self.start = start; self.weeks = weeks; self.noise = noise; self.pairs = pairs
        self.surveyEveryWeeks = surveyEveryWeeks; self.surveyNoise = surveyNoise
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
