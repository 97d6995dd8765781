import ThawCore

extension ScopedStore {
    /// Records a follow-up on a referral this organisation sent, and moves the referral's
    /// follow-up date to the next one it names (none: no further follow-up planned). The
    /// referral's version moves with its follow-up date, so an edit made from an older page is refused.
    public func recordFollowUp(referral id: ID<Referral>, _ input: NewFollowUp) async throws -> (FollowUp, Referral) {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "recording a follow-up")
        let actor = self.actor, now = now()
        let (followUp, referral) = try await database.write { db in
            var (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .requester else { throw ThawError.forbidden("only the referring organisation keeps the follow-up log") }
            guard referral.status != .draft, referral.status != .enteredInError else {
                throw ThawError.conflict(code: referral.status.rawValue, message: "a \(referral.status.rawValue) referral has no follow-up")
            }
            try input.validate(referral: referral, now: now)
            let followUp = FollowUp(
                id: IDGenerator.make("fup", createdAt: now), referralId: id, clientId: referral.clientId,
                organizationId: actor.organizationId, userId: actor.userId, happenedAt: input.happenedAt ?? now,
                method: input.method, party: input.party, result: input.result, note: input.note?.trimmingWhitespace.nonEmpty,
                nextFollowUpDue: referral.status.isTerminal ? nil : input.nextFollowUpDue, recordedAt: now)
            try await db.execute(
                """
                INSERT INTO follow_ups (id, referral_id, client_id, organization_id, user_id, happened_at, method, party, result,
                    note, next_due, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, followUp.id, id, referral.clientId, actor.organizationId, actor.userId, followUp.happenedAt, followUp.method,
                followUp.party, followUp.result, followUp.note, followUp.nextFollowUpDue, now)
            if !referral.status.isTerminal {
                let expected = referral.version
                referral.followUpDue = followUp.nextFollowUpDue
                referral.touch(at: now)
                let changed = try await db.execute(
                    "UPDATE referrals SET follow_up_due = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?",
                    referral.followUpDue, now, referral.version, id, expected)
                guard changed == 1 else { throw Self.stale(id) }
            }
            var detail = [
                "followUp": followUp.id.raw, "method": input.method.rawValue, "party": input.party.rawValue, "result": input.result.rawValue
            ]
            if let next = followUp.nextFollowUpDue { detail["nextFollowUpDue"] = next.description }
            // A follow-up with the partner is a contact between the two organisations; one with the client is not.
            try await db.append(
                LedgerRecord(
                    kind: "referral.followed-up", subjectType: "referral", subjectId: id.raw,
                    counterpart: input.party == .partner ? referral.ownerOrganizationId : nil, channel: .referral, detail: detail),
                by: actor, at: now)
            try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "follow-up", subjectId: followUp.id.raw, at: now)
            return (followUp, referral)
        }
        return (followUp, published(referral))
    }

    /// The follow-up log of a referral this organisation sent, oldest first. The partner does not
    /// see it: it is the referring side's working record, and its notes may say more than the
    /// client's consent lets a partner read.
    public func followUps(referral id: ID<Referral>) async throws -> [FollowUp] {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "reading a follow-up log")
        let actor = self.actor, now = now()
        let (client, log) = try await database.read { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .requester else { throw ThawError.forbidden("only the referring organisation keeps the follow-up log") }
            let columns = FollowUp.columns.split(separator: ",").map { "f." + String($0).trimmingWhitespace }.joined(separator: ", ")
            let log = try await db.query(
                """
                SELECT \(columns), u.display_name FROM follow_ups f LEFT JOIN users u ON u.id = f.user_id
                WHERE f.referral_id = ? ORDER BY f.happened_at, f.id
                """, id
            ).map { row in
                var followUp = FollowUp(row: row)
                followUp.userName = row.optionalString("display_name")
                return followUp
            }
            return (referral.clientId, log)
        }
        try await auditRead(client: client, subjectType: "follow-ups", subjectId: id.raw, at: now)
        return log
    }
}
