import ThawCore

extension Commitment.Status: SQLBindable {}
extension Commitment.Context: SQLBindable {}

/// Commitments between organisations. The promising organisation records and
/// updates them, the organisation promised judges them; both see them. An open
/// commitment whose due date has passed is marked missed (`markMissedCommitments`),
/// and one marked kept and left undisputed for two weeks is kept
/// (`confirmUndisputedCommitments`): the server runs both on a schedule and every
/// list runs them first, so no one sees a stale status.
extension ScopedStore {
    /// Records a promise; made to several organisations, one commitment to each (the first is returned;
    /// `createCommitments` returns them all).
    public func createCommitment(_ input: NewCommitment) async throws -> Commitment {
        guard let first = try await createCommitments(input).first else {
            throw ThawError.invalid("toOrganizationId", "required", "name the organisation promised")
        }
        return first
    }

    /// Records a promise to each organisation it is made to, sharing a group id when there are several.
    public func createCommitments(_ input: NewCommitment) async throws -> [Commitment] {
        let actor = self.actor, now = now()
        try input.validate(today: calendar.day(of: now))
        guard !input.recipients.contains(actor.organizationId) else {
            throw ThawError.unprocessable("toOrganizationId", "other-organization", "a commitment is made to another organisation")
        }
        let group: String? = input.recipients.count > 1 ? (IDGenerator.make("cmg") as ID<Commitment>).raw : nil
        let commitments = input.recipients.map { recipient in
            Commitment(
                id: IDGenerator.make("cmt"), organizationId: actor.organizationId, personId: input.personId ?? actor.userId,
                toOrganizationId: recipient, what: input.what.trimmingWhitespace, context: input.context,
                contextId: input.contextId, dueOn: input.dueOn, groupId: group, createdAt: now, updatedAt: now)
        }
        return try await database.write { db in
            for (index, recipient) in input.recipients.enumerated() {
                try await db.requireOrganization(recipient, field: index == 0 ? "toOrganizationId" : "alsoToOrganizationIds")
            }
            if let person = input.personId,
                try await db.first("SELECT id FROM users WHERE id = ? AND organization_id = ?", person, actor.organizationId) == nil
            {
                throw ThawError.unprocessable("personId", "same-organization", "the person who promises belongs to the promising organisation")
            }
            for commitment in commitments {
                try await db.execute(
                    """
                    INSERT INTO commitments (id, organization_id, person_id, to_organization_id, what, context, context_id, due_on, status,
                                             renegotiations, group_id, created_by, created_at, updated_at, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, ?, ?, ?, ?, 1)
                    """, commitment.id, actor.organizationId, commitment.personId, commitment.toOrganizationId, commitment.what,
                    commitment.context, commitment.contextId, commitment.dueOn, group, actor.userId, now, now)
                try await db.append(
                    LedgerRecord(
                        kind: "commitment.made", subjectType: "commitment", subjectId: commitment.id.raw,
                        counterpart: commitment.toOrganizationId, channel: input.channel,
                        detail: ["dueOn": commitment.dueOn.description, "context": commitment.context.rawValue]),
                    by: actor, at: now)
            }
            return commitments
        }
    }

