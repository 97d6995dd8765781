import ThawCore

/// What a climate rebuild did: the ledger entries it read, and what it found
/// and changed among the stored month rows.
public struct ClimateRebuildReport: Sendable {
    public var entries: Int
    public var rows: ClimateRowChanges
}

/// What a climate rebuild found when it set the months computed from the ledger
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

extension ThawStore {
    /// Recomputes every climate aggregate from the ledger, reporting progress as
    /// (entries read, entries in all), and writes the stored rows that differ from
    /// what it computed: none, when the live path kept them right. Each entry goes
    /// through the live path's rule (`ClimateLedger.contribution`), so the two agree
    /// (a test holds them equal). One write transaction: entries written meanwhile
    /// wait (on PostgreSQL, their climate updates wait on a table lock) and are
    /// counted once.
    @discardableResult
    public func rebuildClimate(
        pageSize: Int = 100_000,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> ClimateRebuildReport {
        try await database.write { db in try await ClimateRebuild.run(db, pageSize: pageSize, progress: progress) }
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
    typealias Months = [ClimateMonthRows.Key: PairMonth]

    @discardableResult
    static func run(
        _ db: any SQLConnection, pageSize: Int = 100_000,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> ClimateRebuildReport {
        if db.dialect == .postgres {
            // Live writes update month rows under row locks; this waits for them and holds them off until the rebuild commits.
            try await db.execute("LOCK TABLE climate_months IN EXCLUSIVE MODE")
        }
        // The ledger's ends, each read from one end of its key (one query for both would scan the table on SQLite).
        let first = try await db.first("SELECT seq FROM activity ORDER BY seq LIMIT 1")?.int64("seq") ?? 1
        let last = try await db.first("SELECT seq FROM activity ORDER BY seq DESC LIMIT 1")?.int64("seq") ?? 0
        // The progress bar's whole is the span of seqs rather than a COUNT(*), which reads a whole index.
        // Exact on SQLite, whose append-only ledger has no gaps; a PostgreSQL sequence may skip numbers.
        let total = Int(max(last - first + 1, 0))
        var months: Months = [:]
        var entries = 0
        for start in stride(from: first, through: last, by: max(pageSize, 1)) {
            let end = min(start + Int64(pageSize), last + 1)
            try await db.scan(entriesBetween, [.int(start), .int(end)]) { row in
                entries += 1
                add(row, to: &months)
            }
            progress(entries, total)
        }
        progress(entries, entries)
        return ClimateRebuildReport(entries: entries, rows: try await reconcile(months, into: db))
    }

    static let entriesBetween = """
        SELECT at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail
        FROM activity WHERE seq >= ? AND seq < ?
        """

    /// Adds one ledger entry (a row of `entriesBetween`) to its pair's month, if it counts.
    private static func add(_ row: some SQLScanRow, to months: inout Months) {
        // Most entries are inside one organisation: those are passed over before reading the rest.
        guard let actor = row.text(2), let counterpart = row.text(3), counterpart != actor,
            let kind = row.text(4), let channel = row.text(5).flatMap(Channel.init(rawValue:)),
            let at = row.int64(0)
        else { return }
        guard
            let (lo, hi, day, counts) = ClimateLedger.contribution(
                kind: kind, channel: channel, detail: detail(row.text(6)), actor: actor, counterpart: counterpart,
                at: Timestamp(millis: at))
        else { return }
        months[ClimateMonthRows.Key(lo: lo, hi: hi, month: day.firstOfMonth), default: PairMonth()]
            .add(day: day.day, counts: counts, person: row.text(1))
    }

    /// The values of an entry's detail that the climate reads. Only a detail that
    /// names one of them is decoded: most name neither.
    private static func detail(_ text: String?) -> [String: String] {
        guard let text, ClimateLedger.detailKeys.contains(where: { text.contains("\"\($0)\"") }) else { return [:] }
        return JSONText.decode(text)
    }

    /// Brings the stored month rows to `months`, writing only where they differ:
    /// stored rows the ledger does not give are deleted, rows that differ or are
    /// missing are written, in key order.
    static func reconcile(_ months: Months, into db: any SQLConnection) async throws -> ClimateRowChanges {
        var changes = ClimateRowChanges(rows: months.count)
        var upToDate: Set<ClimateMonthRows.Key> = []
        var extra: [[SQLValue]] = []
        let columns = ClimateMonthRows.valueColumns
        let stored = "SELECT org_lo, org_hi, month, \(columns.joined(separator: ", ")) FROM climate_months"
        try await db.scan(stored, []) { row in
            guard let lo = row.text(0), let hi = row.text(1), let monthText = row.text(2),
                let month = CalendarDate(monthText), let computed = months[.init(lo: lo, hi: hi, month: month)]
            else {
                extra.append((0..<3).map { row.text($0).map(SQLValue.text) ?? .null })
                return
            }
            // The value columns: numbers, then the two texts (`ClimateMonthRows.values`).
            let numbers = (3..<1 + columns.count).map { row.int64($0).map(SQLValue.int) ?? .null }
            let values = numbers + [1 + columns.count, 2 + columns.count].map { row.text($0).map(SQLValue.text) ?? .null }
            if values == ClimateMonthRows.values(computed, of: month, naming: { $0 }) {
                upToDate.insert(.init(lo: lo, hi: hi, month: month))
            } else {
                changes.rewritten += 1
            }
        }
        changes.removed = extra.count
        changes.added = months.count - upToDate.count - changes.rewritten
        try await withoutZeroingFreedPages(db) {
            for key in extra { try await db.execute(ClimateMonthRows.delete, key) }
            // In key order, so the table's B-tree grows at its end when it starts empty.
            for (key, month) in months.sorted(by: { $0.key < $1.key }) where !upToDate.contains(key) {
                try await db.execute(ClimateMonthRows.upsert, key.binds + ClimateMonthRows.values(month, of: key.month, naming: { $0 }))
            }
        }
        return changes
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

extension SQLScanRow {
    /// The column's text, or nil for NULL (or a number).
    func text(_ column: Int) -> String? {
        withText(column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}
