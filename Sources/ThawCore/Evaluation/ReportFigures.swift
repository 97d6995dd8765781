/// How one figure of the report becomes a cell: hidden where too few are behind it.
struct ReportFigures {
    let threshold: Int

    func count(_ n: Int) -> ReportTable.Cell { SmallCells.isHidden(n, threshold: threshold) ? .hidden : .number(Double(n)) }

    /// A share; hidden when its numerator is, or when its denominator is under the threshold.
    func rate(_ part: Int, of whole: Int) -> ReportTable.Cell {
        guard whole > 0 else { return .none }
        guard whole >= threshold, !SmallCells.isHidden(part, threshold: threshold) else { return .hidden }
        return .number(Double(part) / Double(whole))
    }

    /// The `p`th percentile (nearest rank) of durations, hidden when fewer than the threshold were measured.
    func percentile(_ values: [Double], _ p: Double) -> ReportTable.Cell {
        guard !values.isEmpty else { return .none }
        guard values.count >= threshold else { return .hidden }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return .number(sorted[min(max(rank, 1), sorted.count) - 1])
    }

    /// Median and 90th percentile, side by side.
    func spread(_ values: [Double]) -> [ReportTable.Cell] { [percentile(values, 0.5), percentile(values, 0.9)] }

    /// A mean score, shown only when at least `minimum` (and the threshold) answered.
    func mean(_ scores: [Int], respondents: Int, minimum: Int) -> ReportTable.Cell {
        guard respondents > 0, !scores.isEmpty else { return .none }
        guard respondents >= max(minimum, threshold) else { return .hidden }
        return .number(Double(scores.reduce(0, +)) / Double(scores.count))
    }

    static func hours(_ from: Timestamp, _ to: Timestamp?) -> Double? { to.map { Double($0.millis - from.millis) / 3_600_000 } }
    static func days(_ from: Timestamp, _ to: Timestamp?) -> Double? { to.map { Double($0.millis - from.millis) / 86_400_000 } }
}

extension ReportTable {
    /// Complementary suppression. Breakdown tables open with a row of totals: where one cell
    /// of a count column is hidden, the smallest other non-zero cell of that column is hidden
    /// too, and likewise within each group of columns that add up to another (`partitions`),
    /// so nothing hidden can be worked back by subtraction. Rates computed from a hidden
    /// count (`derived`: rate column → its count column) are hidden with it.
    mutating func hideComplements(totalRow: Bool, partitions: [[Int]] = [], derived: [Int: Int] = [:]) {
        let body = totalRow ? Array(rows.indices.dropFirst()) : Array(rows.indices)
        var changed = true
        while changed {
            changed = false
            for column in columns.indices where columns[column].kind == .count && totalRow {
                changed = hideOneMore(in: body.map { ($0, column) }) || changed
            }
            for row in rows.indices { for group in partitions { changed = hideOneMore(in: group.map { (row, $0) }) || changed } }
        }
        for row in rows.indices { for (rate, count) in derived where rows[row][count].isHidden { rows[row][rate] = .hidden } }
    }

    /// If exactly one of `cells` is hidden, hides the smallest shown non-zero one; true if it did.
    private mutating func hideOneMore(in cells: [(Int, Int)]) -> Bool {
        let figures = cells.map { rows[$0.0][$0.1].isHidden ? nil : (rows[$0.0][$0.1].value ?? 0) }
        guard let partner = SmallCells.complement(figures) else { return false }
        rows[cells[partner].0][cells[partner].1] = .hidden
        return true
    }
}
