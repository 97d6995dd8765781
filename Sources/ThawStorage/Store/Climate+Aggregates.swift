import ThawCore

extension SQLConnection {
    /// Adds one ledger entry to the climate aggregates: at most two statements, whatever the history.
    func addToClimate(kind: String, channel: Channel, detail: [String: String], actorUser: ID<User>?, actor: String,
                      counterpart: String?, at: Timestamp) async throws {
        guard let (lo, hi, day, c) = ClimateLedger.contribution(kind: kind, channel: channel, detail: detail, actor: actor,
                                                                counterpart: counterpart, at: at) else { return }
        try await addClimateDay(lo, hi, day, c)
        if let actorUser { try await addClimatePerson(lo, hi, day, actorUser.raw) }
    }

    /// Adds counts to a pair's day, creating the row if needed.
    func addClimateDay(_ lo: String, _ hi: String, _ day: CalendarDate, _ c: PairCounts) async throws {
        try await execute("""
            INSERT INTO climate_days (org_lo, org_hi, day, lo_to_hi, hi_to_lo, formal, informal, referral, kept, missed, adopted, answered,
                                      on_time, late)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (org_lo, org_hi, day) DO UPDATE SET
              lo_to_hi = climate_days.lo_to_hi + excluded.lo_to_hi, hi_to_lo = climate_days.hi_to_lo + excluded.hi_to_lo,
              formal = climate_days.formal + excluded.formal, informal = climate_days.informal + excluded.informal,
              referral = climate_days.referral + excluded.referral, kept = climate_days.kept + excluded.kept,
              missed = climate_days.missed + excluded.missed, adopted = climate_days.adopted + excluded.adopted,
              answered = climate_days.answered + excluded.answered, on_time = climate_days.on_time + excluded.on_time,
              late = climate_days.late + excluded.late
            """, lo, hi, day, c.loToHi, c.hiToLo, c.formal, c.informal, c.referral, c.kept, c.missed, c.adopted, c.answered, c.onTime, c.late)
    }

    func addClimatePerson(_ lo: String, _ hi: String, _ day: CalendarDate, _ user: String) async throws {
        try await execute("INSERT INTO climate_day_people (org_lo, org_hi, day, user_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                          lo, hi, day, user)
    }
}

extension ThawStore {
    /// Recomputes every climate aggregate from the ledger, reporting progress
    /// as (entries done, entries in all). One transaction, so entries written
    /// meanwhile wait and are counted once; gives exactly what the incremental
    /// updates gave (a test holds the two equal).
    ///
    /// `oneEntryAtATime` replays every entry through the incremental path instead of
    /// summing each page first: the same statements a live write runs, so its time per
    /// entry is the incremental update's cost (the benchmark measures it this way).
    public func rebuildClimate(pageSize: Int = 50_000, oneEntryAtATime: Bool = false,
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws {
        try await database.write { db in
            let total = try await db.query("SELECT COUNT(*) AS n FROM activity", []).first?.int("n") ?? 0
            try await db.execute("DELETE FROM climate_days")
            try await db.execute("DELETE FROM climate_day_people")
            var cursor: Int64 = 0, done = 0
            while true {
                let rows = try await db.query("""
                    SELECT seq, at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail
                    FROM activity WHERE seq > ? ORDER BY seq LIMIT ?
                    """, cursor, pageSize)
                if oneEntryAtATime {
                    for row in rows {
                        try await db.addToClimate(kind: row.string("kind"), channel: row.enumValue("channel"),
                                                  detail: JSONText.decode(row.optionalString("detail")), actorUser: row.optionalID("actor_user_id"),
                                                  actor: row.string("actor_organization_id"), counterpart: row.optionalString("counterpart_organization_id"),
                                                  at: row.timestamp("at"))
                    }
                } else {
                    try await Self.addSummed(rows, to: db)
                }
                cursor = rows.last?.int64("seq") ?? cursor
                done += rows.count
                progress(done, total)
                if rows.count < pageSize { break }
            }
        }
    }

    /// Sums a page of entries in memory (the same per-entry contribution), then writes each
    /// pair's day once: a busy day is one write per page rather than one per entry.
    private static func addSummed(_ rows: [SQLRow], to db: any SQLConnection) async throws {
        var days: [PairDay: PairCounts] = [:], people: Set<PairDayPerson> = []
        for row in rows {
            guard let (lo, hi, day, c) = ClimateLedger.contribution(
                kind: row.string("kind"), channel: row.enumValue("channel"), detail: JSONText.decode(row.optionalString("detail")),
                actor: row.string("actor_organization_id"), counterpart: row.optionalString("counterpart_organization_id"),
                at: row.timestamp("at")) else { continue }
            let key = PairDay(lo: lo, hi: hi, day: day)
            days[key] = (days[key] ?? PairCounts()) + c
            if let user = row.optionalString("actor_user_id") { people.insert(PairDayPerson(day: key, user: user)) }
        }
        for (key, counts) in days { try await db.addClimateDay(key.lo, key.hi, key.day, counts) }
        for person in people { try await db.addClimatePerson(person.day.lo, person.day.hi, person.day.day, person.user) }
    }

    /// Every stored aggregate row, in a fixed order (for comparing incremental and rebuilt state).
    public func climateSnapshot() async throws -> [String] {
        try await database.read { db in
            let days = try await db.query("SELECT * FROM climate_days ORDER BY org_lo, org_hi, day", []).map { row in
                ["org_lo", "org_hi", "day"].map { row.string($0) }.joined(separator: "|") + "|" +
                ["lo_to_hi", "hi_to_lo", "formal", "informal", "referral", "kept", "missed", "adopted", "answered", "on_time", "late"].map { String(row.int($0)) }.joined(separator: ",")
            }
            let people = try await db.query("SELECT org_lo, org_hi, day, user_id FROM climate_day_people ORDER BY org_lo, org_hi, day, user_id", [])
                .map { ["org_lo", "org_hi", "day", "user_id"].map($0.string).joined(separator: "|") }
            return days + people
        }
    }
}

private struct PairDay: Hashable { var lo: String; var hi: String; var day: CalendarDate }
private struct PairDayPerson: Hashable { var day: PairDay; var user: String }
