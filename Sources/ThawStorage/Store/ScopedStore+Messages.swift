import ThawCore

extension ScopedStore {
    public func sendMessage(referral id: ID<Referral>, body: String) async throws -> ReferralMessage {
        var v = Validator()
        v.requireText(body, "body", maxLength: 8000)
        try v.check()
        let actor = self.actor, now = now()
        let (referral, message) = try await database.write { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard referral.status != .enteredInError else {
                throw ThawError.conflict(code: "entered-in-error", message: "this referral was entered in error")
            }
            let message = ReferralMessage(
                id: IDGenerator.make("msg", createdAt: now), referralId: id, authorUserId: actor.userId,
                authorOrganizationId: actor.organizationId, side: side,
                body: body.trimmingWhitespace, sentAt: now)
            try await db.execute(
                """
                INSERT INTO referral_messages (id, referral_id, organization_id, author_user_id, side, body, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, message.id, id, actor.organizationId, actor.userId, side, message.body, now)
            // A message is not a change to the referral itself, so the version (ETag) stays.
            // A reply from the receiving side counts as its first response.
            try await db.execute(
                """
                UPDATE referrals SET last_message_side = ?, last_message_at = ?,
                    first_responded_at = CASE WHEN ? = 'performer' AND first_responded_at IS NULL THEN ? ELSE first_responded_at END
                WHERE id = ?
                """, side, now, side, now, id)
            var detail = ["message": message.id.raw, "side": side.rawValue]
            if side == .performer, referral.firstRespondedAt == nil {
                detail[ResponseTiming.detailKey] = try await Self.firstResponseVerdict(db, referral, at: now)
            }
            try await db.append(
                LedgerRecord(
                    kind: "referral.message-sent", subjectType: "referral", subjectId: id.raw,
                    counterpart: referral.counterpart(of: actor.organizationId), channel: .referral,
                    detail: detail), by: actor, at: now)
            try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "message", subjectId: message.id.raw, at: now)
            return (referral, message)
        }
        _ = published(referral)
        return message
    }

    public func messages(referral id: ID<Referral>) async throws -> [ReferralMessage] {
        let actor = self.actor, now = now()
        let (client, messages) = try await database.read { db in
            let (referral, side, scopes) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            return (
                referral.clientId,
                try await db.query("SELECT \(ReferralMessage.columns) FROM referral_messages WHERE referral_id = ? ORDER BY sent_at, id", id)
                    .map { Disclosure.message(ReferralMessage(row: $0), to: side, under: scopes) }
            )
        }
        try await auditRead(client: client, subjectType: "messages", subjectId: id.raw, at: now)
        return messages
    }

    /// Records that the other side read a message (the read receipt). Reading
    /// one's own side's message changes nothing.
    public func markRead(referral id: ID<Referral>, message messageId: ID<ReferralMessage>) async throws -> ReferralMessage {
        let actor = self.actor, now = now()
        let (referral, message, changed) = try await database.write { db in
            let (referral, side, scopes) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard
                let row = try await db.first(
                    "SELECT \(ReferralMessage.columns) FROM referral_messages WHERE id = ? AND referral_id = ?",
                    messageId, id)
            else { throw ThawError.notFound("message \(messageId)") }
            var message = Disclosure.message(ReferralMessage(row: row), to: side, under: scopes)
            guard message.side != side, message.readAt == nil else { return (referral, message, false) }
            message.readAt = now
            message.readBy = actor.userId
            try await db.execute(
                "UPDATE referral_messages SET read_at = ?, read_by = ? WHERE id = ? AND read_at IS NULL",
                now, actor.userId, messageId)
            try await db.append(
                LedgerRecord(
                    kind: "referral.message-read", subjectType: "referral", subjectId: id.raw,
                    counterpart: referral.counterpart(of: actor.organizationId), channel: .referral,
                    detail: ["message": messageId.raw]), by: actor, at: now)
            return (referral, message, true)
        }
        if changed { _ = published(referral) }
        return message
    }

    /// The referral's history from the ledger, oldest first.
    public func timeline(referral id: ID<Referral>) async throws -> [ActivityEntry] {
        let actor = self.actor, now = now()
        let (client, entries) = try await database.read { db in
            let (referral, side, scopes) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            return (
                referral.clientId,
                try await db.query(
                    """
                    SELECT \(ActivityEntry.columns) FROM activity WHERE subject_type = 'referral' AND subject_id = ? ORDER BY seq
                    """, id
                ).map { Disclosure.timelineEntry(ActivityEntry(row: $0), of: referral, to: side, under: scopes) }
            )
        }
        try await auditRead(client: client, subjectType: "timeline", subjectId: id.raw, at: now)
        return entries
    }
}

extension ThawStore {
    /// Streams the whole ledger in order, in pages, for export (NDJSON).
    public func exportActivity(after: Int64 = 0, pageSize: Int = 5000, _ emit: (ActivityEntry) async throws -> Void) async throws {
        var cursor = after
        while true {
            let start = cursor
            let page = try await database.read { db in
                try await db.query(
                    "SELECT \(ActivityEntry.columns) FROM activity WHERE seq > ? ORDER BY seq \(SQLText.limit)",
                    start, pageSize
                ).map(ActivityEntry.init(row:))
            }
            for entry in page { try await emit(entry) }
            guard let last = page.last, page.count == pageSize else { return }
            cursor = last.seq
        }
    }
}
