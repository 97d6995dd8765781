extension Schema {
    /// Climate results of whole periods that are over (`ClimateResultCache`): the network's figures
    /// for a week or month, its ties, and the cooling list as of a period's start. `first_day` and
    /// `end_day` bound the ledger days a result was computed from, so the fold can forget exactly
    /// the results its entries change.
    static let v34ClimateResults = Migration(
        version: 34, name: "climate results of past periods",
        sql: [
            """
            CREATE TABLE climate_results (
                kind TEXT NOT NULL, start TEXT NOT NULL, first_day TEXT NOT NULL, end_day TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY (kind, start))
            """,
            "CREATE INDEX climate_results_days ON climate_results (end_day)"
        ])
}
