/// The schema. Every table holding client data carries `organization_id` of the
/// organisation it belongs to, so PostgreSQL can partition by it later.
enum Schema {
    static let v1 = Migration(
        version: 1, name: "referral core",
        sql: [
            """
            CREATE TABLE organizations (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, sector TEXT NOT NULL, alignment TEXT,
                parent_id TEXT REFERENCES organizations(id), area TEXT, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
                email TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, roles TEXT NOT NULL,
                active INTEGER NOT NULL, password_hash TEXT, failed_sign_ins INTEGER NOT NULL DEFAULT 0,
                locked_until BIGINT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX users_by_organization ON users (organization_id)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, expires_at BIGINT,
                revoked_at BIGINT, last_used_at BIGINT)
            """,
            """
            CREATE TABLE services (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
                name TEXT NOT NULL, description TEXT NOT NULL, need_categories TEXT NOT NULL,
                eligibility TEXT NOT NULL, area_served TEXT NOT NULL, languages TEXT NOT NULL,
                capacity TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE service_needs (
                service_id TEXT NOT NULL REFERENCES services(id), need_category TEXT NOT NULL,
                organization_id TEXT NOT NULL, PRIMARY KEY (need_category, service_id))
            """,
            """
            CREATE TABLE clients (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
                given_name TEXT NOT NULL, family_name TEXT NOT NULL, birth_date TEXT, phone TEXT,
                email TEXT, address TEXT, preferred_language TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX clients_by_organization ON clients (organization_id, family_name, given_name)",
            """
            CREATE TABLE consents (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),
                organization_id TEXT NOT NULL, grantee_organization_id TEXT, grantee_sector TEXT,
                scopes TEXT NOT NULL, purpose TEXT NOT NULL, valid_from BIGINT NOT NULL, valid_until BIGINT,
                revoked_at BIGINT, recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX consents_by_client ON consents (client_id)",
            """
            CREATE TABLE screenings (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),
                organization_id TEXT NOT NULL, answers TEXT NOT NULL, screened_on TEXT NOT NULL,
                screened_by TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX screenings_by_client ON screenings (client_id)",
            """
            CREATE TABLE needs (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),
                organization_id TEXT NOT NULL, category TEXT NOT NULL, identified_on TEXT NOT NULL,
                screening_id TEXT, status TEXT NOT NULL)
            """,
            "CREATE INDEX needs_by_client ON needs (client_id)",
            """
            CREATE TABLE referrals (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id),
                requester_organization_id TEXT NOT NULL REFERENCES organizations(id),
                requester_user_id TEXT NOT NULL, owner_organization_id TEXT REFERENCES organizations(id),
                service_id TEXT, need_category TEXT NOT NULL, need_ids TEXT NOT NULL, priority TEXT NOT NULL,
                status TEXT NOT NULL, business_status TEXT, status_reason TEXT, outcome_code TEXT,
                outcome_summary TEXT, note TEXT, first_response_due BIGINT NOT NULL, first_responded_at BIGINT,
                follow_up_due BIGINT, last_message_side TEXT, last_message_at BIGINT,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL)
            """,
            "CREATE INDEX referrals_caseload ON referrals (requester_organization_id, updated_at, id)",
            "CREATE INDEX referrals_by_navigator ON referrals (requester_user_id, updated_at, id)",
            "CREATE INDEX referrals_inbox ON referrals (owner_organization_id, updated_at, id)",
            "CREATE INDEX referrals_inbox_due ON referrals (owner_organization_id, status, first_response_due)",
            "CREATE INDEX referrals_open ON referrals (need_category, status, created_at) WHERE owner_organization_id IS NULL",
            "CREATE INDEX referrals_by_client ON referrals (client_id)",
            """
            CREATE TABLE referral_messages (
                id TEXT PRIMARY KEY, referral_id TEXT NOT NULL REFERENCES referrals(id),
                organization_id TEXT NOT NULL, author_user_id TEXT NOT NULL, side TEXT NOT NULL,
                body TEXT NOT NULL, sent_at BIGINT NOT NULL, read_at BIGINT, read_by TEXT)
            """,
            "CREATE INDEX messages_by_referral ON referral_messages (referral_id, sent_at)",
            """
            CREATE TABLE idempotency_keys (
                user_id TEXT NOT NULL, key TEXT NOT NULL, organization_id TEXT NOT NULL,
                request_hash TEXT NOT NULL, resource_id TEXT NOT NULL, created_at BIGINT NOT NULL,
                PRIMARY KEY (user_id, key))
            """,
            """
            CREATE TABLE activity (
                seq {serial}, at BIGINT NOT NULL, actor_user_id TEXT, actor_organization_id TEXT NOT NULL,
                counterpart_organization_id TEXT, kind TEXT NOT NULL, subject_type TEXT NOT NULL,
                subject_id TEXT NOT NULL, channel TEXT NOT NULL, detail TEXT NOT NULL)
            """,
            "CREATE INDEX activity_by_subject ON activity (subject_type, subject_id, seq)",
            "CREATE INDEX activity_by_pair ON activity (actor_organization_id, counterpart_organization_id, at)",
            """
            CREATE TABLE access_log (
                seq {serial}, at BIGINT NOT NULL, user_id TEXT NOT NULL, organization_id TEXT NOT NULL,
                client_id TEXT, action TEXT NOT NULL, subject_type TEXT NOT NULL, subject_id TEXT NOT NULL)
            """,
            "CREATE INDEX access_log_by_client ON access_log (client_id, seq)"
        ])

    /// The ledger and the access log are append-only: the database itself refuses
    /// to update or delete them, whatever code asks.
    static let v2LedgerGuards = Migration(version: 2, name: "append-only ledger") { dialect in
        switch dialect {
        case .sqlite:
            return ["activity", "access_log"].flatMap { table in
                ["UPDATE", "DELETE"].map { op in
                    """
                    CREATE TRIGGER \(table)_no_\(op.lowercased()) BEFORE \(op) ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END
                    """
                }
            }
        case .postgres:
            return [
                """
                CREATE FUNCTION thaw_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
                """,
                "CREATE TRIGGER activity_append_only BEFORE UPDATE OR DELETE ON activity FOR EACH STATEMENT EXECUTE FUNCTION thaw_append_only()",
                "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION thaw_append_only()"
            ]
        }
    }

    /// Worklists of open referrals: walking `updated_at` backwards through an
    /// organisation's referrals skips every closed one, and closed ones pile up
    /// at the top. Partial indexes over open referrals only keep those reads
    /// proportional to the page, not to the history.
    static let openPredicate = "status NOT IN ('rejected','cancelled','completed','failed','entered-in-error')"
    static let v3OpenWorklists = Migration(
        version: 3, name: "open-referral worklist indexes",
        sql: [
            "CREATE INDEX referrals_caseload_open ON referrals (requester_organization_id, updated_at, id) WHERE \(openPredicate)",
            "CREATE INDEX referrals_inbox_open ON referrals (owner_organization_id, updated_at, id) WHERE \(openPredicate)"
        ])

    /// Every index on `referrals` is rewritten by each status change (they all
    /// hold `updated_at` or `status`). These two served filters that the open
    /// partial indexes serve as well; dropping them cut write work per
    /// transition (measured in BENCHMARKS.md).
    static let v4LeanerReferralIndexes = Migration(
        version: 4, name: "leaner referral indexes",
        sql: [
            "DROP INDEX referrals_by_navigator",
            "DROP INDEX referrals_inbox_due"
        ])

    /// The caseload and inbox counts read every open referral of an
    /// organisation. Carrying the columns they test at the end of the open
    /// worklist indexes lets both databases count from the index alone, with
    /// no extra index to maintain: these entries are rewritten on every change
    /// anyway, since they lead with `updated_at`.
    static let countedColumns = "status, client_id, first_response_due, first_responded_at, last_message_side, follow_up_due"
    static let v5CountingWorklistIndexes = Migration(
        version: 5, name: "open worklist indexes that cover the counts",
        sql: [
            "DROP INDEX referrals_caseload_open",
            "DROP INDEX referrals_inbox_open",
            "CREATE INDEX referrals_caseload_open ON referrals (requester_organization_id, updated_at, id, \(countedColumns)) WHERE \(openPredicate)",
            "CREATE INDEX referrals_inbox_open ON referrals (owner_organization_id, updated_at, id, \(countedColumns)) WHERE \(openPredicate)"
        ])

    /// Lists, counts and dashboards are audited with no client (`client_id` NULL);
    /// only rows about one client are looked up by client, so only those are
    /// indexed. Every caseload or inbox view then writes one index entry fewer,
    /// on a page chosen by a random client id.
    static let v13ClientAccessIndex = Migration(
        version: 13, name: "access log indexes client rows only",
        sql: [
            "DROP INDEX access_log_by_client",
            "CREATE INDEX access_log_by_client ON access_log (client_id, seq) WHERE client_id IS NOT NULL"
        ])
}
