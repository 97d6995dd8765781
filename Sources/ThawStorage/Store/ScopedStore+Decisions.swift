import Foundation
import ThawCore

/// Decisions of a committee: a motion, one vote per current member
/// organisation, and a tally under the committee's rule once it is closed.
extension ScopedStore {
    /// Puts a motion; `revives` links it to a motion that failed before (in this committee or another the
    /// organisation sat on), which is perseverance: the ledger records it as the motion brought back.
    public func proposeDecision(
        _ committee: ID<Committee>, motion: String, meeting: ID<Meeting>? = nil, revives: ID<Decision>? = nil
    ) async throws -> Decision {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "putting a motion")
        var v = Validator()
        v.requireText(motion, "motion", maxLength: 4000)
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            let found = try await Self.memberCommittee(db, committee, actor: actor, currentOnly: true)
            if let meeting, try await db.first("SELECT id FROM meetings WHERE id = ? AND committee_id = ?", meeting, committee) == nil {
                throw ThawError.unprocessable("meetingId", "exists", "no meeting \(meeting) of this committee")
            }
            if let revives {
                let earlier: Decision
                do { earlier = try await Self.visibleDecision(db, revives, actor: actor) } catch ThawError.notFound {
                    throw ThawError.unprocessable("revivesDecisionId", "exists", "no motion \(revives) your organisation can see")
                }
                guard earlier.status == .failed else {
                    throw ThawError.unprocessable("revivesDecisionId", "failed", "only a motion that failed can be brought back")
                }
            }
            let decision = Decision(
                id: IDGenerator.make("dec"), committeeId: committee, meetingId: meeting, motion: motion.trimmingWhitespace,
                decisionRule: found.decisionRule, status: .open, tally: nil, openedAt: now, decidedAt: nil, votes: [], revivesDecisionId: revives)
            try await db.execute(
                """
                INSERT INTO decisions (id, committee_id, meeting_id, motion, decision_rule, status, proposed_by, opened_at, revives_decision_id)
                VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """, decision.id, committee, meeting, decision.motion, found.decisionRule, actor.userId, now, revives)
            var detail = ["decision": decision.id.raw, "with": try await Self.otherMembers(db, committee, actor: actor)]
            if let revives { detail["revives"] = revives.raw }
            try await db.append(
                LedgerRecord(
                    kind: revives == nil ? "decision.proposed" : ClimateLedger.revivedKind, subjectType: "committee", subjectId: committee.raw,
                    counterpart: nil, channel: .formal, detail: detail),
                by: actor, at: now)
            return decision
        }
    }

    /// Casts my organisation's vote. Only current member organisations vote, once each, while the motion is open.
    public func vote(_ decision: ID<Decision>, _ choice: VoteChoice) async throws -> Decision {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "voting")
        let actor = self.actor, now = now()
        return try await database.write { db in
            var found = try await Self.visibleDecision(db, decision, actor: actor)
            guard found.status == .open else {
                throw ThawError.conflict(code: "decision-closed", message: "this motion was already decided (\(found.status.rawValue))")
            }
            let members = try await Self.members(db, found.committeeId)
            guard members.contains(where: { $0.organizationId == actor.organizationId && $0.isCurrent }) else {
                throw ThawError.forbidden("only current member organisations vote; yours is not one")
            }
            guard !found.votes.contains(where: { $0.organizationId == actor.organizationId }) else {
                throw ThawError.conflict(code: "already-voted", message: "your organisation has already voted on this motion")
            }
            do {
                try await db.execute(
                    "INSERT INTO votes (decision_id, organization_id, choice, user_id, cast_at) VALUES (?, ?, ?, ?, ?)",
                    decision, actor.organizationId, choice, actor.userId, now)
            } catch let error as SQLError where error.kind == .uniqueViolation {
                throw ThawError.conflict(code: "already-voted", message: "your organisation has already voted on this motion")
            }
            try await db.append(
                LedgerRecord(
                    kind: "decision.vote", subjectType: "committee", subjectId: found.committeeId.raw, counterpart: nil,
                    channel: .formal,
                    detail: [
                        "decision": decision.raw, "choice": choice.rawValue,
                        "with": try await Self.otherMembers(db, found.committeeId, actor: actor)
                    ]), by: actor, at: now)
            found.votes.append(.init(organizationId: actor.organizationId, choice: choice, userId: actor.userId, castAt: now))
            return found
        }
    }

    /// Closes the vote: counts it under the rule the motion was put under, against the current members.
    public func closeDecision(_ decision: ID<Decision>) async throws -> Decision {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "closing a vote")
        let actor = self.actor, now = now()
        return try await database.write { db in
            var found = try await Self.visibleDecision(db, decision, actor: actor)
            guard found.status == .open else {
                throw ThawError.conflict(code: "decision-closed", message: "this motion was already decided (\(found.status.rawValue))")
            }
            let committee = try await Self.memberCommittee(db, found.committeeId, actor: actor, currentOnly: true)
            let members = Dictionary(
                uniqueKeysWithValues: try await Self.members(db, committee.id).filter(\.isCurrent).map { ($0.organizationId, $0.sector) })
            let votes = Dictionary(uniqueKeysWithValues: found.votes.map { ($0.organizationId, $0.choice) })
            let tally = try DecisionTally.count(
                rule: found.decisionRule, members: members, votes: votes, quorum: min(committee.quorum, members.count))
            found.status = tally.passed ? .passed : .failed
            found.tally = tally
            found.decidedAt = now
            let encoded = String(decoding: try JSONEncoder().encode(tally), as: UTF8.self)
            try await db.execute(
                "UPDATE decisions SET status = ?, tally = ?, decided_at = ? WHERE id = ? AND status = 'open'",
                found.status, encoded, now, decision)
            try await db.append(
                LedgerRecord(
                    kind: "decision.\(found.status.rawValue)", subjectType: "committee", subjectId: committee.id.raw,
                    counterpart: nil, channel: .formal,
                    detail: [
                        "decision": decision.raw, "explanation": tally.explanation,
                        "with": try await Self.otherMembers(db, committee.id, actor: actor)
                    ]), by: actor, at: now)
            return found
        }
    }

    /// Motions that failed in the committees my organisation sits (or sat) on, newest first: what may be brought back.
    public func failedMotions() async throws -> [Decision] {
        let actor = self.actor
        return try await database.read { db in
            var decisions: [Decision] = []
            for row in try await db.query(
                """
                SELECT id FROM decisions WHERE status = 'failed'
                  AND committee_id IN (SELECT committee_id FROM committee_members WHERE organization_id = ?)
                ORDER BY decided_at DESC, id \(SQLText.limit)
                """, actor.organizationId, 100)
            {
                decisions.append(try await Self.loadDecision(db, row.id("id")))
            }
            return decisions
        }
    }

    /// The decision log of a committee, newest first.
    public func decisions(_ committee: ID<Committee>) async throws -> [Decision] {
        let actor = self.actor
        return try await database.read { db in
            _ = try await Self.memberCommittee(db, committee, actor: actor)
            var decisions: [Decision] = []
            for row in try await db.query("SELECT id FROM decisions WHERE committee_id = ? ORDER BY opened_at DESC, id", committee) {
                decisions.append(try await Self.loadDecision(db, row.id("id")))
            }
            return decisions
        }
    }

    /// The committee's current members other than the actor's organisation, as a ledger entry's `with`:
    /// the organisations a motion, a vote or a decision reaches.
    static func otherMembers(_ db: any SQLConnection, _ committee: ID<Committee>, actor: Actor) async throws -> String {
        try await members(db, committee).filter { $0.isCurrent && $0.organizationId != actor.organizationId }
            .map(\.organizationId.raw).sorted().joined(separator: ",")
    }

    static func visibleDecision(_ db: any SQLConnection, _ id: ID<Decision>, actor: Actor) async throws -> Decision {
        let decision = try await loadDecision(db, id)
        _ = try await memberCommittee(db, decision.committeeId, actor: actor)
        return decision
    }

    static func loadDecision(_ db: any SQLConnection, _ id: ID<Decision>) async throws -> Decision {
        guard
            let row = try await db.first(
                """
                SELECT id, committee_id, meeting_id, motion, decision_rule, status, tally, opened_at, decided_at, revives_decision_id
                FROM decisions WHERE id = ?
                """, id)
        else { throw ThawError.notFound("decision \(id)") }
        let votes = try await db.query(
            "SELECT organization_id, choice, user_id, cast_at FROM votes WHERE decision_id = ? ORDER BY cast_at, organization_id", id
        )
        .map {
            Decision.CastVote(
                organizationId: $0.id("organization_id"), choice: $0.enumValue("choice"), userId: $0.id("user_id"),
                castAt: $0.timestamp("cast_at"))
        }
        let tally = try row.optionalString("tally").map { try JSONDecoder().decode(DecisionTally.self, from: Data($0.utf8)) }
        return Decision(
            id: row.id("id"), committeeId: row.id("committee_id"), meetingId: row.optionalId("meeting_id"),
            motion: row.string("motion"), decisionRule: row.enumValue("decision_rule"), status: row.enumValue("status"),
            tally: tally, openedAt: row.timestamp("opened_at"), decidedAt: row.optionalTimestamp("decided_at"), votes: votes,
            revivesDecisionId: row.optionalId("revives_decision_id"))
    }
}
