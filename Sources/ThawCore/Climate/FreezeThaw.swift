/// Freezes and thaws in a climate series: PELT's segments, each after the
/// first labelled by which way its mean moved; and the CUSUM alert for a
/// partnership cooling now.
public enum FreezeThaw {
    public enum Direction: String, Codable, Sendable, CaseIterable { case freeze, thaw }

    public struct Segment: Codable, Sendable, Equatable {
        /// Positions in the series given (the periods with data), end exclusive.
        public var start: Int, end: Int
        /// The segment's mean index.
        public var mean: Double
        /// nil for the first segment, which has nothing before it to compare with.
        public var direction: Direction?
    }

    public struct Analysis: Codable, Sendable, Equatable {
        public var segments: [Segment]
        public var penalty: Double
        public var minSize: Int
    }

    /// Segments of `series` found by PELT on its z-scores (penalty as given, or the default).
    public static func analyse(_ series: [Double], penalty: Double? = nil, minSize: Int = 2) throws -> Analysis {
        let penalty = penalty ?? ChangePoints.defaultPenalty(count: series.count)
        guard !series.isEmpty else { return Analysis(segments: [], penalty: penalty, minSize: minSize) }
        guard penalty > 0, penalty.isFinite else { throw ThawError.invalid("penalty", "positive", "the penalty must be a positive number") }
        // Too short to hold two segments: one segment, no change.
        let ends =
            series.count < 2 * minSize
            ? [series.count]
            : try ChangePoints.pelt(ChangePoints.standardise(series), penalty: penalty, minSize: minSize)
        var segments: [Segment] = [], start = 0
        for end in ends {
            let mean = series[start..<end].reduce(0, +) / Double(end - start)
            let direction = segments.last.map { mean < $0.mean ? Direction.freeze : .thaw }
            segments.append(Segment(start: start, end: end, mean: mean, direction: direction))
            start = end
        }
        return Analysis(segments: segments, penalty: penalty, minSize: minSize)
    }

    /// The most periods before the recent ones that set the usual level.
    public static let baselinePeriods = 12
    /// The least spread, in index points, the cooling alert assumes: smaller moves are not news.
    public static let minimumSpread = 5.0

    /// Whether the last `recent` values fall below the usual level set by the (up to twelve, at
    /// least three) values before them: a CUSUM alert, positions counted in `series`, with that
    /// usual level. Only an alarm within the recent values counts, so an old freeze that has
    /// become the new normal does not keep alarming.
    public static func coolingAlert(_ series: [Double], recent: Int) throws -> (alert: Cusum.Alert, usual: Double)? {
        let recent = min(recent, series.count)
        let baseline = min(baselinePeriods, series.count - recent)
        guard baseline >= 3, recent > 0 else { return nil }
        let offset = series.count - recent - baseline
        guard let alert = try Cusum.cooling(Array(series[offset...]), baseline: baseline, minimumSpread: minimumSpread) else { return nil }
        let usual = series[offset..<(offset + baseline)].reduce(0, +) / Double(baseline)
        return (Cusum.Alert(at: alert.at + offset, startedAt: alert.startedAt + offset), usual)
    }
}
