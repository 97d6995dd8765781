import ThawCore

/// The evaluation report: the quadruple aim and the loop, read as de-identified facts and
/// aggregated with small counts hidden. For evaluators in their period and network
/// administrators; every report made is in the access log.
extension ScopedStore {
    public static let evaluationRoles: Set<Role> = [.evaluator, .networkAdministrator]

    public func evaluationReport(
        _ period: EvaluationPeriod, organization: ID<Organization>? = nil, threshold: Int = SmallCells.defaultThreshold
    ) async throws -> EvaluationReport {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "reading the evaluation report")
        let facts = try await evaluationFacts(from: period.previous.from, until: period.until)
        if let organization, facts.organizationNames[organization] == nil { throw ThawError.notFound("organization \(organization)") }
        let actor = self.actor, now = now()
        let report = EvaluationReport.build(facts, period: period, threshold: threshold, organization: organization, at: now)
        try await database.write { db in
            try await db.logAccess(
                actor, client: nil, action: "report", subjectType: "evaluation",
                subjectId: "\(period.from)/\(period.until)" + (organization.map { " \($0)" } ?? ""), at: now)
        }
        return report
    }

    /// Every fact the report needs from `from` to `until`, with no client in any of them.
    func evaluationFacts(from: CalendarDate, until: CalendarDate) async throws -> EvaluationFacts {
        let start = from.startOfDay, end = until.adding(days: 1).startOfDay
        return try await database.read { db in
            let organizations = try await db.query("SELECT id, name FROM organizations")
            let services = try await db.query("SELECT id, name FROM services")
            return EvaluationFacts(
                referrals: try await Self.referralFacts(db, start, end), needs: try await Self.needFacts(db, from, until),
                experiences: try await Self.experienceFacts(db, start, end), survey: try await Self.surveyFacts(db, from, until),
                funding: try await Self.fundingFacts(db, from, until),
                organizationNames: Dictionary(organizations.map { ($0.id("id"), $0.string("name")) }, uniquingKeysWith: { a, _ in a }),
                serviceNames: Dictionary(services.map { ($0.id("id"), $0.string("name")) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    static let acceptedStatuses = "('accepted', 'in-progress', 'on-hold', 'completed')"
    static let finalStatuses = "('completed', 'rejected', 'cancelled', 'failed')"

    /// Referrals sent from `start`, or closed from `start` (for the closures and response rates of the period).
    static func referralFacts(_ db: any SQLConnection, _ start: Timestamp, _ end: Timestamp) async throws -> [EvaluationFacts.ReferralFact] {
        let window = "r.created_at < ? AND (r.created_at >= ? OR r.updated_at >= ?) AND r.status NOT IN ('draft', 'entered-in-error')"
        let rows = try await db.query(
            """
            SELECT r.id, r.requester_organization_id, r.owner_organization_id, r.service_id, r.need_category, r.status, r.outcome_code,
                   r.created_at, r.first_responded_at,
                   (SELECT MIN(v.updated_at) FROM referral_versions v WHERE v.id = r.id AND v.status IN \(acceptedStatuses)) AS accepted_at,
                   (SELECT MIN(v.updated_at) FROM referral_versions v WHERE v.id = r.id AND v.status IN \(finalStatuses)) AS closed_at
            FROM referrals r WHERE \(window)
            """, end, start, start)
        // Why each declined referral was declined, and which loops lapsed: from the ledger.
        var reasons: [String: DeclineReason] = [:], lapsed: Set<String> = []
        for row in try await db.query(
            """
            SELECT a.subject_id, a.kind, a.detail FROM referrals r
            JOIN activity a ON a.subject_type = 'referral' AND a.subject_id = r.id
            WHERE \(window) AND ((a.kind = 'referral.status-changed' AND r.status = 'rejected') OR a.kind = '\(ClimateLedger.loopLapsedKind)')
            """, end, start, start)
        {
            let id = row.string("subject_id")
            if row.string("kind") == ClimateLedger.loopLapsedKind { lapsed.insert(id); continue }
            let detail = JSONText.decode(row.optionalString("detail"))
            if detail["to"] == TaskStatus.rejected.rawValue, let code = detail["reasonCode"].flatMap(DeclineReason.init(rawValue:)) {
                reasons[id] = code
            }
        }
        return rows.compactMap { row in
            guard let need = row.optionalEnum("need_category", as: NeedCategory.self), let status = row.optionalEnum("status", as: TaskStatus.self)
            else { return nil }
            let id = row.string("id")
            return EvaluationFacts.ReferralFact(
                requester: row.id("requester_organization_id"), owner: row.optionalId("owner_organization_id"), service: row.optionalId("service_id"),
                need: need, sentAt: row.timestamp("created_at"), firstResponseAt: row.optionalTimestamp("first_responded_at"),
                acceptedAt: row.optionalTimestamp("accepted_at"), closedAt: status.isTerminal ? row.optionalTimestamp("closed_at") : nil,
                status: status, declineReason: reasons[id], outcome: row.optionalEnum("outcome_code"), lapsed: lapsed.contains(id))
        }
    }

    static func needFacts(_ db: any SQLConnection, _ from: CalendarDate, _ until: CalendarDate) async throws -> [EvaluationFacts.NeedFact] {
        let sent = "r.client_id = n.client_id AND r.status NOT IN ('draft', 'entered-in-error') AND \(referralNamesNeed)"
        return try await db.query(
            """
            SELECT n.organization_id, n.category, n.identified_on, n.status, n.closed_on, o.area, c.preferred_language,
                   (SELECT COUNT(*) FROM referrals r WHERE \(sent)) AS referred,
                   (SELECT COUNT(*) FROM referrals r WHERE \(sent) AND NOT \(referralFailed)) AS alive
            FROM needs n JOIN clients c ON c.id = n.client_id JOIN organizations o ON o.id = c.organization_id
            WHERE n.identified_on >= ? AND n.identified_on <= ?
            """, from.description, until.description
        ).compactMap { row in
            guard let category = row.optionalEnum("category", as: NeedCategory.self),
                let status = row.optionalEnum("status", as: IdentifiedNeed.Status.self),
                let identified = row.optionalString("identified_on").flatMap(CalendarDate.init)
            else { return nil }
            let referred = (row.optionalInt64("referred") ?? 0) > 0
            return EvaluationFacts.NeedFact(
                organization: row.id("organization_id"), category: category, identifiedOn: identified, status: status,
                closedOn: row.optionalString("closed_on").flatMap(CalendarDate.init), area: row.optionalString("area"),
                language: row.optionalString("preferred_language").map(LanguageNames.name(of:)), referred: referred,
                everyReferralFailed: referred && (row.optionalInt64("alive") ?? 0) == 0)
        }
    }

    static func experienceFacts(_ db: any SQLConnection, _ start: Timestamp, _ end: Timestamp) async throws -> [EvaluationFacts.ExperienceFact] {
        try await db.query(
            """
            SELECT e.organization_id, r.owner_organization_id, e.recorded_at, e.easy, e.need_met, e.would_use_again
            FROM client_experiences e JOIN referrals r ON r.id = e.referral_id WHERE e.recorded_at >= ? AND e.recorded_at < ?
            """, start, end
        ).compactMap { row in
            guard let easy = row.optionalEnum("easy", as: ClientExperience.Answer.self),
                let met = row.optionalEnum("need_met", as: ClientExperience.Answer.self),
                let again = row.optionalEnum("would_use_again", as: ClientExperience.Answer.self)
            else { return nil }
            return EvaluationFacts.ExperienceFact(
                organization: row.id("organization_id"), partner: row.optionalId("owner_organization_id"), recordedAt: row.timestamp("recorded_at"),
                easy: easy, needMet: met, wouldUseAgain: again)
        }
    }

    /// Answers of the rounds that closed in the window; respondents become numbers that last one report.
    static func surveyFacts(_ db: any SQLConnection, _ from: CalendarDate, _ until: CalendarDate) async throws -> [EvaluationFacts.SurveyFact] {
        var respondents: [String: Int] = [:]
        return try await db.query(
            """
            SELECT s.closes_on, a.respondent_id, a.respondent_organization_id, a.target_organization_id, a.item, a.score
            FROM survey_answers a JOIN survey_rounds s ON s.id = a.round_id WHERE s.closes_on >= ? AND s.closes_on <= ?
            """, from.description, until.description
        ).compactMap { row in
            guard let item = row.optionalEnum("item", as: SurveyItem.self), let closes = row.optionalString("closes_on").flatMap(CalendarDate.init)
            else { return nil }
            let key = row.string("respondent_id")
            let number = respondents[key] ?? respondents.count
            respondents[key] = number
            return EvaluationFacts.SurveyFact(
                closesOn: closes, respondent: number, respondentOrganization: row.id("respondent_organization_id"),
                about: row.id("target_organization_id"), item: item, score: row.int("score"))
        }
    }

    static func fundingFacts(_ db: any SQLConnection, _ from: CalendarDate, _ until: CalendarDate) async throws -> [FundingAgreement] {
        let parties = Dictionary(
            grouping: try await db.query("SELECT agreement_id, organization_id FROM funding_parties ORDER BY organization_id"),
            by: { $0.string("agreement_id") })
        return try await db.query(
            """
            SELECT id, title, purpose, amount_cents, currency, starts_on, ends_on, renewal, created_at, version FROM funding_agreements
            WHERE starts_on <= ? AND ends_on >= ?
            """, until.description, from.description
        ).compactMap { row in
            guard let starts = try? row.calendarDate("starts_on"), let ends = try? row.calendarDate("ends_on"),
                let renewal = row.optionalEnum("renewal", as: FundingAgreement.Renewal.self)
            else { return nil }
            return FundingAgreement(
                id: row.id("id"), title: row.string("title"), purpose: "", amountCents: row.int64("amount_cents"), currency: row.string("currency"),
                partyOrganizationIds: (parties[row.string("id")] ?? []).map { $0.id("organization_id") }, startsOn: starts, endsOn: ends,
                renewal: renewal, createdAt: row.timestamp("created_at"), version: row.int("version"))
        }
    }
}
