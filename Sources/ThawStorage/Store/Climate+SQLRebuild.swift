import ThawCore

/// The climate rebuild as set-based SQL: the database sums a range of the
/// ledger into day rows in one statement, instead of every entry crossing into
/// Swift. It encodes `ClimateLedger.contribution` in SQL, built from the same
/// constants; the contract tests hold it equal to the incremental path (which
/// runs the Swift function) on both databases, so the two cannot drift apart
/// unseen. Details are matched in the ledger's own canonical JSON (sorted keys,
/// no spaces: `JSONText.encode`). Rows go in in key order, so the tables' B-trees
/// grow at their ends instead of taking random inserts (twice as fast on SQLite).
enum ClimateSQL {
    static func quoted(_ values: some Sequence<String>) -> String { values.sorted().map { "'\($0)'" }.joined(separator: ", ") }

    /// The entries of a seq range with their pair and UTC day, as the contribution sees them.
    static func entries(_ dialect: SQLDialect) -> String {
        // Ids compare byte by byte, as Swift compares them (PostgreSQL would otherwise use the locale).
        let c = dialect == .postgres ? " COLLATE \"C\"" : ""
        let day = dialect == .postgres ? "to_char(to_timestamp(at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                                       : "strftime('%Y-%m-%d', at / 1000, 'unixepoch')"
        return """
            SELECT CASE WHEN actor_organization_id\(c) < counterpart_organization_id\(c) THEN actor_organization_id ELSE counterpart_organization_id END AS lo,
                   CASE WHEN actor_organization_id\(c) < counterpart_organization_id\(c) THEN counterpart_organization_id ELSE actor_organization_id END AS hi,
                   \(day) AS day, actor_organization_id AS actor, actor_user_id, kind, channel, detail
            FROM activity
            WHERE seq > ? AND seq <= ? AND counterpart_organization_id IS NOT NULL AND counterpart_organization_id <> actor_organization_id
              AND (channel <> 'system' OR kind = '\(ClimateLedger.overdueKind)')
            """
    }

    static func days(_ dialect: SQLDialect) -> String {
        let overdue = "'\(ClimateLedger.overdueKind)'"
        let exchange = "kind <> \(overdue) AND kind IN (\(quoted(ClimateLedger.exchanges)))"
        let key = ResponseTiming.detailKey
        let takenUp = ClimateLedger.takenUp.map { "detail LIKE '%\"response\":\"\($0)\"%'" }.joined(separator: " OR ")
        func count(_ condition: String) -> String { "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END)" }
        return """
            INSERT INTO climate_days (org_lo, org_hi, day, \(counters.joined(separator: ", ")))
            SELECT lo, hi, day,
              \(count("\(exchange) AND actor = lo")), \(count("\(exchange) AND actor = hi")),
              \(count("kind <> \(overdue) AND channel = 'formal'")), \(count("kind <> \(overdue) AND channel = 'informal'")),
              \(count("kind <> \(overdue) AND channel = 'referral'")),
              \(count("kind = '\(ClimateLedger.keptKind)'")), \(count("kind = '\(ClimateLedger.missedKind)'")),
              \(count("kind = '\(ClimateLedger.answeredKind)' AND (\(takenUp))")), \(count("kind = '\(ClimateLedger.answeredKind)'")),
              \(count("kind <> \(overdue) AND detail LIKE '%\"\(key)\":\"\(ResponseTiming.onTime)\"%'")),
              \(count("kind = \(overdue) OR detail LIKE '%\"\(key)\":\"\(ResponseTiming.late)\"%'"))
            FROM (\(entries(dialect))) e
            WHERE true
            GROUP BY lo, hi, day
            ORDER BY lo, hi, day
            ON CONFLICT (org_lo, org_hi, day) DO UPDATE SET \(accumulate("climate_days"))
            """
    }

    static func people(_ dialect: SQLDialect) -> String {
        """
        INSERT INTO climate_day_people (org_lo, org_hi, day, user_id)
        SELECT DISTINCT lo, hi, day, actor_user_id FROM (\(entries(dialect))) e WHERE actor_user_id IS NOT NULL
        ORDER BY lo, hi, day, actor_user_id
        ON CONFLICT DO NOTHING
        """
    }

    /// The Monday of a 'YYYY-MM-DD' column's week, as 'YYYY-MM-DD'.
    static func week(_ column: String, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? "to_char(date_trunc('week', \(column)::date), 'YYYY-MM-DD')"
                             : "date(\(column), '-' || ((CAST(strftime('%w', \(column)) AS INTEGER) + 6) % 7) || ' days')"
    }

    /// The Monday-based week number of a 'YYYY-MM-DD' column, as `ScopedStore.week` counts it
    /// (days since 1970 plus three, over seven): an integer to group by.
    static func weekNumber(_ column: String, _ dialect: SQLDialect) -> String {
        dialect == .postgres ? "((\(column)::date - DATE '1970-01-01') + 3) / 7"
                             : "CAST((julianday(\(column)) - 2440584.5) / 7 AS INTEGER)"
    }

    /// The first of a 'YYYY-MM-DD' column's month.
    static func month(_ column: String) -> String { "substr(\(column), 1, 7) || '-01'" }

    /// The counter columns of the day and month rows, in `PairCounts.counterValues` order.
    static let counters = ["lo_to_hi", "hi_to_lo", "formal", "informal", "referral", "kept", "missed", "adopted", "answered", "on_time", "late"]

    /// An upsert's SET list that adds the incoming counters to the stored ones.
    static func accumulate(_ table: String) -> String { counters.map { "\($0) = \(table).\($0) + excluded.\($0)" }.joined(separator: ", ") }

    /// Fills the month tables from the day tables (after a rebuild, and once when they were added).
    static func monthsFromDays(_ dialect: SQLDialect) -> [String] {
        let month = month("day")
        return [
            "DELETE FROM climate_months", "DELETE FROM climate_month_weeks", "DELETE FROM climate_month_people",
            """
            INSERT INTO climate_month_weeks (org_lo, org_hi, month, week)
            SELECT DISTINCT org_lo, org_hi, \(month), \(week("day", dialect)) FROM climate_days WHERE formal + informal + referral > 0
            """,
            "INSERT INTO climate_month_people (org_lo, org_hi, month, user_id) SELECT DISTINCT org_lo, org_hi, \(month), user_id FROM climate_day_people",
            """
            INSERT INTO climate_months (org_lo, org_hi, month, \(counters.joined(separator: ", ")), contact_weeks, people)
            SELECT org_lo, org_hi, \(month), \(counters.map { "SUM(\($0))" }.joined(separator: ", ")), 0, 0
            FROM climate_days GROUP BY org_lo, org_hi, \(month)
            """,
            """
            UPDATE climate_months SET
              contact_weeks = (SELECT COUNT(*) FROM climate_month_weeks w
                               WHERE w.org_lo = climate_months.org_lo AND w.org_hi = climate_months.org_hi AND w.month = climate_months.month),
              people = (SELECT COUNT(*) FROM climate_month_people p
                        WHERE p.org_lo = climate_months.org_lo AND p.org_hi = climate_months.org_hi AND p.month = climate_months.month)
            """,
        ]
    }
}
