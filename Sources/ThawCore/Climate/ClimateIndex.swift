#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The components of DESIGN.md's integration climate for one pair and period,
/// each 0…1, nil when the period has no data for it.
public struct ClimateComponents: Codable, Sendable, Equatable {
    public var reciprocity: Double?
    public var responsiveness: Double?
    public var followThrough: Double?
    public var openness: Double?
    public var channelMix: Double?
    public var notice: Double?
    public var continuity: Double?
    public var breadth: Double?
    public var survey: Double?

    public init(
        reciprocity: Double? = nil, responsiveness: Double? = nil, followThrough: Double? = nil, openness: Double? = nil,
        channelMix: Double? = nil, notice: Double? = nil, continuity: Double? = nil, breadth: Double? = nil, survey: Double? = nil
    ) {
        self.reciprocity = reciprocity; self.responsiveness = responsiveness; self.followThrough = followThrough
        self.openness = openness; self.channelMix = channelMix; self.notice = notice; self.continuity = continuity; self.breadth = breadth
        self.survey = survey
    }

    /// People at which breadth reaches one half: breadth = people / (people + 4).
    public static let breadthHalfPoint = 4.0

    /// From the period's counts: `weeksWithContact` of `weeksInPeriod`, `people` distinct people taking part.
    public static func from(_ c: PairCounts, weeksWithContact: Int, weeksInPeriod: Int, people: Int, survey: Double?) -> ClimateComponents {
        var out = ClimateComponents(survey: survey)
        let exchanges = c.loToHi + c.hiToLo
        if exchanges > 0 { out.reciprocity = 1 - Double(abs(c.loToHi - c.hiToLo)) / Double(exchanges) }
        if c.onTime + c.late > 0 { out.responsiveness = Double(c.onTime) / Double(c.onTime + c.late) }
        if c.kept + c.missed > 0 { out.followThrough = Double(c.kept) / Double(c.kept + c.missed) }
        if c.answered > 0 { out.openness = Double(c.adopted) / Double(c.answered) }
        let channelled = c.formal + c.informal
        if channelled > 0 {
            let p = Double(c.formal) / Double(channelled)
            // Normalised entropy of two channels: 1 when formal and informal are even, 0 when only one is used.
            out.channelMix = p == 0 || p == 1 ? 0 : -(p * log2(p) + (1 - p) * log2(1 - p))
        }
        if c.noticed + c.surprised > 0 { out.notice = Double(c.noticed) / Double(c.noticed + c.surprised) }
        if c.interactions > 0 || weeksWithContact > 0 {
            out.continuity = weeksInPeriod > 0 ? Double(weeksWithContact) / Double(weeksInPeriod) : nil
            out.breadth = Double(people) / (Double(people) + breadthHalfPoint)
        }
        return out
    }

    /// The component named `name` (one of `ClimateWeights.names`); nil without data or for another name.
    public func value(named name: String) -> Double? {
        switch name {
        case "reciprocity": return reciprocity
        case "responsiveness": return responsiveness
        case "followThrough": return followThrough
        case "openness": return openness
        case "channelMix": return channelMix
        case "notice": return notice
        case "continuity": return continuity
        case "breadth": return breadth
        case "survey": return survey
        default: return nil
        }
    }

    /// (name, value) for each component that has data, in `ClimateWeights.names` order.
    public var present: [(String, Double)] {
        ClimateWeights.names.compactMap { name in value(named: name).map { (name, $0) } }
    }
}

/// How much each component counts in the index. Shown with every index.
public struct ClimateWeights: Codable, Sendable, Equatable {
    public var weights: [String: Double]
    public static let names = [
        "reciprocity", "responsiveness", "followThrough", "openness", "channelMix", "notice", "continuity", "breadth", "survey"
    ]
    public static let equal = ClimateWeights(weights: Dictionary(uniqueKeysWithValues: names.map { ($0, 1.0) }))
    /// The weights used unless someone chooses others: equal. In the simulator (docs/climate-validity.md)
    /// each component answers to its own practice; breadth and channel mix also move with how much
    /// contact each side makes, but counting them half did not bring the index closer to the pulse
    /// survey (r = 0.63 either way), and in the simulated freeze the cooling-list test plays it kept
    /// the alert from firing.
    public static let defaults = equal

    /// The largest weight one component may have: enough to make any component dominate,
    /// small enough that a weighted sum stays a finite number.
    public static let largest = 1000.0

    public init(weights: [String: Double]) { self.weights = weights }

    /// Parses `reciprocity:2,openness:1,...` (unnamed components weigh nothing); nil gives the defaults.
    public static func parse(_ raw: String?) throws -> ClimateWeights {
        guard let raw else { return .defaults }
        var weights: [String: Double] = [:]
        for part in raw.split(separator: ",") {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let value = Double(pieces[1]) else {
                throw ThawError.invalid("weights", "format", "weights look like reciprocity:2,openness:1")
            }
            weights[String(pieces[0])] = value
        }
        let result = ClimateWeights(weights: weights)
        try result.validate()
        return result
    }

    /// Weights are known component names, none negative, not all zero.
    public func validate() throws {
        var v = Validator()
        let unknown = weights.keys.filter { !Self.names.contains($0) }.sorted()
        v.require(
            unknown.isEmpty, "weights", "unknown", "unknown components: \(unknown.joined(separator: ", ")); use \(Self.names.joined(separator: ", "))"
        )
        v.require(
            weights.values.allSatisfy { $0.isFinite && (0...Self.largest).contains($0) }, "weights", "range",
            "each weight is a number from 0 to \(Int(Self.largest))")
        v.require(weights.values.contains { $0 > 0 }, "weights", "not-all-zero", "at least one weight must be above zero")
        try v.check(unprocessable: false)
    }

    /// The weighted mean of the components with data, 0–100; nil when none has data (or all of those weigh zero).
    public func index(_ components: ClimateComponents) -> Double? {
        var total = 0.0, weight = 0.0
        for (name, value) in components.present {
            let w = weights[name] ?? 0
            total += w * value; weight += w
        }
        return weight > 0 ? 100 * total / weight : nil
    }
}
