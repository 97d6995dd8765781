import Foundation
import ThawClimateFold
import ThawCore

/// What a climate rebuild found when it set the months folded from the ledger
/// beside the stored rows.
public struct ClimateRowChanges: Sendable, Equatable {
    /// Month rows the ledger gives.
    public var rows = 0
    /// Stored rows that held other values, and rows that were not stored: both written.
    public var rewritten = 0, added = 0
    /// Stored rows for a pair and month without a ledger entry: deleted.
    public var removed = 0

    public init(rows: Int = 0, rewritten: Int = 0, added: Int = 0, removed: Int = 0) {
        self.rows = rows; self.rewritten = rewritten; self.added = added; self.removed = removed
    }

    /// Whether the stored rows already held exactly what the ledger gives.
    public var unchanged: Bool { rewritten == 0 && added == 0 && removed == 0 }
}

extension ClimateRebuild {
    /// Brings the stored month rows to what `fold` holds, writing only where they
    /// differ: each stored row is compared with its folded month (in one range of
    /// pairs per core, through `parallelReads` when given), then rows the ledger
    /// does not give are deleted, and rows that differ or are missing are written in
    /// key order. Over rows the live path kept right (the usual case: a rebuild run to
    /// check them) nothing is written; into an empty table, every row is.
    static func reconcile(
        _ fold: LedgerFold, into db: any SQLConnection, parallelReads: (any SQLDatabase)?,
        timer: inout PhaseTimer
    ) async throws -> ClimateRowChanges {
        let names = fold.names
        let comparisons = try await compareInRanges(fold, names: names, db: db, parallelReads: parallelReads)

        // Every folded month is written unless its stored row already holds it.
        var upToDate = [Bool](repeating: false, count: fold.count)
        var changes = ClimateRowChanges(rows: fold.count)
        for comparison in comparisons {
            for slot in comparison.equal { upToDate[slot] = true }
            changes.rewritten += comparison.differing.count
            changes.removed += comparison.extra.count
        }
        changes.added = fold.count - comparisons.reduce(0) { $0 + $1.equal.count + $1.differing.count }
        timer.end("comparing")
        try await withoutZeroingFreedPages(db) {
            for comparison in comparisons {
                for key in comparison.extra { try await db.execute(ClimateMonthRows.delete, key) }
            }
            // The fold's slots are numbered in key order.
            try await write(fold, slots: (0..<fold.count).filter { !upToDate[$0] }, names: names, to: db)
        }
        timer.end("writing")
        return changes
    }

    /// The stored rows of one range of `org_lo`, set beside the fold.
    private struct Comparison: Sendable {
        var equal: [Int] = [], differing: [Int] = []
        /// Keys (as bound) of stored rows the fold does not have.
        var extra: [[SQLValue]] = []
    }

    /// Compares the stored rows with the fold, in one range of `org_lo` per core
    /// when there are read connections to spare (split where the folded months
    /// are; the ranges cover every id, so also those only stored rows have).
    private static func compareInRanges(
        _ fold: LedgerFold, names: LedgerFold.Names, db: any SQLConnection,
        parallelReads: (any SQLDatabase)?
    ) async throws -> [Comparison] {
        guard let parallelReads, fold.count > 1 else { return [try await compare(fold, names: names, from: nil, to: nil, on: db)] }
        let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let splits = (1..<parts).map { fold.key(fold.count * $0 / parts, names: names).lo }
        let bounds = [nil] + splits + [nil]
        return try await withThrowingTaskGroup(of: Comparison.self) { group in
            for (from, to) in zip(bounds, bounds.dropFirst()) {
                // Not on the caller's executor (the SQLite writer's one thread), which child tasks would inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    try await parallelReads.read { reader in try await compare(fold, names: names, from: from, to: to, on: reader) }
                }
            }
            var out: [Comparison] = []
            for try await comparison in group { out.append(comparison) }
            return out
        }
    }

    /// Compares the stored rows with `org_lo` in `from..<to` (either end open when nil) with the fold.
    private static func compare(_ fold: LedgerFold, names: LedgerFold.Names, from: String?, to: String?, on db: any SQLConnection) async throws
        -> Comparison
    {
        let bounds = [from.map { ("org_lo >= ?", $0) }, to.map { ("org_lo < ?", $0) }].compactMap { $0 }
        let sql =
            "SELECT org_lo, org_hi, month, \(ClimateMonthRows.valueColumns.joined(separator: ", ")) FROM climate_months"
            + (bounds.isEmpty ? "" : " WHERE " + bounds.map(\.0).joined(separator: " AND "))
        var out = Comparison(), encoded = EncodedMonth(), finder = LedgerFold.SlotFinder()
        try await db.scan(sql, bounds.map { .text($0.1) }) { row in
            let slot = row.withText(0) { lo in
                row.withText(1) { hi in
                    row.withText(2) { month in
                        lo.flatMap { lo in hi.flatMap { hi in month.flatMap { finder.slot(in: fold, lo: lo, hi: hi, month: $0) } } }
                    }
                }
            }
            if let slot {
                fold.encode(slot, names: names, into: &encoded)
                if encoded.isHeld(by: row, from: 3) { out.equal.append(slot) } else { out.differing.append(slot) }
            } else {
                out.extra.append((0..<3).map { column in row.withText(column) { $0.map { .text(String(decoding: $0, as: UTF8.self)) } ?? .null } })
            }
        }
        return out
    }

    /// The months in `slots` (in key order, so the table's B-tree grows at its end
    /// when it starts empty), one row per statement: SQLite took twice as long over
    /// the same rows in INSERTs of 50 or 500. The next chunk's rows are encoded on
    /// another core while one is written.
    private static func write(_ fold: LedgerFold, slots: [Int], names: LedgerFold.Names, to db: any SQLConnection) async throws {
        let chunk = 20_000
        func encode(_ start: Int) -> Task<[[SQLValue]], Never> {
            Task(executorPreference: globalConcurrentExecutor) { fold.rows(slots[start..<min(start + chunk, slots.count)], names: names) }
        }
        var next = slots.isEmpty ? nil : encode(0)
        var start = 0
        while let pending = next {
            let rows = await pending.value
            start += chunk
            next = start < slots.count ? encode(start) : nil
            for row in rows { try await db.execute(ClimateMonthRows.upsert, row) }
        }
    }
}
