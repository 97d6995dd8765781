#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Freezes and thaws are change points in a climate series. PELT (Killick,
/// Fearnhead & Eckley 2012) finds the exact optimal segmentation under an l2
/// cost (the sum of squared deviations from each segment's mean) plus a
/// penalty per segment, pruning candidates that can no longer win.
///
/// This follows the same search as `ruptures.Pelt(model="l2", jump=1,
/// min_size=m)` — candidates in increasing order, the first optimum on ties,
/// and the same pruning rule — so both give the same breakpoints; the
/// end-to-end tests check that on many random series.
public enum ChangePoints {
    /// The default penalty on a standardised series: max(4, 1.25·ln n). Like BIC it
    /// grows with the length of the series, but with a smaller coefficient than BIC's
    /// 2·ln n, because on a standardised series the level shifts themselves take up
    /// much of the unit variance, so the noise is well below 1. Chosen with the
    /// simulator (README, "Freeze and thaw"): on three years of monthly indexes with
    /// planted regimes, penalties of 4–5 gave the best precision and recall, and the
    /// old 2·ln n (7.2 for 36 months) missed a third of the planted changes.
    public static func defaultPenalty(count: Int) -> Double { max(4, 1.25 * log(Double(max(count, 2)))) }

    /// z-scores with the population standard deviation, summed as numpy sums
    /// (`(x - x.mean()) / x.std()`); a flat series stays zero.
    public static func standardise(_ series: [Double]) -> [Double] {
        guard !series.isEmpty else { return [] }
        let n = Double(series.count)
        let mean = pairwiseSum(series[...]) / n
        let sd = (pairwiseSum(series.map { ($0 - mean) * ($0 - mean) }[...]) / n).squareRoot()
        return series.map { sd > 0 ? ($0 - mean) / sd : 0 }
    }

    /// Breakpoints as segment ends (exclusive), the last being `series.count`.
    public static func pelt(_ series: [Double], penalty: Double, minSize: Int = 2) throws -> [Int] {
        guard penalty > 0, penalty.isFinite else {
            throw ThawError.invalid("penalty", "positive", "the penalty must be a positive number")
        }
        guard minSize >= 1 else { throw ThawError.invalid("minSize", "positive", "the minimum segment length must be at least 1") }
        let n = series.count
        guard n > 0 else { return [] }
        guard n >= minSize else {
            throw ThawError.invalid("minSize", "longer-than-series", "the series has \(n) periods, fewer than the minimum segment of \(minSize)")
        }
        // The cost is computed as numpy computes `x.var() * len(x)` (pairwise
        // summation, mean first), so near-ties break the same way as in ruptures.
        func cost(_ start: Int, _ end: Int) -> Double {
            let length = Double(end - start)
            let mean = pairwiseSum(series[start..<end]) / length
            let squares = series[start..<end].map { ($0 - mean) * ($0 - mean) }
            return (pairwiseSum(squares[...]) / length) * length
        }
        // best[t]: total cost of the optimal partition of [0, t); last[t]: where its last segment starts.
        var best = [Int: Double](), last = [Int: Int]()
        best[0] = 0
        var admissible: [Int] = []
        var ends = Array(stride(from: minSize, to: n, by: 1))
        ends.append(n)
        for end in ends {
            admissible.append(end - minSize)
            var candidates: [(start: Int, total: Double)] = []
            for start in admissible {
                guard let left = best[start] else { continue }
                candidates.append((start, left + (cost(start, end) + penalty)))
            }
            guard var winner = candidates.first else { continue }
            for candidate in candidates.dropFirst() where candidate.total < winner.total { winner = candidate }
            best[end] = winner.total
            last[end] = winner.start
            // Prune starts that cannot beat the optimum by more than one penalty.
            let bound = winner.total + penalty
            admissible = candidates.filter { $0.total <= bound }.map(\.start)
        }
        var breakpoints: [Int] = []
        var end = n
        while end > 0, let start = last[end] {
            breakpoints.append(end)
            end = start
        }
        return breakpoints.reversed()
    }

    /// numpy's pairwise summation (`np.add.reduce` on float64): blocks of up to
    /// 128 summed in eight interleaved lanes, larger runs split in two.
    static func pairwiseSum(_ values: ArraySlice<Double>) -> Double {
        let n = values.count, base = values.startIndex
        if n < 8 {
            var sum = 0.0
            for value in values { sum += value }
            return sum
        }
        if n <= 128 {
            var lanes = Array(values[base..<base + 8])
            var i = 8
            while i < n - n % 8 {
                for lane in 0..<8 { lanes[lane] += values[base + i + lane] }
                i += 8
            }
            var sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            while i < n { sum += values[base + i]; i += 1 }
            return sum
        }
        var half = n / 2
        half -= half % 8
        return pairwiseSum(values[base..<base + half]) + pairwiseSum(values[(base + half)...])
    }
}
