import ThawCore

/// The climate's column names, and the SQL of migration 11, which filled the
/// month tables of that time from the day rows (migration 12 replaced both;
/// a new database still runs 11 on its empty tables, so its SQL stays valid).
enum ClimateSQL {
    /// The counter columns of migration 11's tables (dropped by 12, which makes the month rows with `counters`).
    static let firstCounters = ["lo_to_hi", "hi_to_lo", "formal", "informal", "referral", "kept", "missed", "adopted", "answered", "on_time", "late"]
    /// The counter columns of the month rows, in `PairCounts.counterValues` order (migration 31 added the notice
    /// counters to month rows made before it).
    static let counters = firstCounters + ["noticed", "surprised"]

    /// The Monday of a 'YYYY-MM-DD' column's week, as 'YYYY-MM-DD'.
    static func week(_ column: String, _ dialect: SQLDialect) -> String {
        dialect == .postgres
            ? "to_char(date_trunc('week', \(column)::date), 'YYYY-MM-DD')"
            : "date(\(column), '-' || ((CAST(strftime('%w', \(column)) AS INTEGER) + 6) % 7) || ' days')"
    }

    /// The first of a 'YYYY-MM-DD' column's month.
    static func month(_ column: String) -> String { "substr(\(column), 1, 7) || '-01'" }

    /// Fills the month tables of migration 11 from its day tables.
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
            INSERT INTO climate_months (org_lo, org_hi, month, \(firstCounters.joined(separator: ", ")), contact_weeks, people)
            SELECT org_lo, org_hi, \(month), \(firstCounters.map { "SUM(\($0))" }.joined(separator: ", ")), 0, 0
            FROM climate_days GROUP BY org_lo, org_hi, \(month)
            """,
            """
            UPDATE climate_months SET
              contact_weeks = (SELECT COUNT(*) FROM climate_month_weeks w
                               WHERE w.org_lo = climate_months.org_lo AND w.org_hi = climate_months.org_hi AND w.month = climate_months.month),
              people = (SELECT COUNT(*) FROM climate_month_people p
                        WHERE p.org_lo = climate_months.org_lo AND p.org_hi = climate_months.org_hi AND p.month = climate_months.month)
            """
        ]
    }
}
