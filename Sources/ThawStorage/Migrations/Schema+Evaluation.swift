extension Schema {
    /// Evidence for evaluators and researchers: the evaluator role's period, each person's
    /// agreement to research use of what they wrote, codings researchers bring back from their
    /// tools, climate packages from other networks, and FHIR bulk exports waiting to be fetched.
    static let v44Evaluation = Migration(
        version: 44, name: "evaluation and research",
        sql: [
            """
            CREATE TABLE evaluator_grants (
                user_id TEXT PRIMARY KEY REFERENCES users(id), from_on TEXT NOT NULL, until_on TEXT NOT NULL,
                granted_by TEXT NOT NULL, granted_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE research_agreements (
                user_id TEXT PRIMARY KEY REFERENCES users(id), agreed_at BIGINT NOT NULL, withdrawn_at BIGINT)
            """,
            """
            CREATE TABLE research_annotations (
                id TEXT PRIMARY KEY, researcher_id TEXT NOT NULL REFERENCES users(id), project TEXT NOT NULL,
                subject_type TEXT NOT NULL, subject_id TEXT NOT NULL, organization_ids TEXT NOT NULL, committee_id TEXT,
                code TEXT NOT NULL, start_position INTEGER, end_position INTEGER, quote TEXT NOT NULL, imported_at BIGINT NOT NULL)
            """,
            "CREATE INDEX research_annotations_by_researcher ON research_annotations (researcher_id, imported_at)",
            """
            CREATE TABLE climate_packages (
                id TEXT PRIMARY KEY, imported_by TEXT NOT NULL REFERENCES users(id), network TEXT NOT NULL,
                body TEXT NOT NULL, imported_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE bulk_exports (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), types TEXT NOT NULL, since BIGINT,
                transaction_time BIGINT NOT NULL, deidentified INTEGER NOT NULL, pseudonym_key TEXT NOT NULL, counts TEXT NOT NULL,
                expires_at BIGINT NOT NULL)
            """
        ])
}
