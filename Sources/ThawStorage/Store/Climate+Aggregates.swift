import ThawCore

extension SQLConnection {
    /// Adds one ledger entry to the climate aggregates: at most seven statements, whatever the history.
    func addToClimate(kind: String, channel: Channel, detail: [String: String], actorUser: ID<User>?, actor: String,
                      counterpart: String?, at: Timestamp) async throws {
        guard let (lo, hi, day, c) = ClimateLedger.contribution(kind: kind, channel: channel, detail: detail, actor: actor,
                                                                counterpart: counterpart, at: at) else { return }
        try await addClimateDay(lo, hi, day, c)
        if let actorUser { try await addClimatePerson(lo, hi, day, actorUser.raw) }
        try await addToClimateMonth(lo, hi, day, c, person: actorUser?.raw)
    }

    /// The month row moves with the day row: its counters, and a week or a person counted
    /// the first time they appear in the month (at most five statements).
    func addToClimateMonth(_ lo: String, _ hi: String, _ day: CalendarDate, _ c: PairCounts, person: String?) async throws {
        let month = CalendarDate(year: day.year, month: day.month, day: 1)!
        try await execute(ClimateSQL.addToMonth, [lo.sqlValue, hi.sqlValue, month.sqlValue] + c.counterValues.map(\.sqlValue))
        if c.interactions > 0,
           try await execute("INSERT INTO climate_month_weeks (org_lo, org_hi, month, week) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             lo, hi, month, ScopedStore.weekStart(day)) == 1 {
            try await execute("UPDATE climate_months SET contact_weeks = contact_weeks + 1 WHERE org_lo = ? AND org_hi = ? AND month = ?", lo, hi, month)
        }
        if let person,
           try await execute("INSERT INTO climate_month_people (org_lo, org_hi, month, user_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             lo, hi, month, person) == 1 {
            try await execute("UPDATE climate_months SET people = people + 1 WHERE org_lo = ? AND org_hi = ? AND month = ?", lo, hi, month)
        }
    }

    /// Adds counts to a pair's day, creating the row if needed.
    func addClimateDay(_ lo: String, _ hi: String, _ day: CalendarDate, _ c: PairCounts) async throws {
        try await execute(ClimateSQL.addToDay, [lo.sqlValue, hi.sqlValue, day.sqlValue] + c.counterValues.map(\.sqlValue))
    }

    func addClimatePerson(_ lo: String, _ hi: String, _ day: CalendarDate, _ user: String) async throws {
        try await execute("INSERT INTO climate_day_people (org_lo, org_hi, day, user_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          lo, hi, day, user)
    }
}

extension ClimateSQL {
    /// The upserts of the live path, built once: every ledger entry runs them.
    static let addToDay = upsert("climate_days", key: "day")
    static let addToMonth = upsert("climate_months", key: "month")

    private static func upsert(_ table: String, key: String) -> String {
        """
        INSERT INTO \(table) (org_lo, org_hi, \(key), \(counters.joined(separator: ", ")))
        VALUES (?, ?, ?, \(counters.map { _ in "?" }.joined(separator: ", ")))
        ON CONFLICT (org_lo, org_hi, \(key)) DO UPDATE SET \(accumulate(table))
        """
    }
}

extension ThawStore {
    /// Recomputes every climate aggregate from the ledger, reporting progress
    /// as (entries done, entries in all). One transaction, so entries written
    /// meanwhile wait and are counted once; gives exactly what the incremental
    /// updates gave (a test holds the two equal). The database sums each range
    /// of `pageSize` entries itself (ClimateSQL); large ranges keep the inserts in
    /// key order, smaller ones give a finer progress bar.
    ///
    /// `oneEntryAtATime` replays every entry through the incremental path instead:
    /// the same statements a live write runs, so its time per entry is the
    /// incremental update's cost (the benchmark measures it this way).
    public func rebuildClimate(pageSize: Int = 1_000_000, oneEntryAtATime: Bool = false,
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        let dialect = database.dialect
        try await database.write { db in
            let bounds = try await db.query("SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS last FROM activity", []).first
            let total = bounds?.int("n") ?? 0, last = bounds?.int64("last") ?? 0
            for table in ["climate_days", "climate_day_people", "climate_months", "climate_month_weeks", "climate_month_people"] {
                try await db.execute("DELETE FROM \(table)")
            }
            var cursor: Int64 = 0, done = 0
            while cursor < last {
                if oneEntryAtATime {
                    let rows = try await db.query("""
                        SELECT seq, at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail
                        FROM activity WHERE seq > ? ORDER BY seq LIMIT ?
                        """, cursor, pageSize)
                    for row in rows {
                        try await db.addToClimate(kind: row.string("kind"), channel: row.enumValue("channel"),
                                                  detail: JSONText.decode(row.optionalString("detail")), actorUser: row.optionalID("actor_user_id"),
                                                  actor: row.string("actor_organization_id"), counterpart: row.optionalString("counterpart_organization_id"),
                                                  at: row.timestamp("at"))
                    }
                    cursor = rows.last?.int64("seq") ?? last
                    done += rows.count
                } else {
                    let end = cursor + Int64(pageSize)
                    try await db.execute(ClimateSQL.days(dialect), cursor, end)
                    try await db.execute(ClimateSQL.people(dialect), cursor, end)
                    done += try await db.query("SELECT COUNT(*) AS n FROM activity WHERE seq > ? AND seq <= ?", cursor, end).first?.int("n") ?? 0
                    cursor = end
                }
                progress(done, total)
            }
            if !oneEntryAtATime { for statement in ClimateSQL.monthsFromDays(dialect) { try await db.execute(statement) } }
            if total == 0 { progress(0, 0) }
        }
    }

    /// Every stored aggregate row, in a fixed order (for comparing incremental and rebuilt state).
    public func climateSnapshot() async throws -> [String] {
        try await database.read { db in
            let days = try await db.query("SELECT * FROM climate_days ORDER BY org_lo, org_hi, day", []).map { row in
                ["org_lo", "org_hi", "day"].map { row.string($0) }.joined(separator: "|") + "|" +
                ClimateSQL.counters.map { String(row.int($0)) }.joined(separator: ",")
            }
            let people = try await db.query("SELECT org_lo, org_hi, day, user_id FROM climate_day_people ORDER BY org_lo, org_hi, day, user_id", [])
                .map { ["org_lo", "org_hi", "day", "user_id"].map($0.string).joined(separator: "|") }
            let months = try await db.query("SELECT * FROM climate_months ORDER BY org_lo, org_hi, month", []).map { row in
                ["org_lo", "org_hi", "month"].map { row.string($0) }.joined(separator: "|") + "|" +
                (ClimateSQL.counters + ["contact_weeks", "people"]).map { String(row.int($0)) }.joined(separator: ",")
            }
            return days + people + months
        }
    }
}

