extension Schema {
    /// Capacity and freshness: a waitlisted service's estimated wait; and what search shows and
    /// filters by beyond words: opening hours (`WeeklyHours.stored`), the areas served in a form a
    /// place is tested against (`ServiceAreas`), the area in words, the wait, and who last verified the record.
    static let v27DirectoryUpkeep = Migration(
        version: 27, name: "directory capacity, freshness, hours and areas",
        sql: [
            "ALTER TABLE services ADD COLUMN estimated_wait_days INTEGER",
            "ALTER TABLE directory_search ADD COLUMN hours TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE directory_search ADD COLUMN areas TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE directory_search ADD COLUMN area_served TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE directory_search ADD COLUMN wait_time TEXT",
            "ALTER TABLE directory_search ADD COLUMN verified_by TEXT"
        ])
}
