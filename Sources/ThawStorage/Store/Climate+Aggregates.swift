import ThawCore

extension ThawStore {
    /// Entries folded in one transaction.
    public static let climateFoldBatch = 500

    /// Brings the climate's month rows up to date with the ledger entries marked pending, a batch
    /// at a time, until none is left (or `batches` have been folded). Returns how many entries it
    /// folded. Every climate read calls this first, so what it reads counts every committed entry;
    /// a worker calls it in the background, so the pending list stays short.
    ///
    /// On PostgreSQL several callers fold at once. The background worker (`waitingForOthers: false`)
    /// skips rows another folder has locked and leaves them to it. A read waits for them instead:
    /// had it skipped them, it would read month rows the other folder has not yet committed.
    @discardableResult
    public func foldPendingClimate(batches: Int = .max, batchSize: Int = climateFoldBatch, waitingForOthers: Bool = true) async throws -> Int {
        // Usually nothing is pending: a read says so without taking the writer (SQLite) or a transaction.
        guard try await database.read({ db in try await db.first("SELECT seq FROM climate_pending LIMIT 1") != nil }) else { return 0 }
        var folded = 0
        for _ in 0..<batches {
            let count = try await database.write { db in
                try await Self.foldClimateBatch(db, limit: batchSize, skippingLocked: !waitingForOthers)
            }
            folded += count
            if count < batchSize { break }
        }
        return folded
    }

    /// Folds up to `limit` pending entries into their months, in one transaction: each month row
    /// touched once however many of its entries are in the batch, in key order (two folders lock
    /// rows in the same order, so neither waits on the other in a circle).
    static func foldClimateBatch(_ db: any SQLConnection, limit: Int, skippingLocked: Bool = true) async throws -> Int {
        // On PostgreSQL the batch is locked, so two folders never fold the same entry; SQLite has one writer.
        let skipLocked = db.dialect == .postgres ? (skippingLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE") : ""
        let batch = try await db.query("SELECT seq FROM climate_pending ORDER BY seq \(SQLText.limit)\(skipLocked)", [.int(Int64(limit))])
            .map { $0.int64("seq") }
        guard let first = batch.first, let last = batch.last else { return 0 }
        // The batch's entries are read by a range of the ledger's key, a plan that cannot walk the
        // whole ledger whatever the statistics say. Joined to the pending rows instead, PostgreSQL
        // with out-of-date statistics merged along the ledger from its first entry (EXPLAIN:
        // 80,000 entries walked for 300 pending).
        let pending = Set(batch)
        let entries = try await db.query(
            """
            SELECT seq, kind, channel, detail, actor_user_id, actor_organization_id, counterpart_organization_id, at
            FROM activity WHERE seq BETWEEN ? AND ? ORDER BY seq
            """, first, last
        ).filter { pending.contains($0.int64("seq")) }
        var byMonth: [ClimateMonthRows.Key: [(day: Int, counts: PairCounts, person: String?)]] = [:]
        var firstDay: CalendarDate?, lastDay: CalendarDate?
        for entry in entries {
            guard let channel = Channel(rawValue: entry.string("channel")) else { continue }
            let person = entry.optionalString("actor_user_id")
            for pair in ClimateLedger.contributions(
                kind: entry.string("kind"), channel: channel, detail: JSONText.decode(entry.optionalString("detail")),
                actor: entry.string("actor_organization_id"), counterpart: entry.optionalString("counterpart_organization_id"),
                at: entry.timestamp("at"))
            {
                byMonth[ClimateMonthRows.Key(lo: pair.lo, hi: pair.hi, month: pair.day.firstOfMonth), default: []].append(
                    (pair.day.day, pair.counts, pair.byMember ? person : nil))
                firstDay = min(firstDay ?? pair.day, pair.day); lastDay = max(lastDay ?? pair.day, pair.day)
            }
        }
        for (key, additions) in byMonth.sorted(by: { $0.key < $1.key }) {
            // The empty row first, so that on PostgreSQL the read below can lock it even when two
            // folders add the pair's first entries of the month at once.
            try await db.execute(ClimateMonthRows.ensure, key.binds)
            guard let row = try await db.query(db.dialect == .postgres ? ClimateMonthRows.readForUpdate : ClimateMonthRows.read, key.binds).first,
                var month = PairMonth(daysText: row.string("days"), peopleText: row.string("members"))
            else {
                throw SQLError(.other, "the climate row of \(key.lo), \(key.hi) in \(key.month) is not in the stored form")
            }
            for addition in additions { month.add(day: addition.day, counts: addition.counts, person: addition.person) }
            try await db.execute(ClimateMonthRows.update, ClimateMonthRows.values(month, of: key.month) { $0 } + key.binds)
        }
        // Results kept for periods that are over and hold one of these days no longer hold (see ClimateResultCache).
        if let firstDay, let lastDay { try await ClimateResultCache.forget(db, from: firstDay, through: lastDay) }
        try await db.execute(
            "DELETE FROM climate_pending WHERE seq IN (\(Array(repeating: "?", count: batch.count).joined(separator: ", ")))",
            batch.map { SQLValue.int($0) })
        return batch.count
    }
}

/// The SQL of the `climate_months` rows (one per pair of organisations and month).
enum ClimateMonthRows {
    struct Key: Hashable, Comparable {
        var lo: String, hi: String, month: CalendarDate
        var binds: [SQLValue] { [.text(lo), .text(hi), month.sqlValue] }
        static func < (a: Key, b: Key) -> Bool { (a.lo, a.hi, a.month.description) < (b.lo, b.hi, b.month.description) }
    }

    /// The columns after the key, in `values` order.
    static let valueColumns = ClimateSQL.counters + ["contact_weeks", "people", "days", "members"]

    /// A month's stored values: its sums, weeks with contact, people, and its two texts.
    static func values<Person>(_ month: PairMonthOf<Person>, of start: CalendarDate, naming name: (Person) -> String) -> [SQLValue] {
        month.total.counterValues.map(\.sqlValue) + [
            month.contactWeeks(of: start).sqlValue, month.people.count.sqlValue,
            .text(month.daysText), .text(month.peopleText(naming: name))
        ]
    }

    static let ensure = "INSERT INTO climate_months (org_lo, org_hi, month) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    static let read = "SELECT days, members FROM climate_months WHERE org_lo = ? AND org_hi = ? AND month = ?"
    static let readForUpdate = read + " FOR UPDATE"
    static let update =
        "UPDATE climate_months SET \(valueColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE org_lo = ? AND org_hi = ? AND month = ?"

    static let insert =
        "INSERT INTO climate_months (org_lo, org_hi, month, \(valueColumns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: 3 + valueColumns.count).joined(separator: ", ") + ")"

    /// Writes a whole row, over the stored one if there is one (the rebuild's rows).
    static let upsert =
        insert + " ON CONFLICT (org_lo, org_hi, month) DO UPDATE SET "
        + valueColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
    static let delete = "DELETE FROM climate_months WHERE org_lo = ? AND org_hi = ? AND month = ?"
}
