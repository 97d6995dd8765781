import ThawCore

extension ScopedStore {
    /// Closes an open need of a client this organisation holds: met, declined by the client, or no
    /// longer applicable, on a day (today unless given) and by this user. A referral named as
    /// the reason must be one of the client's that names the need.
    public func closeNeed(_ id: ID<IdentifiedNeed>, _ closure: NeedClosure) async throws -> IdentifiedNeed {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "closing a need")
        let actor = self.actor, now = now(), today = calendar.day(of: now)
        return try await database.write { db in
            guard let row = try await db.first("SELECT \(IdentifiedNeed.columns) FROM needs WHERE id = ?", id) else {
                throw ThawError.notFound("need \(id)")
            }
            var need = IdentifiedNeed(row: row)
            // Only the organisation holding the client closes its needs; to anyone else it does not exist.
            guard (try? await Self.heldClient(db, need.clientId, actor: actor)) != nil else { throw ThawError.notFound("need \(id)") }
            try closure.validate(need: need, today: today)
            guard need.isOpen else {
                throw ThawError.conflict(code: "closed", message: "this need was already closed (\(need.status.rawValue))")
            }
            if let referralId = closure.referralId {
                guard
                    let referralRow = try await db.first(
                        "SELECT \(Referral.columns) FROM referrals WHERE id = ? AND client_id = ?", referralId, need.clientId),
                    Self.isFor(Referral(row: referralRow), need)
                else {
                    throw ThawError.unprocessable("referralId", "names-need", "referralId must be a referral of this client for this need")
                }
            }
            need.status = closure.status
            need.closedOn = closure.closedOn ?? today
            need.closedBy = actor.userId
            need.closedByOrganizationId = actor.organizationId
            need.closingReferralId = closure.referralId
            let changed = try await db.execute(
                """
                UPDATE needs SET status = ?, closed_on = ?, closed_by = ?, closed_by_organization_id = ?, closing_referral_id = ?
                WHERE id = ? AND status = 'active'
                """, need.status, need.closedOn, actor.userId, actor.organizationId, need.closingReferralId, id)
            guard changed == 1 else { throw ThawError.conflict(code: "closed", message: "this need was closed meanwhile") }
            var detail = ["need": id.raw, "category": need.category.rawValue, "status": need.status.rawValue]
            if let referral = need.closingReferralId { detail["referral"] = referral.raw }
            try await db.append(
                LedgerRecord(
                    kind: "need.closed", subjectType: "client", subjectId: need.clientId.raw, counterpart: nil, channel: .system, detail: detail),
                by: actor, at: now)
            try await db.logAccess(actor, client: need.clientId, action: "write", subjectType: "need", subjectId: id.raw, at: now)
            return need
        }
    }

    /// Whether a referral is for a need: it names the need, or names none and is for its domain.
    public static func isFor(_ referral: Referral, _ need: IdentifiedNeed) -> Bool {
        referral.needIds.contains(need.id) || (referral.needIds.isEmpty && referral.needCategory == need.category)
    }

    /// The SQL twin of `isFor`, for referrals `r` and needs `n`.
    static let referralNamesNeed = """
        (',' || r.need_ids || ',' LIKE '%,' || n.id || ',%' OR (r.need_ids = '' AND r.need_category = n.category))
        """

    /// A referral `r` that ended without helping: declined, cancelled, not completed, or completed with the need not met.
    static let referralFailed = "(r.status IN ('rejected', 'cancelled', 'failed') OR (r.status = 'completed' AND r.outcome_code = 'need-not-met'))"

    /// Open needs of this organisation's clients that are falling through the cracks: never
    /// referred (drafts and referrals entered in error do not count), or referred only where it
    /// failed (declined, cancelled, not completed, or completed with the need not met).
    public func needGaps(limit: Int = 200) async throws -> [NeedGap] {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "reading a caseload")
        let actor = self.actor, now = now()
        let sent = "r.client_id = n.client_id AND r.status NOT IN ('draft', 'entered-in-error') AND \(Self.referralNamesNeed)"
        let failed = Self.referralFailed
        let columns = IdentifiedNeed.columns.split(separator: ",").map { "n." + String($0).trimmingWhitespace }.joined(separator: ", ")
        // The database keeps only the gaps and stops at the limit, so a caseload with many open
        // needs that are being worked reads none of them back.
        let rows = try await database.read { db in
            try await db.query(
                """
                SELECT * FROM (
                  SELECT \(columns), c.given_name, c.family_name,
                    (SELECT COUNT(*) FROM referrals r WHERE \(sent)) AS referred,
                    (SELECT COUNT(*) FROM referrals r WHERE \(sent) AND NOT \(failed)) AS alive
                  FROM needs n JOIN clients c ON c.id = n.client_id
                  WHERE c.organization_id = ? AND n.status = 'active'
                ) g WHERE g.referred = 0 OR g.alive = 0
                ORDER BY g.identified_on, g.id \(SQLText.limit)
                """, actor.organizationId, min(max(limit, 1), 1000))
        }
        let gaps = rows.map { row in
            let referred = Int(row.optionalInt64("referred") ?? 0)
            return NeedGap(
                kind: referred == 0 ? .neverReferred : .allReferralsFailed, need: IdentifiedNeed(row: row),
                clientName: row.string("given_name") + " " + row.string("family_name"), referrals: referred)
        }
        try await database.writeBehind { db in
            try await db.logAccess(actor, client: nil, action: "list", subjectType: "need-gaps", subjectId: "\(gaps.count)", at: now)
        }
        return gaps
    }
}
