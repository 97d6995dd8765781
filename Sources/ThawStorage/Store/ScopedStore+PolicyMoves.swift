import ThawCore

extension PolicyMove.Kind: SQLBindable {}
extension PolicyNotice.Verdict: SQLBindable {}

/// Policy moves and the notice partners were given. The organisation that made
/// a move, and the organisations it affected, see it; nobody else does.
extension ScopedStore {
    /// Records a move: my organisation's, told to the partners it affects, or another's that
    /// affected mine (recorded with the day we were told). Either way it is one ledger entry
    /// whose verdict (advance notice, short notice, after the fact) counts for or against each pair.
    public func recordPolicyMove(_ input: NewPolicyMove) async throws -> PolicyMove {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording a policy move")
        let actor = self.actor, now = now(), today = calendar.day(of: now)
        try input.validate(today: today, recorder: actor.organizationId)
        let madeBy = input.madeByOrganizationId ?? actor.organizationId
        let affected = madeBy == actor.organizationId ? (input.affectedOrganizationIds ?? []).sorted() : [actor.organizationId]
        let announcedOn = input.announcedOn ?? today
        let move = PolicyMove(
            id: IDGenerator.make("pol"), organizationId: madeBy, kind: input.kind, title: input.title.trimmingWhitespace,
            summary: input.summary.trimmingWhitespace, effectiveOn: input.effectiveOn, announcedOn: announcedOn,
            noticeDays: input.noticeDays ?? PolicyNotice.defaultDays, affectedOrganizationIds: affected,
            recordedByOrganizationId: actor.organizationId, createdAt: now)
        return try await database.write { db in
            try await db.requireOrganization(madeBy, field: "madeByOrganizationId")
            for organization in affected { try await db.requireOrganization(organization, field: "affectedOrganizationIds") }
            try await db.execute(
                """
                INSERT INTO policy_moves (id, organization_id, title, summary, kind, effective_on, announced_on, notice_days, notice,
                                          recorded_by, recorded_by_organization_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, move.id, madeBy, move.title, move.summary, move.kind, move.effectiveOn, move.announcedOn, move.noticeDays,
                move.notice, actor.userId, actor.organizationId, now)
            for organization in affected {
                try await db.execute("INSERT INTO policy_move_parties (policy_move_id, organization_id) VALUES (?, ?)", move.id, organization)
            }
            var detail = [
                "policyMove": move.id.raw, PolicyNotice.detailKey: move.notice.rawValue, "effectiveOn": move.effectiveOn.description,
                "announcedOn": move.announcedOn.description
            ]
            // The mover addresses every organisation affected; an affected organisation recording another's
            // move names the mover as its counterpart.
            if madeBy == actor.organizationId { detail["with"] = affected.map(\.raw).joined(separator: ",") }
            try await db.append(
                LedgerRecord(
                    kind: ClimateLedger.policyMoveKind, subjectType: "policy-move", subjectId: move.id.raw,
                    counterpart: madeBy == actor.organizationId ? nil : madeBy, channel: .formal, detail: detail),
                by: actor, at: announcedOn == today ? now : announcedOn.startOfDay)
            return move
        }
    }

    /// The moves my organisation made or was affected by, latest effective first; with `other`,
    /// only those between my organisation and that one.
    public func policyMoves(with other: ID<Organization>? = nil) async throws -> [PolicyMove] {
        let mine = actor.organizationId
        return try await database.read { db in
            let rows = try await db.query(
                """
                SELECT \(PolicyMove.columns) FROM policy_moves
                WHERE id IN (SELECT policy_move_id FROM policy_move_parties WHERE organization_id = ?) OR organization_id = ?
                ORDER BY effective_on DESC, id
                """, mine, mine)
            var moves: [PolicyMove] = []
            for row in rows {
                let move = try await Self.policyMove(db, row)
                if let other, !(move.organizationId == other || move.affectedOrganizationIds.contains(other)) { continue }
                moves.append(move)
            }
            return moves
        }
    }

    /// The moves between two organisations (one made, the other affected), for people of either.
    public func policyMoves(between a: ID<Organization>, _ b: ID<Organization>) async throws -> [PolicyMove] {
        guard actor.organizationId == a || actor.organizationId == b else { throw ThawError.notFound("the policy moves of \(a) and \(b)") }
        return try await policyMoves(with: actor.organizationId == a ? b : a)
    }

    public func policyMove(_ id: ID<PolicyMove>) async throws -> PolicyMove {
        let mine = actor.organizationId
        return try await database.read { db in
            guard let row = try await db.first("SELECT \(PolicyMove.columns) FROM policy_moves WHERE id = ?", id) else {
                throw ThawError.notFound("policy move \(id)")
            }
            let move = try await Self.policyMove(db, row)
            guard move.organizationId == mine || move.affectedOrganizationIds.contains(mine) else { throw ThawError.notFound("policy move \(id)") }
            return move
        }
    }

    static func policyMove(_ db: any SQLConnection, _ row: SQLRow) async throws -> PolicyMove {
        let id: ID<PolicyMove> = row.id("id")
        let affected: [ID<Organization>] = try await db.query(
            "SELECT organization_id FROM policy_move_parties WHERE policy_move_id = ? ORDER BY organization_id", id
        ).map { $0.id("organization_id") }
        return PolicyMove(
            id: id, organizationId: row.id("organization_id"), kind: row.enumValue("kind"), title: row.string("title"),
            summary: row.string("summary"), effectiveOn: try row.calendarDate("effective_on"), announcedOn: try row.calendarDate("announced_on"),
            noticeDays: row.int("notice_days"), affectedOrganizationIds: affected,
            recordedByOrganizationId: row.id("recorded_by_organization_id"), createdAt: row.timestamp("created_at"))
    }
}

extension PolicyMove {
    static let columns =
        "id, organization_id, title, summary, kind, effective_on, announced_on, notice_days, recorded_by_organization_id, created_at"
}
