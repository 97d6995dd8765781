extension Schema {
    /// Commitments judged by the organisation promised: when the promiser marked one kept (it is
    /// kept once confirmed, or undisputed for two weeks), a new due date proposed and waiting for
    /// agreement, and the group a promise to several organisations belongs to.
    static let v32CommitmentJudgement = Migration(
        version: 32, name: "commitments judged by the organisation promised",
        sql: [
            "ALTER TABLE commitments ADD COLUMN kept_marked_at BIGINT",
            "ALTER TABLE commitments ADD COLUMN proposed_due_on TEXT",
            "ALTER TABLE commitments ADD COLUMN proposed_reason TEXT",
            "ALTER TABLE commitments ADD COLUMN group_id TEXT",
            "CREATE INDEX commitments_awaiting_confirmation ON commitments (kept_marked_at) WHERE status = 'awaiting-confirmation'"
        ])
}
