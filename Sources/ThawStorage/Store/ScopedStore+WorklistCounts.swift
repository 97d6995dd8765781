import ThawCore

/// The numbers that matter first on a caseload or an inbox.
public struct WorklistCounts: Sendable, Equatable {
    public var open = 0
    /// Requested, not yet answered by the partner, past the first-response due time.
    public var overdueFirstResponse = 0
    /// The other side owes the next word (for the caseload: "awaiting the partner").
    public var awaitingTheirReply = 0
    public var awaitingMyReply = 0
    /// Follow-up falling due today, in the organisation's time zone.
    public var followUpDueToday = 0
    /// Follow-up that fell due on an earlier day and is neither done nor moved.
    public var followUpOverdue = 0
    public var requested = 0
    public var accepted = 0
    public var inProgress = 0
    /// Reached a final status since Monday 00:00, local time.
    public var closedThisWeek = 0
    public init() {}
}

extension ScopedStore {
    /// Counts over the open referrals (read through the same partial indexes
    /// as the worklist) and the referrals closed this week. The inbox counts
    /// only referrals whose client's consent still covers this organisation,
    /// exactly as the inbox lists them.
    public func worklistCounts(_ view: WorklistQuery.View) async throws -> WorklistCounts {
        switch view {
        case .caseload: try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "reading a caseload")
        case .inbox: try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "reading an inbox")
        }
        let actor = self.actor, now = now()
        let mine: ReferralSide = view == .caseload ? .requester : .performer
        var scope: String
        var scopeBinds: [SQLValue]
        switch view {
        case .caseload:
            scope = "r.requester_organization_id = ?"
            scopeBinds = [actor.organizationId.sqlValue]
        case .inbox:
            scope = "r.owner_organization_id = ? AND r.status <> 'draft' AND " + Self.consentCoveredClients(alias: "r")
            scopeBinds = [actor.organizationId.sqlValue] + Self.coverBinds(actor, at: now)
        }
        // "requested" waits on the partner: it is their reply the requester awaits.
        let theirs = mine == .requester ? "(r.last_message_side = 'requester' OR r.status = 'requested')" : "r.last_message_side = 'performer'"
        let ours = mine == .performer ? "(r.last_message_side = 'requester' OR r.status = 'requested')" : "r.last_message_side = 'performer'"
        let openSQL = """
            SELECT COUNT(*) AS open_count,
              COUNT(CASE WHEN r.status = 'requested' AND r.first_responded_at IS NULL AND r.first_response_due < ? THEN 1 END) AS overdue,
              COUNT(CASE WHEN \(theirs) THEN 1 END) AS theirs,
              COUNT(CASE WHEN \(ours) THEN 1 END) AS ours,
              COUNT(CASE WHEN r.follow_up_due > ? AND r.follow_up_due <= ? THEN 1 END) AS follow_up,
              COUNT(CASE WHEN r.follow_up_due <= ? THEN 1 END) AS follow_up_overdue,
              COUNT(CASE WHEN r.status = 'requested' THEN 1 END) AS requested,
              COUNT(CASE WHEN r.status = 'accepted' THEN 1 END) AS accepted,
              COUNT(CASE WHEN r.status = 'in-progress' THEN 1 END) AS in_progress
            FROM referrals r WHERE \(scope) AND \(Schema.openPredicate)
            """
        let today = calendar.followUpDay(now)
        let openBinds: [SQLValue] = [now.sqlValue, today.after.sqlValue, today.through.sqlValue, today.after.sqlValue] + scopeBinds
        let closedSQL = """
            SELECT COUNT(*) AS closed FROM referrals r
            WHERE \(scope) AND r.updated_at >= ? AND r.status IN ('rejected','cancelled','completed','failed')
            """
        let closedBinds = scopeBinds + [calendar.startOfWeek(now).sqlValue]
        let counts = try await database.read { db in
            let open = try await db.query(openSQL, openBinds).first
            let closed = try await db.query(closedSQL, closedBinds).first
            var counts = WorklistCounts()
            func n(_ row: SQLRow?, _ column: String) -> Int { Int(row?.optionalInt64(column) ?? 0) }
            counts.open = n(open, "open_count")
            counts.overdueFirstResponse = n(open, "overdue")
            counts.awaitingTheirReply = n(open, "theirs")
            counts.awaitingMyReply = n(open, "ours")
            counts.followUpDueToday = n(open, "follow_up")
            counts.followUpOverdue = n(open, "follow_up_overdue")
            counts.requested = n(open, "requested")
            counts.accepted = n(open, "accepted")
            counts.inProgress = n(open, "in_progress")
            counts.closedThisWeek = n(closed, "closed")
            return counts
        }
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: nil, action: "count", subjectType: "worklist-\(view.rawValue)",
                subjectId: actor.organizationId.raw, at: now)
        }
        return counts
    }
}
