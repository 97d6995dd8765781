import ThawCore

extension ScopedStore {
    /// The navigator's caseload or the partner's inbox, filtered, sorted and
    /// paged by cursor. The inbox lists only referrals whose client's consent
    /// still covers this organisation.
    public func worklist(_ query: WorklistQuery) async throws -> WorklistPage {
        switch query.view {
        case .caseload: try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "reading a caseload")
        case .inbox: try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "reading an inbox")
        }
        let actor = self.actor, now = now()
        let mine: ReferralSide = query.view == .caseload ? .requester : .performer
        var conditions: [String] = []
        var binds: [SQLValue] = []
        switch query.view {
        case .caseload:
            conditions.append("r.requester_organization_id = ?"); binds.append(actor.organizationId.sqlValue)
            if query.onlyMine { conditions.append("r.requester_user_id = ?"); binds.append(actor.userId.sqlValue) }
        case .inbox:
            conditions.append("r.owner_organization_id = ? AND r.status <> 'draft'"); binds.append(actor.organizationId.sqlValue)
            conditions.append(Self.consentCovers(alias: "r"))
            binds += Self.coverBinds(actor, at: now)
        }
        // Every filter but `all` is a subset of the open referrals. Each names the
        // open predicate in exactly the partial indexes' words, so both databases
        // read those indexes instead of walking closed history.
        // Sorting by first-response due is about open referrals (closed ones have nothing
        // due), so it lists those only, from the same indexes.
        let openOnly = query.filter != .all || query.sort == .due
        if openOnly { conditions.append(Schema.openPredicate) }
        switch query.filter {
        case .all, .open: break
        case .overdueFirstResponse:
            conditions.append("r.status = 'requested' AND r.first_responded_at IS NULL AND r.first_response_due < ?")
            binds.append(now.sqlValue)
        case .awaitingMyReply:
            conditions.append("(r.last_message_side = ?\(mine == .performer ? " OR r.status = 'requested'" : ""))")
            binds.append(mine.other.sqlValue)
        case .awaitingTheirReply:
            conditions.append("(r.last_message_side = ?\(mine == .requester ? " OR r.status = 'requested'" : ""))")
            binds.append(mine.sqlValue)
        case .followUpDue:
            // Falling due today where the navigator works; earlier ones are overdue, listed apart.
            let today = calendar.followUpDay(now)
            conditions.append("r.follow_up_due > ? AND r.follow_up_due <= ?")
            binds += [today.after.sqlValue, today.through.sqlValue]
        case .followUpOverdue:
            conditions.append("r.follow_up_due <= ?")
            binds.append(calendar.followUpDay(now).after.sqlValue)
        }
        if !query.statuses.isEmpty {
            conditions.append("r.status IN (" + query.statuses.map { _ in "?" }.joined(separator: ",") + ")")
            binds += query.statuses.sorted { $0.rawValue < $1.rawValue }.map(\.sqlValue)
        }
        let (keyColumn, direction) = query.sort == .updated ? ("r.updated_at", "DESC") : ("r.first_response_due", "ASC")
        if let cursor = query.cursor {
            let op = direction == "DESC" ? "<" : ">"
            conditions.append("(\(keyColumn) \(op) ? OR (\(keyColumn) = ? AND r.id \(op) ?))")
            binds += [.int(cursor.key), .int(cursor.key), .text(cursor.id)]
        }
        let counterpartColumn = query.view == .caseload ? "r.owner_organization_id" : "r.requester_organization_id"
        let limit = min(max(query.limit, 1), 200)
        binds.append(.int(Int64(limit + 1)))
        // SQLite's planner, without statistics, may walk the organisation's whole
        // history index instead of the open one; name the index so it cannot.
        var source = "referrals r"
        if openOnly, database.dialect == .sqlite {
            source += " INDEXED BY " + (query.view == .caseload ? "referrals_caseload_open" : "referrals_inbox_open")
        }
        let sql = """
            SELECT \(Referral.qualifiedColumns),
                   c.given_name, c.family_name, o.name AS counterpart_name
            FROM \(source) JOIN clients c ON c.id = r.client_id
            LEFT JOIN organizations o ON o.id = \(counterpartColumn)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(keyColumn) \(direction), r.id \(direction)
            \(SQLText.limit)
            """
        let finalBinds = binds
        var rows = try await database.read { db in try await db.query(sql, finalBinds) }
        var next: WorklistCursor?
        if rows.count > limit {
            rows.removeLast()
            if let last = rows.last {
                next = WorklistCursor(
                    key: query.sort == .updated ? last.int64("updated_at") : last.int64("first_response_due"),
                    id: last.string("id"))
            }
        }
        let items = rows.map { row in
            // A list does not weigh each row's consent scopes: the inbox shows what no scope is
            // needed for, and the referral's own page discloses the rest under its scopes.
            let referral = Disclosure.referral(Referral(row: row), to: mine, under: [])
            return WorklistItem(
                referral: referral,
                clientName: row.string("given_name") + " " + row.string("family_name"),
                counterpartName: row.optionalString("counterpart_name"))
        }
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: nil, action: "list", subjectType: "worklist-\(query.view.rawValue)",
                subjectId: "\(items.count)", at: now)
        }
        return WorklistPage(items: items, nextCursor: next)
    }
}
