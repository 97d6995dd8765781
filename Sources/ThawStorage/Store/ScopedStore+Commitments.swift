import ThawCore

extension Commitment.Status: SQLBindable {}
extension Commitment.Context: SQLBindable {}

/// Commitments between organisations. The promising organisation records and
/// updates them; both parties see them. An open commitment whose due date has
/// passed is marked missed by `markMissedCommitments`, which the server runs on
/// a schedule and every list runs first, so no one sees a stale "open".
extension ScopedStore {
    public func createCommitment(_ input: NewCommitment) async throws -> Commitment {
        let actor = self.actor, now = now()
        try input.validate(today: CalendarDate(now))
        guard input.toOrganizationId != actor.organizationId else {
            throw ThawError.unprocessable("toOrganizationId", "other-organization", "a commitment is made to another organisation")
        }
        let commitment = Commitment(
            id: IDGenerator.make("cmt"), organizationId: actor.organizationId, personId: input.personId ?? actor.userId,
            toOrganizationId: input.toOrganizationId, what: input.what.trimmingWhitespace, context: input.context,
            contextId: input.contextId, dueOn: input.dueOn, createdAt: now, updatedAt: now)
        return try await database.write { db in
            try await db.requireOrganization(input.toOrganizationId, field: "toOrganizationId")
            if let person = input.personId,
                try await db.first("SELECT id FROM users WHERE id = ? AND organization_id = ?", person, actor.organizationId) == nil
            {
                throw ThawError.unprocessable("personId", "same-organization", "the person who promises belongs to the promising organisation")
            }
            try await db.execute(
                """
                INSERT INTO commitments (id, organization_id, person_id, to_organization_id, what, context, context_id, due_on, status,
                                         renegotiations, created_by, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, ?, 1)
                """, commitment.id, actor.organizationId, commitment.personId, commitment.toOrganizationId, commitment.what,
                commitment.context, commitment.contextId, commitment.dueOn, actor.userId, now, now)
            try await db.append(
                LedgerRecord(
                    kind: "commitment.made", subjectType: "commitment", subjectId: commitment.id.raw,
                    counterpart: commitment.toOrganizationId, channel: input.channel,
                    detail: ["dueOn": commitment.dueOn.description, "context": commitment.context.rawValue]),
                by: actor, at: now)
            return commitment
        }
    }

    /// Keep (with evidence), renegotiate (new date) or withdraw; by the promising organisation, with the version it read.
    public func changeCommitment(_ id: ID<Commitment>, _ change: CommitmentChange, expectedVersion: Int) async throws -> Commitment {
        let actor = self.actor, now = now()
        return try await database.write { db in
            var commitment = try await Self.visibleCommitment(db, id, actor: actor)
            guard commitment.organizationId == actor.organizationId else {
                throw ThawError.forbidden("only the organisation that made a commitment updates it")
            }
            guard commitment.version == expectedVersion else {
                throw ThawError.preconditionFailed("the commitment changed since you read it (now version \(commitment.version))")
            }
            try change.check(commitment, today: CalendarDate(now))
            change.apply(to: &commitment, at: now)
            let rows = try await db.execute(
                """
                UPDATE commitments SET status = ?, due_on = ?, evidence = ?, reason = ?, renegotiations = ?, updated_at = ?, version = ?
                WHERE id = ? AND version = ?
                """, commitment.status, commitment.dueOn, commitment.evidence, commitment.reason, commitment.renegotiations, now,
                commitment.version, id, expectedVersion)
            guard rows == 1 else { throw ThawError.preconditionFailed("the commitment changed since you read it") }
            var detail = ["status": commitment.status.rawValue]
            if case .renegotiate(let due, _) = change { detail["dueOn"] = due.description }
            try await db.append(
                LedgerRecord(
                    kind: change.kind, subjectType: "commitment", subjectId: id.raw,
                    counterpart: commitment.toOrganizationId, channel: .formal, detail: detail), by: actor, at: now)
            return commitment
        }
    }

    /// Commitments my organisation made or received, soonest due first.
    public func commitments() async throws -> [Commitment] {
        _ = try await store.markMissedCommitments()
        let actor = self.actor
        return try await database.read { db in
            try await db.query(
                """
                SELECT \(Commitment.columns) FROM commitments WHERE organization_id = ? OR to_organization_id = ?
                ORDER BY due_on, id
                """, actor.organizationId, actor.organizationId
            ).map(Commitment.init(row:))
        }
    }

    /// Open commitments of my organisation due within `days`: the reminders.
    public func commitmentsDueSoon(days: Int = 7) async throws -> [Commitment] {
        let actor = self.actor, today = CalendarDate(now())
        let until = CalendarDate(today.startOfDay.adding(days: days))
        return try await database.read { db in
            try await db.query(
                """
                SELECT \(Commitment.columns) FROM commitments WHERE organization_id = ? AND status = 'open' AND due_on >= ? AND due_on <= ?
                ORDER BY due_on, id
                """, actor.organizationId, today, until
            ).map(Commitment.init(row:))
        }
    }

    static func visibleCommitment(_ db: any SQLConnection, _ id: ID<Commitment>, actor: Actor) async throws -> Commitment {
        guard
            let row = try await db.first(
                "SELECT \(Commitment.columns) FROM commitments WHERE id = ? AND (organization_id = ? OR to_organization_id = ?)",
                id, actor.organizationId, actor.organizationId)
        else { throw ThawError.notFound("commitment \(id)") }
        return try Commitment(row: row)
    }
}

extension ThawStore {
    /// Marks every open commitment whose due date has passed as missed, each
    /// with a ledger entry dated the day after it fell due. Safe to run often
    /// and from several processes: a row is marked once.
    @discardableResult
    public func markMissedCommitments() async throws -> Int {
        let now = clock.now(), today = CalendarDate(now)
        return try await database.write { db in
            let overdue = try await db.query("SELECT \(Commitment.columns) FROM commitments WHERE status = 'open' AND due_on < ?", today)
                .map(Commitment.init(row:))
            var marked = 0
            for commitment in overdue {
                let rows = try await db.execute(
                    """
                    UPDATE commitments SET status = 'missed', updated_at = ?, version = version + 1 WHERE id = ? AND status = 'open'
                    """, now, commitment.id)
                guard rows == 1 else { continue }
                marked += 1
                try await db.append(
                    LedgerRecord(
                        kind: "commitment.missed", subjectType: "commitment", subjectId: commitment.id.raw,
                        counterpart: commitment.toOrganizationId, channel: .formal,
                        detail: ["dueOn": commitment.dueOn.description]),
                    actorUser: nil, actorOrganization: commitment.organizationId, at: commitment.dueOn.startOfDay.adding(days: 1))
            }
            return marked
        }
    }
}

extension Commitment {
    static let columns = """
        id, organization_id, person_id, to_organization_id, what, context, context_id, due_on, status, evidence, reason,
        renegotiations, created_at, updated_at, version
        """
    init(row: SQLRow) throws {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), personId: row.optionalId("person_id"),
            toOrganizationId: row.id("to_organization_id"), what: row.string("what"), context: row.enumValue("context"),
            contextId: row.optionalString("context_id"), dueOn: try row.calendarDate("due_on"), status: row.enumValue("status"),
            evidence: row.optionalString("evidence"), reason: row.optionalString("reason"), renegotiations: row.int("renegotiations"),
            createdAt: row.timestamp("created_at"), updatedAt: row.timestamp("updated_at"), version: row.int("version"))
    }
}
