/// Partnership practice: committees under shared governance, their
/// meetings, decisions and votes; informal threads; consultations answered
/// item by item; commitments and whether they were kept.
extension Schema {
    static let v6Partnership = Migration(
        version: 6, name: "partnership practice",
        sql: [
            """
            CREATE TABLE committees (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, purpose TEXT NOT NULL, decision_rule TEXT NOT NULL,
                quorum INTEGER NOT NULL, convener_organization_id TEXT NOT NULL REFERENCES organizations(id),
                created_by TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE committee_members (
                committee_id TEXT NOT NULL REFERENCES committees(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                joined_at BIGINT NOT NULL, left_at BIGINT, left_reason TEXT,
                PRIMARY KEY (committee_id, organization_id))
            """,
            "CREATE INDEX committee_members_by_organization ON committee_members (organization_id)",
            """
            CREATE TABLE meetings (
                id TEXT PRIMARY KEY, committee_id TEXT NOT NULL REFERENCES committees(id), held_at BIGINT NOT NULL,
                agenda TEXT NOT NULL, minutes TEXT, recorded_by TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX meetings_by_committee ON meetings (committee_id, held_at)",
            """
            CREATE TABLE meeting_attendance (
                meeting_id TEXT NOT NULL REFERENCES meetings(id), user_id TEXT NOT NULL REFERENCES users(id),
                organization_id TEXT NOT NULL, PRIMARY KEY (meeting_id, user_id))
            """,
            """
            CREATE TABLE decisions (
                id TEXT PRIMARY KEY, committee_id TEXT NOT NULL REFERENCES committees(id), meeting_id TEXT REFERENCES meetings(id),
                motion TEXT NOT NULL, decision_rule TEXT NOT NULL, status TEXT NOT NULL, tally TEXT,
                proposed_by TEXT NOT NULL, opened_at BIGINT NOT NULL, decided_at BIGINT)
            """,
            "CREATE INDEX decisions_by_committee ON decisions (committee_id, opened_at)",
            """
            CREATE TABLE votes (
                decision_id TEXT NOT NULL REFERENCES decisions(id), organization_id TEXT NOT NULL,
                choice TEXT NOT NULL, user_id TEXT NOT NULL, cast_at BIGINT NOT NULL,
                PRIMARY KEY (decision_id, organization_id))
            """,
            """
            CREATE TABLE commitments (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), person_id TEXT,
                to_organization_id TEXT NOT NULL REFERENCES organizations(id), what TEXT NOT NULL,
                context TEXT NOT NULL, context_id TEXT, due_on TEXT NOT NULL, status TEXT NOT NULL,
                evidence TEXT, reason TEXT, renegotiations INTEGER NOT NULL, created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version INTEGER NOT NULL)
            """,
            "CREATE INDEX commitments_by_organization ON commitments (organization_id, due_on)",
            "CREATE INDEX commitments_by_recipient ON commitments (to_organization_id, due_on)",
            "CREATE INDEX commitments_open_by_due ON commitments (due_on) WHERE status = 'open'",
            """
            CREATE TABLE consultations (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), title TEXT NOT NULL,
                proposal TEXT NOT NULL, deadline TEXT NOT NULL, status TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL, closed_at BIGINT)
            """,
            """
            CREATE TABLE consultation_invitations (
                consultation_id TEXT NOT NULL REFERENCES consultations(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                PRIMARY KEY (consultation_id, organization_id))
            """,
            "CREATE INDEX consultation_invitations_by_organization ON consultation_invitations (organization_id)",
            """
            CREATE TABLE feedback_items (
                id TEXT PRIMARY KEY, consultation_id TEXT NOT NULL REFERENCES consultations(id),
                organization_id TEXT NOT NULL, author_user_id TEXT NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL,
                response TEXT, response_text TEXT, responded_at BIGINT, responded_by TEXT)
            """,
            "CREATE INDEX feedback_items_by_consultation ON feedback_items (consultation_id, created_at)",
            """
            CREATE TABLE threads (
                id TEXT PRIMARY KEY, subject TEXT NOT NULL, organization_id TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL, last_message_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE thread_participants (
                thread_id TEXT NOT NULL REFERENCES threads(id), user_id TEXT NOT NULL REFERENCES users(id),
                organization_id TEXT NOT NULL, PRIMARY KEY (thread_id, user_id))
            """,
            "CREATE INDEX thread_participants_by_user ON thread_participants (user_id)",
            """
            CREATE TABLE thread_messages (
                id TEXT PRIMARY KEY, thread_id TEXT NOT NULL REFERENCES threads(id), author_user_id TEXT NOT NULL,
                organization_id TEXT NOT NULL, body TEXT NOT NULL, sent_at BIGINT NOT NULL)
            """,
            "CREATE INDEX thread_messages_by_thread ON thread_messages (thread_id, sent_at)"
        ])

    static let v7SignalsRolesEventsFunding = Migration(
        version: 7, name: "signals, roles over time, outside events, funding",
        sql: [
            """
            CREATE TABLE signals (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), kind TEXT NOT NULL,
                description TEXT NOT NULL, made_on TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE signal_addressees (
                signal_id TEXT NOT NULL REFERENCES signals(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                acknowledged_at BIGINT, acknowledged_by TEXT, note TEXT, PRIMARY KEY (signal_id, organization_id))
            """,
            "CREATE INDEX signal_addressees_by_organization ON signal_addressees (organization_id)",
            """
            CREATE TABLE role_holdings (
                id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), title TEXT NOT NULL,
                holder_name TEXT NOT NULL, user_id TEXT, single_holder INTEGER NOT NULL, leadership INTEGER NOT NULL,
                starts_on TEXT NOT NULL, ends_on TEXT, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX role_holdings_by_organization ON role_holdings (organization_id, title, starts_on)",
            """
            CREATE TABLE outside_events (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
                occurred_on TEXT NOT NULL, ends_on TEXT, recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL)
            """,
            "CREATE INDEX outside_events_by_date ON outside_events (occurred_on)",
            """
            CREATE TABLE outside_event_organizations (
                event_id TEXT NOT NULL REFERENCES outside_events(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                PRIMARY KEY (event_id, organization_id))
            """,
            """
            CREATE TABLE funding_agreements (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, purpose TEXT NOT NULL, amount_cents BIGINT NOT NULL, currency TEXT NOT NULL,
                starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, renewal TEXT NOT NULL, created_by TEXT NOT NULL,
                created_at BIGINT NOT NULL, version INTEGER NOT NULL)
            """,
            "CREATE INDEX funding_agreements_by_end ON funding_agreements (ends_on)",
            """
            CREATE TABLE funding_parties (
                agreement_id TEXT NOT NULL REFERENCES funding_agreements(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                PRIMARY KEY (agreement_id, organization_id))
            """,
            "CREATE INDEX funding_parties_by_organization ON funding_parties (organization_id)"
        ])

    static let v8PulseSurveys = Migration(
        version: 8, name: "pulse surveys",
        sql: [
            """
            CREATE TABLE survey_rounds (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, organization_id TEXT NOT NULL REFERENCES organizations(id),
                opens_on TEXT NOT NULL, closes_on TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE survey_participants (
                round_id TEXT NOT NULL REFERENCES survey_rounds(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
                PRIMARY KEY (round_id, organization_id))
            """,
            // One row per answer; the key makes a second answer by the same person about the same partner impossible.
            """
            CREATE TABLE survey_answers (
                round_id TEXT NOT NULL REFERENCES survey_rounds(id), respondent_id TEXT NOT NULL, respondent_organization_id TEXT NOT NULL,
                target_organization_id TEXT NOT NULL, item TEXT NOT NULL, score INTEGER NOT NULL, answered_at BIGINT NOT NULL,
                PRIMARY KEY (round_id, respondent_id, target_organization_id, item))
            """,
            "CREATE INDEX survey_answers_by_target ON survey_answers (round_id, target_organization_id)"
        ])

    /// The integration climate's stored aggregates: per pair of organisations
    /// (ordered by id) and day, the counts each ledger entry adds, and who took
    /// part. Periods are sums over days, so weeks and months never disagree.
    static let v9ClimateAggregates = Migration(
        version: 9, name: "climate aggregates",
        sql: [
            """
            CREATE TABLE climate_days (
                org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, day TEXT NOT NULL,
                lo_to_hi INTEGER NOT NULL, hi_to_lo INTEGER NOT NULL, formal INTEGER NOT NULL, informal INTEGER NOT NULL,
                referral INTEGER NOT NULL, kept INTEGER NOT NULL, missed INTEGER NOT NULL, adopted INTEGER NOT NULL, answered INTEGER NOT NULL,
                PRIMARY KEY (org_lo, org_hi, day))
            """,
            """
            CREATE TABLE climate_day_people (
                org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, day TEXT NOT NULL, user_id TEXT NOT NULL,
                PRIMARY KEY (org_lo, org_hi, day, user_id))
            """,
            "CREATE TABLE climate_state (id INTEGER PRIMARY KEY, rebuilt_at BIGINT, last_seq BIGINT NOT NULL)"
        ])

    /// Responsiveness: answers in time and answers late (or overdue, recorded
    /// once by the deadline sweep, which marks the referral so it is not
    /// recorded twice).
    static let v10Responsiveness = Migration(
        version: 10, name: "responsiveness",
        sql: [
            "ALTER TABLE climate_days ADD COLUMN on_time INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE climate_days ADD COLUMN late INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE referrals ADD COLUMN response_overdue_recorded INTEGER NOT NULL DEFAULT 0"
        ])

    /// Month sums of the climate kept as entries arrive, with the distinct weeks
    /// with contact and people behind them, so the network's views read one row
    /// per pair and month instead of every day. Filled from the day rows here.
    static let v11ClimateMonths = Migration(version: 11, name: "climate months") { dialect in
        let counters = ClimateSQL.firstCounters.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", ")
        return [
            """
            CREATE TABLE climate_months (org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, month TEXT NOT NULL, \(counters),
                contact_weeks INTEGER NOT NULL DEFAULT 0, people INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (org_lo, org_hi, month))
            """,
            "CREATE INDEX climate_months_by_month ON climate_months (month)",
            """
            CREATE TABLE climate_month_weeks (org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, month TEXT NOT NULL, week TEXT NOT NULL,
                PRIMARY KEY (org_lo, org_hi, month, week))
            """,
            """
            CREATE TABLE climate_month_people (org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, month TEXT NOT NULL, user_id TEXT NOT NULL,
                PRIMARY KEY (org_lo, org_hi, month, user_id))
            """
        ] + ClimateSQL.monthsFromDays(dialect)
    }