    /// A change by the promising organisation (keep, renegotiate, withdraw) or by the organisation promised
    /// (confirm or dispute a keep, agree to or decline a new date), with the version it read.
    public func changeCommitment(_ id: ID<Commitment>, _ change: CommitmentChange, expectedVersion: Int) async throws -> Commitment {
        let actor = self.actor, now = now()
        return try await database.write { db in
            var commitment = try await Self.visibleCommitment(db, id, actor: actor)
            if change.byRecipient {
                guard commitment.toOrganizationId == actor.organizationId else {
                    throw ThawError.forbidden("only the organisation a commitment was made to judges whether it was kept")
                }
            } else {
                guard commitment.organizationId == actor.organizationId else {
                    throw ThawError.forbidden("only the organisation that made a commitment updates it")
                }
            }
            guard commitment.version == expectedVersion else {
                throw ThawError.preconditionFailed("the commitment changed since you read it (now version \(commitment.version))")
            }
            try change.check(commitment, today: calendar.day(of: now))
            change.apply(to: &commitment, at: now)
            let rows = try await db.execute(
                """
                UPDATE commitments SET status = ?, due_on = ?, evidence = ?, reason = ?, renegotiations = ?, kept_marked_at = ?,
                                       proposed_due_on = ?, proposed_reason = ?, updated_at = ?, version = ?
                WHERE id = ? AND version = ?
                """, commitment.status, commitment.dueOn, commitment.evidence, commitment.reason, commitment.renegotiations,
                commitment.keptMarkedAt, commitment.proposedDueOn, commitment.proposedReason, now, commitment.version, id, expectedVersion)
            guard rows == 1 else { throw ThawError.preconditionFailed("the commitment changed since you read it") }
            var detail = ["status": commitment.status.rawValue]
            switch change {
            case .renegotiate(let due, _): detail["proposedDueOn"] = due.description
            case .agree: detail["dueOn"] = commitment.dueOn.description
            case .confirm: detail["confirmedBy"] = "recipient"
            default: break
            }
            let other = change.byRecipient ? commitment.organizationId : commitment.toOrganizationId
            try await db.append(
                LedgerRecord(
                    kind: change.kind, subjectType: "commitment", subjectId: id.raw, counterpart: other, channel: .formal, detail: detail),
                by: actor, at: now)
            return commitment
        }
    }

    /// Commitments my organisation made or received, soonest due first.
    public func commitments() async throws -> [Commitment] {
        _ = try await store.markMissedCommitments()
        _ = try await store.confirmUndisputedCommitments()
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
        let actor = self.actor, today = calendar.day(of: now())
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
    /// Commitments marked kept that the organisation promised has neither confirmed nor disputed
    /// within `Commitment.confirmationDays`: kept, each with a `commitment.kept` entry in the
    /// recipient's name dated when its time to dispute ran out. Safe to run often and from several processes.
    @discardableResult
    public func confirmUndisputedCommitments() async throws -> Int {
        let now = clock.now()
        let cutoff = now.adding(days: -Commitment.confirmationDays)
        return try await database.write { db in
            let waiting = try await db.query(
                "SELECT \(Commitment.columns) FROM commitments WHERE status = 'awaiting-confirmation' AND kept_marked_at <= ?", cutoff
            ).map(Commitment.init(row:))
            var confirmed = 0
            for commitment in waiting {
                let rows = try await db.execute(
                    """
                    UPDATE commitments SET status = 'kept', updated_at = ?, version = version + 1 WHERE id = ? AND status = 'awaiting-confirmation'
                    """, now, commitment.id)
                guard rows == 1, let marked = commitment.keptMarkedAt else { continue }
                confirmed += 1
                try await db.append(
                    LedgerRecord(
                        kind: "commitment.kept", subjectType: "commitment", subjectId: commitment.id.raw, counterpart: commitment.organizationId,
                        channel: .formal, detail: ["status": "kept", "confirmedBy": "no-dispute"]),
                    actorUser: nil, actorOrganization: commitment.toOrganizationId, at: marked.adding(days: Commitment.confirmationDays))
            }
            return confirmed
        }
    }

    /// Marks every open commitment whose due date has passed as missed, each
    /// with a ledger entry dated the day after it fell due (a new date only
    /// proposed does not count). Safe to run often and from several processes:
    /// a row is marked once.
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
        renegotiations, kept_marked_at, proposed_due_on, proposed_reason, group_id, created_at, updated_at, version
        """
    init(row: SQLRow) throws {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), personId: row.optionalId("person_id"),
            toOrganizationId: row.id("to_organization_id"), what: row.string("what"), context: row.enumValue("context"),
            contextId: row.optionalString("context_id"), dueOn: try row.calendarDate("due_on"), status: row.enumValue("status"),
            evidence: row.optionalString("evidence"), reason: row.optionalString("reason"), renegotiations: row.int("renegotiations"),
            keptMarkedAt: row.optionalTimestamp("kept_marked_at"), proposedDueOn: row.date("proposed_due_on"),
            proposedReason: row.optionalString("proposed_reason"), groupId: row.optionalString("group_id"), createdAt: row.timestamp("created_at"),
            updatedAt: row.timestamp("updated_at"), version: row.int("version"))
    }
}
