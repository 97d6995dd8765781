import ThawCore

/// What the receiving organisation did for a referral (FHIR's Procedure), recorded before the
/// referral is completed with it.
public struct RecordedProcedure: Sendable, Equatable {
    public var referralId: ID<Referral>
    public var outcome: ReferralOutcome
    public var performedAt: Timestamp
}

extension ScopedStore {
    /// Records (or records again) what the receiving side did for a referral it is working.
    public func recordProcedure(_ id: ID<Referral>, outcome: ReferralOutcome, performedAt: Timestamp) async throws -> RecordedProcedure {
        let actor = self.actor, now = now()
        var v = Validator()
        v.requireText(outcome.summary, "outcome.text", maxLength: 2000)
        v.require(performedAt <= now, "performedDateTime", "not-in-future", "a procedure is recorded once performed")
        try v.check()
        try await database.write { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .performer, [.accepted, .inProgress].contains(referral.status) else {
                throw ThawError.conflict(
                    code: "not-working", message: "only the organisation working the referral records what it did, while accepted or in progress",
                    field: "basedOn")
            }
            try await db.execute("DELETE FROM referral_procedures WHERE referral_id = ?", id)
            try await db.execute(
                """
                INSERT INTO referral_procedures (referral_id, organization_id, outcome_code, summary, performed_at, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, id, actor.organizationId, outcome.code, outcome.summary, performedAt, actor.userId, now)
            try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "procedure", subjectId: id.raw, at: now)
        }
        return RecordedProcedure(referralId: id, outcome: outcome, performedAt: performedAt)
    }

    /// The procedure recorded for a referral the actor may read, if any.
    public func recordedProcedure(_ id: ID<Referral>) async throws -> RecordedProcedure? {
        let actor = self.actor, now = now()
        return try await database.read { db in
            _ = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard let row = try await db.first("SELECT outcome_code, summary, performed_at FROM referral_procedures WHERE referral_id = ?", id),
                let code = ReferralOutcome.Code(rawValue: row.string("outcome_code"))
            else { return nil }
            return RecordedProcedure(
                referralId: id, outcome: ReferralOutcome(code: code, summary: row.string("summary")), performedAt: row.timestamp("performed_at"))
        }
    }
}
