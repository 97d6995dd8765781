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
            try await ClimateRebuild.run(db, pageSize: pageSize, replayingLast: replayingLast, progress: progress)
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
    @discardableResult
    static func run(_ db: any SQLConnection, pageSize: Int = 200_000, replayingLast: Int = 0,
                    progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ClimateRebuildReport {
        if db.dialect == .postgres {
            // Live writes update month rows under row locks; this waits for them and holds them off until the rebuild commits.
            try await db.execute("LOCK TABLE climate_months IN EXCLUSIVE MODE")
        }
        let total = try await db.query("SELECT COUNT(*) AS n FROM activity", []).first?.int("n") ?? 0
        // Entries from this seq on are replayed rather than folded.
        let replayFrom = replayingLast <= 0 ? Int64.max
            : try await db.query("SELECT seq FROM activity ORDER BY seq DESC LIMIT 1 OFFSET ?", min(replayingLast, max(total, 1)) - 1).first?.int64("seq") ?? 0
        try await deleteMonthRows(db)
        let page = "SELECT \(LedgerFold.columns) FROM activity WHERE seq > ? AND seq < ? ORDER BY seq LIMIT ?"
        var fold = LedgerFold()
        var cursor: Int64 = 0, done = 0
        while true {
            var last: Int64?, count = 0
            try await db.scan(page, [.int(cursor), .int(replayFrom), .int(Int64(pageSize))]) { row in
                fold.add(row)
                last = row.int64(0); count += 1
            }
            guard let last else { break }
            cursor = last; done += count
            progress(done, total)
        }
        try await write(fold, to: db)

        let started = ContinuousClock.now
        var replayed = 0
        cursor = max(cursor, replayFrom - 1)
        while replayFrom < Int64.max {
            let rows = try await db.query(page, [.int(cursor), .int(Int64.max), .int(Int64(pageSize))])
            for row in rows {
                try await db.addToClimate(kind: row.string("kind"), channel: row.enumValue("channel"),
                                          detail: JSONText.decode(row.optionalString("detail")), actorUser: row.optionalID("actor_user_id"),
                                          actor: row.string("actor_organization_id"), counterpart: row.optionalString("counterpart_organization_id"),
                                          at: row.timestamp("at"))
            }
            guard let last = rows.last?.int64("seq") else { break }
            cursor = last; replayed += rows.count
            progress(done + replayed, total)
        }
        if total == 0 { progress(0, 0) }
        return ClimateRebuildReport(entries: done + replayed, replayed: replayed, replayTime: ContinuousClock.now - started)
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
    /// row per INSERT: SQLite took twice as long over the same rows in INSERTs of 50 or 500.
    private static func write(_ fold: LedgerFold, to db: any SQLConnection) async throws {
        for (key, month) in fold.rows() {
            try await db.execute(ClimateMonthRows.insert, key.binds + ClimateMonthRows.values(month, of: key.month))
        }
    }
}
