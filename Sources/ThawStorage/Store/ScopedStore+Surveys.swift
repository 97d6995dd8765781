import ThawCore

extension SurveyItem: SQLBindable {}

/// Pulse surveys. A partnership lead schedules a round among participant
/// organisations; people of those organisations rate each other partner once
/// per round; results come out only as aggregates of at least three
/// respondents, and no call returns an individual's answers.
extension ScopedStore {
    public func scheduleSurvey(_ input: NewSurveyRound) async throws -> SurveyRound {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "scheduling a survey round")
        try input.validate(convener: actor.organizationId)
        let actor = self.actor, now = now()
        var participants = Set(input.participantOrganizationIds)
        participants.insert(actor.organizationId)
        let round = SurveyRound(
            id: IDGenerator.make("srv"), title: input.title.trimmingWhitespace, organizationId: actor.organizationId,
            participantOrganizationIds: participants.sorted(), opensOn: input.opensOn, closesOn: input.closesOn, createdAt: now)
        return try await database.write { db in
            try await db.execute(
                """
                INSERT INTO survey_rounds (id, title, organization_id, opens_on, closes_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, round.id, round.title, actor.organizationId, round.opensOn, round.closesOn, actor.userId, now)
            for org in round.participantOrganizationIds {
                try await db.requireOrganization(org, field: "participantOrganizationIds")
                try await db.execute("INSERT INTO survey_participants (round_id, organization_id) VALUES (?, ?)", round.id, org)
            }
            try await db.append(
                LedgerRecord(
                    kind: "survey.scheduled", subjectType: "survey", subjectId: round.id.raw, counterpart: nil,
                    channel: .formal, detail: ["closesOn": round.closesOn.description]), by: actor, at: now)
            return round
        }
    }

    /// Rounds my organisation takes part in, newest first.
    public func surveys() async throws -> [SurveyRound] {
        let actor = self.actor
        return try await database.read { db in
            var rounds: [SurveyRound] = []
            for row in try await db.query(
                """
                SELECT r.id FROM survey_rounds r JOIN survey_participants p ON p.round_id = r.id WHERE p.organization_id = ?
                ORDER BY r.opens_on DESC, r.id
                """, actor.organizationId)
            {
                rounds.append(try await Self.visibleRound(db, row.id("id"), actor: actor))
            }
            return rounds
        }
    }

    /// My ratings of one partner organisation in a round: once, while the round is open.
    public func answerSurvey(_ id: ID<SurveyRound>, about target: ID<Organization>, _ answers: [SurveyItem: Int]) async throws {
        try SurveyItem.check(answers)
        let actor = self.actor, now = now()
        try await database.write { db in
            let round = try await Self.visibleRound(db, id, actor: actor)
            guard round.isOpen(on: calendar.day(of: now)) else {
                throw ThawError.conflict(code: "survey-closed", message: "this round is open from \(round.opensOn) to \(round.closesOn)")
            }
            guard target != actor.organizationId, round.participantOrganizationIds.contains(target) else {
                throw ThawError.unprocessable("organizationId", "partner", "rate a partner organisation taking part in this round, not your own")
            }
            guard
                try await db.first(
                    "SELECT 1 AS x FROM survey_answers WHERE round_id = ? AND respondent_id = ? AND target_organization_id = ? LIMIT 1",
                    id, actor.userId, target) == nil
            else {
                throw ThawError.conflict(code: "already-answered", message: "you have already rated this organisation in this round")
            }
            do {
                for (item, score) in answers {
                    try await db.execute(
                        """
                        INSERT INTO survey_answers (round_id, respondent_id, respondent_organization_id, target_organization_id, item, score, answered_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, id, actor.userId, actor.organizationId, target, item, score, now)
                }
            } catch let error as SQLError where error.kind == .uniqueViolation {
                // Two submits raced past the check above; the key lets only one in.
                throw ThawError.conflict(code: "already-answered", message: "you have already rated this organisation in this round")
            }
            // The ledger records that an answer was given, never its scores.
            try await db.append(
                LedgerRecord(
                    kind: "survey.answered", subjectType: "survey", subjectId: id.raw, counterpart: target,
                    channel: .formal), by: actor, at: now)
        }
    }

    /// Aggregates per rated organisation, each suppressed below three respondents; and the response rate.
    public func surveyResults(_ id: ID<SurveyRound>) async throws -> (results: [SurveyResult], respondents: Int, eligible: Int) {
        let actor = self.actor
        return try await database.read { db in
            let round = try await Self.visibleRound(db, id, actor: actor)
            var results: [SurveyResult] = []
            for org in round.participantOrganizationIds {
                let respondents =
                    try await db.query(
                        """
                        SELECT COUNT(DISTINCT respondent_id) AS n FROM survey_answers WHERE round_id = ? AND target_organization_id = ?
                        """, id, org
                    ).first?.int("n") ?? 0
                var means: [SurveyItem: Double] = [:]
                let suppressed = respondents < SurveyItem.minimumRespondents
                if !suppressed {
                    for row in try await db.query(
                        """
                        SELECT item, SUM(score) AS total, COUNT(*) AS n FROM survey_answers WHERE round_id = ? AND target_organization_id = ?
                        GROUP BY item
                        """, id, org)
                    {
                        // Items answered by fewer than three people stay hidden too.
                        guard row.int("n") >= SurveyItem.minimumRespondents, let item = SurveyItem(rawValue: row.string("item")) else { continue }
                        means[item] = Double(row.int64("total")) / Double(row.int("n"))
                    }
                }
                results.append(SurveyResult(organizationId: org, respondents: respondents, means: means, suppressed: suppressed))
            }
            let respondents =
                try await db.query("SELECT COUNT(DISTINCT respondent_id) AS n FROM survey_answers WHERE round_id = ?", id).first?.int("n") ?? 0
            let placeholders = round.participantOrganizationIds.map { _ in "?" }.joined(separator: ",")
            let eligible =
                try await db.query(
                    "SELECT COUNT(*) AS n FROM users WHERE active = 1 AND organization_id IN (\(placeholders))",
                    round.participantOrganizationIds.map(\.sqlValue)
                ).first?.int("n") ?? 0
            return (results, respondents, eligible)
        }
    }

    /// The organisations I have already rated in a round.
    public func organizationsIRated(_ id: ID<SurveyRound>) async throws -> Set<ID<Organization>> {
        let actor = self.actor
        return try await database.read { db in
            _ = try await Self.visibleRound(db, id, actor: actor)
            return Set(
                try await db.query(
                    "SELECT DISTINCT target_organization_id FROM survey_answers WHERE round_id = ? AND respondent_id = ?", id, actor.userId
                ).map { $0.id("target_organization_id") as ID<Organization> })
        }
    }

    /// Open rounds in which I have not yet rated every partner: the reminders.
    public func pendingSurveys() async throws -> [SurveyRound] {
        let actor = self.actor, today = calendar.day(of: now())
        var pending: [SurveyRound] = []
        for round in try await surveys() where round.isOpen(on: today) {
            let rated = try await database.read { db in
                try await db.query(
                    "SELECT COUNT(DISTINCT target_organization_id) AS n FROM survey_answers WHERE round_id = ? AND respondent_id = ?",
                    round.id, actor.userId
                ).first?.int("n") ?? 0
            }
            if rated < round.participantOrganizationIds.count - 1 { pending.append(round) }
        }
        return pending
    }

    static func visibleRound(_ db: any SQLConnection, _ id: ID<SurveyRound>, actor: Actor) async throws -> SurveyRound {
        guard let row = try await db.first("SELECT id, title, organization_id, opens_on, closes_on, created_at FROM survey_rounds WHERE id = ?", id)
        else {
            throw ThawError.notFound("survey round \(id)")
        }
        let participants: [ID<Organization>] = try await db.query(
            "SELECT organization_id FROM survey_participants WHERE round_id = ? ORDER BY organization_id", id
        )
        .map { $0.id("organization_id") }
        guard participants.contains(actor.organizationId) else { throw ThawError.notFound("survey round \(id)") }
        return SurveyRound(
            id: id, title: row.string("title"), organizationId: row.id("organization_id"), participantOrganizationIds: participants,
            opensOn: try row.calendarDate("opens_on"), closesOn: try row.calendarDate("closes_on"),
            createdAt: row.timestamp("created_at"))
    }
}
