/// Small-count suppression, so no figure an evaluator sees singles out a client or a
/// respondent: a count from 1 to `threshold - 1` is hidden (zero is shown: it discloses
/// nobody), and so is every figure derived from so few (a rate, a median, a mean).
public enum SmallCells {
    /// The network's default threshold: counts of 1 to 4 are hidden.
    public static let defaultThreshold = 5

    public static func isHidden(_ count: Int, threshold: Int) -> Bool { count > 0 && count < threshold }

    /// Counts that add up to a total shown beside them. Where exactly one is hidden it could
    /// be worked back from the total, so the smallest other non-zero count is hidden with it.
    public static func hide(_ counts: [Int], threshold: Int) -> [Int?] {
        var shown: [Int?] = counts.map { isHidden($0, threshold: threshold) ? nil : $0 }
        if let partner = complement(shown.map { $0.map(Double.init) }) { shown[partner] = nil }
        return shown
    }

    /// The figure to hide beside the only hidden one of a group (nil: hidden), so the total does not
    /// give it away: the smallest shown non-zero. nil when none or more than one is hidden.
    static func complement(_ figures: [Double?]) -> Int? {
        guard figures.count(where: { $0 == nil }) == 1 else { return nil }
        return figures.indices.compactMap { i in figures[i].flatMap { $0 > 0 ? (i, $0) : nil } }.min { $0.1 < $1.1 }?.0
    }
}
