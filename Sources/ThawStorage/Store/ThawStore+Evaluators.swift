import ThawCore

/// The evaluator role's period. A network administrator grants it, to a user of any
/// organisation, from one day to another; outside that period the role gives nothing.
extension ThawStore {
    /// The evaluator role and its period for `user`: added, or its period changed.
    public func grantEvaluator(_ user: ID<User>, _ period: EvaluationPeriod, by actor: Actor) async throws -> User {
        try Administration.checkEvaluatorGrant(by: actor)
        let now = clock.now()
        return try await database.write { db in
            guard let row = try await db.first("SELECT \(User.columns) FROM users WHERE id = ?", user) else {
                throw ThawError.notFound("user \(user)")
            }
            var found = User(row: row)
            found.roles.insert(.evaluator)
            try await db.execute("UPDATE users SET roles = ? WHERE id = ?", found.roles.listText, user)
            try await Self.saveEvaluatorGrant(db, user: user, period, by: actor.userId, at: now)
            try await db.append(
                LedgerRecord(
                    kind: "user.evaluator-granted", subjectType: "user", subjectId: user.raw,
                    counterpart: found.organizationId == actor.organizationId ? nil : found.organizationId, channel: .system,
                    detail: ["from": period.from.description, "until": period.until.description]),
                actorUser: actor.userId, actorOrganization: actor.organizationId, at: now)
            return found
        }
    }

    /// Withdraws the evaluator role and its period.
    public func withdrawEvaluator(_ user: ID<User>, by actor: Actor) async throws {
        try Administration.checkEvaluatorGrant(by: actor)
        let now = clock.now()
        try await database.write { db in
            guard let row = try await db.first("SELECT \(User.columns) FROM users WHERE id = ?", user) else {
                throw ThawError.notFound("user \(user)")
            }
            var found = User(row: row)
            guard found.roles.contains(.evaluator) else { return }
            found.roles.remove(.evaluator)
            guard !found.roles.isEmpty else {
                throw ThawError.conflict(
                    code: "last-role", message: "evaluator is this user's only role: deactivate the user instead of withdrawing it")
            }
            try await db.execute("UPDATE users SET roles = ? WHERE id = ?", found.roles.listText, user)
            try await db.execute("DELETE FROM evaluator_grants WHERE user_id = ?", user)
            try await db.append(
                LedgerRecord(
                    kind: "user.evaluator-withdrawn", subjectType: "user", subjectId: user.raw,
                    counterpart: found.organizationId == actor.organizationId ? nil : found.organizationId, channel: .system, detail: [:]),
                actorUser: actor.userId, actorOrganization: actor.organizationId, at: now)
        }
    }

    /// The evaluator period of a user, if one was granted.
    public func evaluatorPeriod(_ user: ID<User>) async throws -> EvaluationPeriod? {
        try await database.read { db in
            try await db.first("SELECT from_on, until_on FROM evaluator_grants WHERE user_id = ?", user).flatMap(Self.period(from:))
        }
    }

    static func saveEvaluatorGrant(_ db: any SQLConnection, user: ID<User>, _ period: EvaluationPeriod, by granter: ID<User>?, at now: Timestamp)
        async throws
    {
        try await db.execute("DELETE FROM evaluator_grants WHERE user_id = ?", user)
        try await db.execute(
            "INSERT INTO evaluator_grants (user_id, from_on, until_on, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)", user,
            period.from.description, period.until.description, granter?.raw ?? "thaw", now)
    }

    static func period(from row: SQLRow) -> EvaluationPeriod? {
        guard let from = row.optionalString("from_on").flatMap(CalendarDate.init),
            let until = row.optionalString("until_on").flatMap(CalendarDate.init)
        else { return nil }
        return try? EvaluationPeriod(from: from, until: until)
    }
}

extension ThawStore {
    /// The principal of an active user, found by email, for the command line acting as them
    /// (an evaluator's role counts only in its period, as when they sign in).
    public func principal(email: String) async throws -> Principal? {
        let now = clock.now()
        return try await database.read { db in
            try await db.first(
                """
                SELECT u.id, u.organization_id, u.email, u.display_name, u.roles, u.active, u.created_at, u.language,
                       o.id AS org_id, o.name AS org_name, o.sector, o.alignment, o.parent_id, o.area,
                       o.created_at AS org_created_at, o.time_zone AS org_time_zone, g.from_on, g.until_on
                FROM users u JOIN organizations o ON o.id = u.organization_id LEFT JOIN evaluator_grants g ON g.user_id = u.id
                WHERE u.email = ? AND u.active = 1
                """, email.lowercased().trimmingWhitespace
            ).map { Self.principal(from: $0, at: now) }
        }
    }
}
