import ThawCore

extension SQLConnection {
    /// Adds one ledger entry to its pair's month row: three statements whatever the
    /// history (make sure the row exists, read it, write it back), and a row of one
    /// month's size to decode and encode.
    func addToClimate(
        kind: String, channel: Channel, detail: [String: String], actorUser: ID<User>?, actor: String,
        counterpart: String?, at: Timestamp
    ) async throws {
        guard
            let (lo, hi, day, counts) = ClimateLedger.contribution(
                kind: kind, channel: channel, detail: detail, actor: actor,
                counterpart: counterpart, at: at)
        else { return }
        let key = ClimateMonthRows.Key(lo: lo, hi: hi, month: day.firstOfMonth)
        // The empty row first, so that on PostgreSQL the read below can lock it even when
        // two transactions add the pair's first entry of the month at once.
        try await execute(ClimateMonthRows.ensure, key.binds)
        guard let row = try await query(dialect == .postgres ? ClimateMonthRows.readForUpdate : ClimateMonthRows.read, key.binds).first,
            var month = PairMonth(daysText: row.string("days"), peopleText: row.string("members"))
        else {
            throw SQLError(.other, "the climate row of \(lo), \(hi) in \(key.month) is not in the stored form")
        }
        month.add(day: day.day, counts: counts, person: actorUser?.raw)
        try await execute(ClimateMonthRows.update, ClimateMonthRows.values(month, of: key.month) { $0 } + key.binds)
    }
}

/// The SQL of the `climate_months` rows (one per pair of organisations and month).
enum ClimateMonthRows {
    struct Key {
        var lo: String, hi: String, month: CalendarDate
        var binds: [SQLValue] { [.text(lo), .text(hi), month.sqlValue] }
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
