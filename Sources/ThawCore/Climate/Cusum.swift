/// A live "cooling" alert: a one-sided CUSUM watching for a fall in a climate
/// series below its baseline. PELT finds change points in hindsight; CUSUM
/// raises its hand as soon as the evidence accumulates.
public enum Cusum {
    public struct Alert: Codable, Sendable, Equatable {
        /// The period at which the alarm went off.
        public var at: Int
        /// Where the fall most likely began (the last time the statistic was zero).
        public var startedAt: Int
    }

    /// - Parameters:
    ///   - series: the climate values, oldest first.
    ///   - baseline: how many leading periods define the normal level and spread.
    ///   - slack: the allowance `k`, in standard deviations, before a fall counts (default 0.5).
    ///   - threshold: the decision interval `h`, in standard deviations (default 4; with k = 0.5 a
    ///     sustained fall of one standard deviation is caught in about 8 periods, and a stable
    ///     series raises a false alarm roughly once in 170 periods).
    ///   - minimumSpread: a floor under the baseline's standard deviation, so a baseline that
    ///     happened to be very even does not turn ordinary wobble into an alarm.
    public static func cooling(
        _ series: [Double], baseline: Int, slack: Double = 0.5, threshold: Double = 4,
        minimumSpread: Double = 0
    ) throws -> Alert? {
        guard baseline >= 2, baseline <= series.count else {
            throw ThawError.invalid("baseline", "range", "the baseline needs at least 2 periods and no more than the series has")
        }
        guard slack >= 0, threshold > 0, slack.isFinite, threshold.isFinite else {
            throw ThawError.invalid("threshold", "positive", "slack must be zero or more and the threshold positive")
        }
        let reference = Array(series.prefix(baseline))
        let mean = reference.reduce(0, +) / Double(baseline)
        let sd = (reference.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(baseline - 1)).squareRoot()
        let scale = max(sd, minimumSpread) > 0 ? max(sd, minimumSpread) : 1
        var statistic = 0.0, lastZero = baseline - 1
        for index in baseline..<series.count {
            statistic = max(0, statistic + (mean - series[index]) / scale - slack)
            if statistic == 0 { lastZero = index }
            if statistic > threshold { return Alert(at: index, startedAt: lastZero + 1) }
        }
        return nil
    }
}
