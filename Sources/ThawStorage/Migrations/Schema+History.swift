extension Schema {
    /// Each version of a referral as it stood (FHIR's `_history` for Task), copied from the row
    /// by the statement that follows each change; the versions before this migration begin
    /// with the one current then. And what a receiving organisation did, recorded as a FHIR
    /// Procedure before it completes the referral with it.
    static let v19History = Migration(
        version: 19, name: "referral versions and procedures",
        sql: [
            """
            CREATE TABLE referral_versions (
                id TEXT NOT NULL, client_id TEXT NOT NULL, requester_organization_id TEXT NOT NULL,
                requester_user_id TEXT NOT NULL, owner_organization_id TEXT, service_id TEXT, need_category TEXT NOT NULL,
                need_ids TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL, business_status TEXT, status_reason TEXT,
                status_reason_side TEXT, outcome_code TEXT, outcome_summary TEXT, note TEXT, first_response_due BIGINT NOT NULL,
                first_responded_at BIGINT, follow_up_due BIGINT, last_message_side TEXT, last_message_at BIGINT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL,
                PRIMARY KEY (id, version))
            """,
            "INSERT INTO referral_versions (\(ReferralVersions.columns)) SELECT \(ReferralVersions.columns) FROM referrals",
            """
            CREATE TABLE referral_procedures (
                referral_id TEXT PRIMARY KEY REFERENCES referrals(id), organization_id TEXT NOT NULL,
                outcome_code TEXT NOT NULL, summary TEXT NOT NULL, performed_at BIGINT NOT NULL, recorded_by TEXT NOT NULL,
                recorded_at BIGINT NOT NULL)
            """
        ])
}

/// The columns a referral's versions keep: all of the referral's (see `Referral.columns`).
enum ReferralVersions {
    static let columns = """
        id, client_id, requester_organization_id, requester_user_id, owner_organization_id, service_id,
        need_category, need_ids, priority, status, business_status, status_reason, status_reason_side, outcome_code, outcome_summary,
        note, first_response_due, first_responded_at, follow_up_due, last_message_side, last_message_at,
        created_at, updated_at, version
        """
}
