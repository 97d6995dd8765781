import Foundation
import Synchronization
import ThawCore

/// What a climate rebuild did: entries read in all, how many of the last were
/// replayed through the live path, and how long those took.
public struct ClimateRebuildReport: Sendable {
    public var entries: Int
    public var replayed: Int
    public var replayTime: Duration
}

extension ThawStore {
    /// Recomputes every climate aggregate from the ledger, reporting progress as
    /// (entries read, entries in all). One write transaction, so entries written
    /// meanwhile wait (on PostgreSQL, their climate updates wait on a table lock)
    /// and are counted once. Gives exactly what the incremental updates gave (a
    /// test holds the two equal).
    ///
    /// `replayingLast` entries at the end of the ledger go through the live path
    /// instead, one at a time, after the others are folded and written: the
    /// statements a live write runs, against tables of full size, so their time per
    /// entry is the incremental update's cost (the benchmark measures it this way).
    @discardableResult
    public func rebuildClimate(pageSize: Int = 200_000, replayingLast: Int = 0,
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ClimateRebuildReport {
        try await database.write { db in
            try await ClimateRebuild.run(db, pageSize: pageSize, replayingLast: replayingLast, parallelReads: database, progress: progress)
        }
    }

    /// Every stored aggregate row, in a fixed order (for comparing incremental and rebuilt state).
    public func climateSnapshot() async throws -> [String] {
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
    static func run(_ db: any SQLConnection, pageSize: Int = 200_000, replayingLast: Int = 0, parallelReads: (any SQLDatabase)? = nil,
                    progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ClimateRebuildReport {
        if db.dialect == .postgres {
            // Live writes update month rows under row locks; this waits for them and holds them off until the rebuild commits.
            try await db.execute("LOCK TABLE climate_months IN EXCLUSIVE MODE")
        }
        let total = try await db.query("SELECT COUNT(*) AS n FROM activity", []).first?.int("n") ?? 0
        let bounds = try await db.query("SELECT COALESCE(MIN(seq), 1) AS first, COALESCE(MAX(seq), 0) AS last FROM activity", []).first
        let first = bounds?.int64("first") ?? 1, last = bounds?.int64("last") ?? 0
        // Entries from this seq on are replayed rather than folded.
        let replayFrom = replayingLast <= 0 ? last + 1
            : try await db.query("SELECT seq FROM activity ORDER BY seq DESC LIMIT 1 OFFSET ?", min(replayingLast, max(total, 1)) - 1).first?.int64("seq") ?? first
        try await deleteMonthRows(db)
        let done = Atomic<Int>(0)
        let counted: @Sendable (Int) -> Void = { n in progress(done.add(n, ordering: .relaxed).newValue, total) }
        let fold = if let parallelReads, replayFrom - first > Int64(pageSize) {
            try await foldInParallel(parallelReads, seqs: first..<replayFrom, pageSize: pageSize, counted: counted)
        } else {
            try await ClimateRebuild.fold(db, seqs: first..<replayFrom, pageSize: pageSize, counted: counted)
        }
        try await write(fold, to: db)

        let started = ContinuousClock.now
        var replayed = 0, cursor = replayFrom
        while true {
            let rows = try await db.query(page, [.int(cursor), .int(last + 1), .int(Int64(pageSize))])
            for row in rows {
                try await db.addToClimate(kind: row.string("kind"), channel: row.enumValue("channel"),
                                          detail: JSONText.decode(row.optionalString("detail")), actorUser: row.optionalID("actor_user_id"),
                                          actor: row.string("actor_organization_id"), counterpart: row.optionalString("counterpart_organization_id"),
                                          at: row.timestamp("at"))
            }
            guard let seq = rows.last?.int64("seq") else { break }
            cursor = seq + 1; replayed += rows.count
            counted(rows.count)
        }
        if total == 0 { progress(0, 0) }
        return ClimateRebuildReport(entries: done.load(ordering: .relaxed), replayed: replayed, replayTime: ContinuousClock.now - started)
    }

    static let page = "SELECT \(LedgerFold.columns) FROM activity WHERE seq >= ? AND seq < ? ORDER BY seq LIMIT ?"

    /// Folds the entries with seqs in `seqs`, a page at a time.
    static func fold(_ db: any SQLConnection, seqs: Range<Int64>, pageSize: Int, counted: (Int) -> Void) async throws -> LedgerFold {
        var fold = LedgerFold()
        var cursor = seqs.lowerBound
        while cursor < seqs.upperBound {
            var last: Int64?, count = 0
            try await db.scan(page, [.int(cursor), .int(seqs.upperBound), .int(Int64(pageSize))]) { row in
                fold.add(row)
                last = row.int64(0); count += 1
            }
            guard let last else { break }
            cursor = last + 1
            counted(count)
        }
        return fold
    }

    /// Folds `seqs` in one range per core, each through its own read connection, merged in ledger order.
    private static func foldInParallel(_ database: any SQLDatabase, seqs: Range<Int64>, pageSize: Int,
                                       counted: @escaping @Sendable (Int) -> Void) async throws -> LedgerFold {
        let parts = Int64(max(1, ProcessInfo.processInfo.activeProcessorCount))
        let step = ((seqs.upperBound - seqs.lowerBound) + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int64, LedgerFold).self) { group in
            for start in stride(from: seqs.lowerBound, to: seqs.upperBound, by: Int(step)) {
                // Not on the caller's executor (the SQLite writer's one thread), which child tasks would inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    try await database.read { reader in
                        (start, try await fold(reader, seqs: start..<min(start + step, seqs.upperBound), pageSize: pageSize, counted: counted))
                    }
                }
            }
            // Merged in ledger order, so the whole is the same whichever part finishes first.
            var parts: [(Int64, LedgerFold)] = []
            for try await part in group { parts.append(part) }
            parts.sort { $0.0 < $1.0 }
            var whole = parts.removeFirst().1
            for part in parts { whole.merge(part.1) }
            return whole
        }
    }

    /// Empties the month table (its rows are written again at once).
    private static func deleteMonthRows(_ db: any SQLConnection) async throws {
        try await withoutZeroingFreedPages(db) { try await db.execute("DELETE FROM climate_months") }
    }

    /// Runs `body` with SQLite's `secure_delete` at FAST, then as it was. Debian
    /// builds SQLite to zero every freed page (SECURE_DELETE), which writes every
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

    /// The folded months in key order, so the table's B-tree grows at its end. One
    /// row per INSERT: SQLite took twice as long over the same rows in INSERTs of 50
    /// or 500. The next chunk's rows are encoded on another core while one is inserted.
    private static func write(_ fold: LedgerFold, to db: any SQLConnection) async throws {
        let slots = fold.orderedSlots(), names = fold.names, chunk = 20_000
        func encode(_ start: Int) -> Task<[[SQLValue]], Never> {
            Task(executorPreference: globalConcurrentExecutor) { fold.rows(slots[start..<min(start + chunk, slots.count)], names: names) }
        }
        var next = slots.isEmpty ? nil : encode(0)
        var start = 0
        while let pending = next {
            let rows = await pending.value
            start += chunk
            next = start < slots.count ? encode(start) : nil
            for row in rows { try await db.execute(ClimateMonthRows.insert, row) }
        }
    }
}
