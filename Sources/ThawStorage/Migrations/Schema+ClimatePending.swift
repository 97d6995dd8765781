extension Schema {
    /// Ledger entries whose climate contribution is not yet in their pair's month row. A change
    /// records its entry here, a new row each time; the months are brought up to date after the
    /// commit (`ThawStore.foldPendingClimate`), so concurrent changes between the same two
    /// organisations no longer queue on one month row's lock.
    static let v30ClimatePending = Migration(
        version: 30, name: "climate entries to fold",
        sql: ["CREATE TABLE climate_pending (seq BIGINT PRIMARY KEY)"])
}
