extension Schema {
    /// The practices the climate now counts: committee work between the members involved, walk-outs,
    /// referral loops closed or lapsed, and policy moves with the notice partners were given (their
    /// two counters, and the moves themselves). Entries already in the ledger count under the new
    /// rules too, so the month rows are rebuilt from it (nothing is left pending: the rebuild reads
    /// every entry).
    static let v31ClimatePractices = Migration(
        version: 31, name: "climate practices",
        sql: [
            "ALTER TABLE referrals ADD COLUMN loop_lapse_recorded INTEGER NOT NULL DEFAULT 0",
            // The deadline sweep's search for accepted referrals past their follow-up date without an outcome.
            """
            CREATE INDEX referrals_loops_to_lapse ON referrals (follow_up_due)
            WHERE loop_lapse_recorded = 0 AND status IN ('accepted', 'in-progress', 'on-hold')
            """,
            """
            CREATE TABLE policy_moves (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), title TEXT NOT NULL,
                summary TEXT NOT NULL, kind TEXT NOT NULL, effective_on TEXT NOT NULL, announced_on TEXT NOT NULL,
                notice_days INTEGER NOT NULL, notice TEXT NOT NULL, recorded_by TEXT NOT NULL REFERENCES users(id),
                recorded_by_organization_id TEXT NOT NULL REFERENCES organizations(id), created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE policy_move_parties (
                policy_move_id TEXT NOT NULL REFERENCES policy_moves(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                PRIMARY KEY (policy_move_id, organization_id))
            """,
            "CREATE INDEX policy_move_parties_by_organization ON policy_move_parties (organization_id)",
            "CREATE INDEX policy_moves_by_organization ON policy_moves (organization_id, effective_on)"
        ],
        then: { db in
            // Migration 12 makes the month rows with every counter of today; one made before this
            // migration existed lacks the notice counters.
            let columns = try await db.query(
                db.dialect == .postgres
                    ? "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'climate_months' AND table_schema = current_schema()"
                    : "SELECT name FROM pragma_table_info('climate_months')", []
            ).map { $0.string("name") }
            for counter in ClimateSQL.counters where !columns.contains(counter) {
                try await db.execute("ALTER TABLE climate_months ADD COLUMN \(counter) INTEGER NOT NULL DEFAULT 0")
            }
            try await db.execute("DELETE FROM climate_pending")
            try await ClimateRebuild.run(db)
        })
}