    /// The climate as one row per pair and month, holding each day's counts and
    /// each person's days as text (`PairMonth`): weeks and months are derived from
    /// it, an entry rewrites one row, and a rebuild writes a row per pair-month
    /// instead of a row per pair-day and per person-day. Recomputed from the ledger here.
    static let v12ClimatePairMonths = Migration(version: 12, name: "climate pair months") { db in
        let dropped = ["climate_days", "climate_day_people", "climate_month_weeks", "climate_month_people", "climate_months", "climate_state"]
        try await ClimateRebuild.withoutZeroingFreedPages(db) {
            for table in dropped { try await db.execute("DROP TABLE \(table)") }
        }
        try await db.execute(
            """
            CREATE TABLE climate_months (org_lo TEXT NOT NULL, org_hi TEXT NOT NULL, month TEXT NOT NULL,
                \(ClimateSQL.counters.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", ")),
                contact_weeks INTEGER NOT NULL DEFAULT 0, people INTEGER NOT NULL DEFAULT 0,
                days TEXT NOT NULL DEFAULT '', members TEXT NOT NULL DEFAULT '', PRIMARY KEY (org_lo, org_hi, month))
            """)
        try await db.execute("CREATE INDEX climate_months_by_month ON climate_months (month)")
        try await ClimateRebuild.run(db)
    }
}
