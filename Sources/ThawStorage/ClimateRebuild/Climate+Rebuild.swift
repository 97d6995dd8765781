import Foundation
import Synchronization
import ThawClimateFold
import ThawCore

/// What a climate rebuild did: entries read in all, what it found and changed
/// among the stored month rows, and how long each step took.
public struct ClimateRebuildReport: Sendable {
    public var entries: Int
    public var rows: ClimateRowChanges
    /// How long each step took, in order (finding the ledger's ends, reading, summing, comparing, writing).
    public var phases: [(name: String, time: Duration)]
}

/// Times the steps of a long job one after another.
struct PhaseTimer {
    private(set) var phases: [(name: String, time: Duration)] = []
    private var started = ContinuousClock.now

    /// Ends the step under way, named `name`, and starts the next.
    mutating func end(_ name: String) {
        let now = ContinuousClock.now
        phases.append((name, now - started))
        started = now
    }
}

extension ThawStore {
    /// Recomputes every climate aggregate from the ledger, reporting progress as
    /// (entries read, entries in all), and writes the stored rows that differ from
    /// what it computed (none, when the live path kept them right). One write transaction, so entries written
    /// meanwhile wait (on PostgreSQL, their climate updates wait on a table lock)
    /// and are counted once. Gives exactly what the incremental updates gave (a
    /// test holds the two equal).
    ///
    /// Its fold (`LedgerScan`, `LedgerFold`) is built for speed: a dictionary of
    /// pair-months fed through the live path's rule took 20 times DuckDB's time on
    /// the same ten million entries, the fold about as long as DuckDB (BENCHMARKS.md).
    @discardableResult
    public func rebuildClimate(
        pageSize: Int = 200_000,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ClimateRebuildReport {
        try await database.write { db in
            // Entries still to fold are folded first, so that the report says whether the stored rows
            // were right, not merely behind; on PostgreSQL no new entry is marked meanwhile.
            if db.dialect == .postgres { try await db.execute("LOCK TABLE climate_pending IN EXCLUSIVE MODE") }
            while try await Self.foldClimateBatch(db, limit: 5_000) > 0 {}
            let report = try await ClimateRebuild.run(db, pageSize: pageSize, parallelReads: database, progress: progress)
            // Results computed from rows it changed are no longer what computing them again gives.
            if !report.rows.unchanged { try await ClimateResultCache.forgetAll(db) }
            return report
        }
    }

    /// Every stored aggregate row, in a fixed order (for comparing incremental and rebuilt state).
    public func climateSnapshot() async throws -> [String] {
        try await foldPendingClimate()
        return try await storedClimateRows()
    }

    /// The stored aggregate rows as they are, nothing folded first.
    func storedClimateRows() async throws -> [String] {
        try await database.read { db in
            try await db.query("SELECT * FROM climate_months ORDER BY org_lo, org_hi, month", []).map { row in
                (["org_lo", "org_hi", "month"] + ClimateMonthRows.valueColumns).map { row.string($0) }.joined(separator: "|")
            }
        }
    }
}

enum ClimateRebuild {
    /// `parallelReads`: a database to read the ledger from in several ranges at once,
    /// one per core (its read connections see what `db` sees: nothing else can commit
    /// entries on SQLite while `db` holds the writer, and on PostgreSQL entries
    /// committed meanwhile wait for the table lock before touching the months).
    /// Without it the ledger is read through `db` alone (a migration).
    @discardableResult
    static func run(
        _ db: any SQLConnection, pageSize: Int = 200_000, parallelReads: (any SQLDatabase)? = nil,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ClimateRebuildReport {
        var timer = PhaseTimer()
        if db.dialect == .postgres {
            // Live writes update month rows under row locks; this waits for them and holds them off until the rebuild commits.
            try await db.execute("LOCK TABLE climate_months IN EXCLUSIVE MODE")
        }
        // Two queries: SQLite reads MIN or MAX of the key from one end of the B-tree, but scans the table for both in one.
        let first = try await db.query("SELECT seq FROM activity ORDER BY seq LIMIT 1", []).first?.int64("seq") ?? 1
        let last = try await db.query("SELECT seq FROM activity ORDER BY seq DESC LIMIT 1", []).first?.int64("seq") ?? 0
        // The progress bar's whole: the span of seqs, not a COUNT(*) (seconds of reading an index at ten
        // million entries). Exact on SQLite, whose append-only ledger leaves no gaps; on PostgreSQL a
        // sequence can skip numbers, so the bar ends with the count actually read.
        let total = Int(last - first + 1)
        timer.end("bounds")
        let done = Atomic<Int>(0)
        let counted: @Sendable (Int) -> Void = { n in progress(done.add(n, ordering: .relaxed).newValue, total) }
        let scans =
            if let parallelReads, last + 1 - first > Int64(pageSize) {
                try await scanInParallel(parallelReads, seqs: first..<(last + 1), pageSize: pageSize, counted: counted)
            } else {
                [try await scan(db, seqs: first..<(last + 1), pageSize: pageSize, counted: counted)]
            }
        timer.end("reading")
        let fold = await LedgerFold.build(consume scans)
        timer.end("summing")
        let rows = try await reconcile(fold, into: db, parallelReads: parallelReads, timer: &timer)

        let entries = done.load(ordering: .relaxed)
        progress(entries, entries)
        return ClimateRebuildReport(entries: entries, rows: rows, phases: timer.phases)
    }

    /// The entries of a span of seqs, for a scan (which needs neither their seqs nor their order).
    static let span = "SELECT \(LedgerScan.columns) FROM activity WHERE seq >= ? AND seq < ?"

    /// Reads the entries with seqs in `seqs`, `pageSize` seqs at a time.
    static func scan(_ db: any SQLConnection, seqs: Range<Int64>, pageSize: Int, counted: (Int) -> Void) async throws -> LedgerScan {
        // At most one record per entry (seqs on SQLite have no gaps; on PostgreSQL a sequence may skip, hence the cap).
        var scan = LedgerScan(expecting: Int(min(seqs.upperBound - seqs.lowerBound, 1 << 24)))
        for start in stride(from: seqs.lowerBound, to: seqs.upperBound, by: max(pageSize, 1)) {
            var count = 0
            let binds: [SQLValue] = [.int(start), .int(min(start + Int64(pageSize), seqs.upperBound))]
            if let sqlite = db as? SQLiteConnection {
                // Rows of SQLite's own type, so `add` runs as compiled for it (no protocol calls per column).
                try sqlite.handle.scan(span, binds) { row in
                    scan.add(row: row)
                    count += 1
                }
            } else {
                try await db.scan(span, binds) { row in
                    scan.add(row: row)
                    count += 1
                }
            }
            counted(count)
        }
        return scan
    }

    /// Reads `seqs` in one range per core, each through its own read connection: the scans in ledger order.
    private static func scanInParallel(
        _ database: any SQLDatabase, seqs: Range<Int64>, pageSize: Int,
        counted: @escaping @Sendable (Int) -> Void
    ) async throws -> [LedgerScan] {
        let parts = Int64(max(1, ProcessInfo.processInfo.activeProcessorCount))
        let step = ((seqs.upperBound - seqs.lowerBound) + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int64, LedgerScan).self) { group in
            for start in stride(from: seqs.lowerBound, to: seqs.upperBound, by: Int(step)) {
                // Not on the caller's executor (the SQLite writer's one thread), which child tasks would inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    try await database.read { reader in
                        (start, try await scan(reader, seqs: start..<min(start + step, seqs.upperBound), pageSize: pageSize, counted: counted))
                    }
                }
            }
            var parts: [(Int64, LedgerScan)] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Runs `body` with SQLite's `secure_delete` at FAST, then as it was. Our SQLite
    /// (sqlite-nio's, like Debian's) is built to zero every freed page (SECURE_DELETE), which writes every
    /// page of a dropped or emptied table out once more, and a transaction holding
    /// millions of such pages makes each later statement in it slower. For the
    /// climate's aggregates (counts and staff ids, not a client's record), rewritten
    /// or dropped as a whole, that is not worth it.
    static func withoutZeroingFreedPages(_ db: any SQLConnection, _ body: () async throws -> Void) async throws {
        guard db.dialect == .sqlite else { return try await body() }
        let before = try await db.query("PRAGMA secure_delete", []).first?.values.first ?? .int(1)
        let restore = "PRAGMA secure_delete = \(before == .int(0) ? "OFF" : before == .int(2) ? "FAST" : "ON")"
        try await db.execute("PRAGMA secure_delete = FAST")
        do { try await body() } catch {
            _ = try? await db.execute(restore)
            throw error
        }
        try await db.execute(restore)
    }
}
