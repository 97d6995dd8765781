extension Schema {
    /// Perseverance: a motion that failed, or a consultation's proposal, brought back and linked to its earlier form.
    static let v33Perseverance = Migration(
        version: 33, name: "motions and proposals brought back",
        sql: [
            "ALTER TABLE decisions ADD COLUMN revives_decision_id TEXT",
            "ALTER TABLE consultations ADD COLUMN revives_consultation_id TEXT",
            "CREATE INDEX decisions_revived ON decisions (revives_decision_id) WHERE revives_decision_id IS NOT NULL",
            "CREATE INDEX consultations_revived ON consultations (revives_consultation_id) WHERE revives_consultation_id IS NOT NULL"
        ])
}
