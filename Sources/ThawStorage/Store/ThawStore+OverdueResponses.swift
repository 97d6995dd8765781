import ThawCore

extension ThawStore {
    /// Records, once each, referrals whose receiving organisation has let the
    /// first-response time pass without answering: a `referral.response-overdue`
    /// ledger entry dated when it fell due, which counts against the pair's
    /// responsiveness. Open referrals nobody owns yet are nobody's delay and are
    /// left out. Safe to run often and from several processes.
    @discardableResult
    public func recordOverdueResponses() async throws -> Int {
        let now = clock.now()
        return try await recordOnce(
            """
            SELECT id, owner_organization_id, requester_organization_id, first_response_due AS due FROM referrals
            WHERE status = 'requested' AND first_responded_at IS NULL AND first_response_due < ?
              AND owner_organization_id IS NOT NULL AND response_overdue_recorded = 0
            """, now: now,
            mark: "UPDATE referrals SET response_overdue_recorded = 1 WHERE id = ? AND response_overdue_recorded = 0 AND first_responded_at IS NULL",
            kind: ClimateLedger.overdueKind)
    }

    /// Records, once each, referrals accepted by their owner and left past their follow-up date
    /// without an outcome: a `referral.loop-lapsed` entry dated when the follow-up fell due, which
    /// counts against the owner's follow-through with the referring organisation (a loop closed
    /// later still counts as kept then).
    @discardableResult
    public func recordLapsedLoops() async throws -> Int {
        let now = clock.now()
        return try await recordOnce(
            """
            SELECT id, owner_organization_id, requester_organization_id, follow_up_due AS due FROM referrals
            WHERE loop_lapse_recorded = 0 AND status IN ('accepted', 'in-progress', 'on-hold') AND follow_up_due < ?
              AND owner_organization_id IS NOT NULL
            """, now: now, mark: "UPDATE referrals SET loop_lapse_recorded = 1 WHERE id = ? AND loop_lapse_recorded = 0",
            kind: ClimateLedger.loopLapsedKind)
    }

    /// For each referral `select` finds (its `id`, owner, requester and `due`), sets its mark with `mark`
    /// and, if this call set it, writes a `kind` entry in the owner's name against the requester, dated
    /// `due`: each referral recorded once, whichever process sweeps.
    private func recordOnce(_ select: String, now: Timestamp, mark: String, kind: String) async throws -> Int {
        try await database.write { db in
            var recorded = 0
            for row in try await db.query(select, now) {
                let id: ID<Referral> = row.id("id")
                guard try await db.execute(mark, id) == 1 else { continue }
                recorded += 1
                try await db.append(
                    LedgerRecord(
                        kind: kind, subjectType: "referral", subjectId: id.raw, counterpart: row.id("requester_organization_id"), channel: .system),
                    actorUser: nil, actorOrganization: row.id("owner_organization_id"), at: row.timestamp("due"))
            }
            return recorded
        }
    }

    /// Everything the deadline sweep records: missed commitments, commitments kept by the silence of the
    /// organisation promised, overdue first responses and lapsed referral loops.
    @discardableResult
    public func sweepDeadlines() async throws -> (missedCommitments: Int, confirmedCommitments: Int, overdueResponses: Int, lapsedLoops: Int) {
        (
            try await markMissedCommitments(), try await confirmUndisputedCommitments(), try await recordOverdueResponses(),
            try await recordLapsedLoops()
        )
    }
}
