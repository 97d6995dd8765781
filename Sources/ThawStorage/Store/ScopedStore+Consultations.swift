import ThawCore

extension Consultation.Status: SQLBindable {}
extension FeedbackItem.Response: SQLBindable {}

/// Consultations: visible to the proposing organisation and the invited
/// partners only. Partners add feedback items until the deadline; the
/// proposer answers each one and closes the consultation only when none is
/// left unanswered.
extension ScopedStore {
    public func createConsultation(_ input: NewConsultation) async throws -> Consultation {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "opening a consultation")
        let actor = self.actor, now = now()
        try input.validate(today: calendar.day(of: now))
        guard !input.invitedOrganizationIds.contains(actor.organizationId) else {
            throw ThawError.unprocessable("invitedOrganizationIds", "other-organization", "invite partners, not your own organisation")
        }
        let consultation = Consultation(
            id: IDGenerator.make("cst"), organizationId: actor.organizationId, title: input.title.trimmingWhitespace,
            proposal: input.proposal, invitedOrganizationIds: input.invitedOrganizationIds.sorted(),
            deadline: input.deadline, createdAt: now, revivesConsultationId: input.revivesConsultationId)
        return try await database.write { db in
            if let revives = input.revivesConsultationId {
                let earlier: Consultation
                do { earlier = try await Self.visibleConsultation(db, revives, actor: actor) } catch ThawError.notFound {
                    throw ThawError.unprocessable("revivesConsultationId", "exists", "no consultation \(revives) your organisation can see")
                }
                guard earlier.status == .closed else {
                    throw ThawError.unprocessable("revivesConsultationId", "closed", "only a closed consultation's proposal can be brought back")
                }
            }
            try await db.execute(
                """
                INSERT INTO consultations (id, organization_id, title, proposal, deadline, status, created_by, created_at, revives_consultation_id)
                VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)
                """, consultation.id, actor.organizationId, consultation.title, consultation.proposal, consultation.deadline, actor.userId, now,
                input.revivesConsultationId)
            for org in consultation.invitedOrganizationIds {
                try await db.requireOrganization(org, field: "invitedOrganizationIds")
                try await db.execute("INSERT INTO consultation_invitations (consultation_id, organization_id) VALUES (?, ?)", consultation.id, org)
                try await db.append(
                    LedgerRecord(
                        kind: "consultation.invited", subjectType: "consultation", subjectId: consultation.id.raw,
                        counterpart: org, channel: .formal, detail: input.revivesConsultationId.map { ["revives": $0.raw] } ?? [:]),
                    by: actor, at: now)
            }
            return consultation
        }
    }

    public func consultation(_ id: ID<Consultation>) async throws -> (Consultation, [FeedbackItem]) {
        let actor = self.actor
        return try await database.read { db in
            let consultation = try await Self.visibleConsultation(db, id, actor: actor)
            return (consultation, try await Self.feedback(db, id))
        }
    }

    /// Consultations my organisation proposed or was invited to.
    /// The consultations the caller's organisation proposed or was invited to, newest first:
    /// two queries, whatever their number.
    public func consultations() async throws -> [Consultation] {
        let organization = actor.organizationId
        return try await database.read { db in
            let visible = """
                SELECT id FROM consultations WHERE organization_id = ?
                UNION SELECT consultation_id FROM consultation_invitations WHERE organization_id = ?
                """
            let rows = try await db.query(
                """
                SELECT id, organization_id, title, proposal, deadline, status, created_at, closed_at, revives_consultation_id FROM consultations
                WHERE id IN (\(visible)) ORDER BY created_at DESC, id
                """, organization, organization)
            var invited: [String: [ID<Organization>]] = [:]
            for row in try await db.query(
                """
                SELECT consultation_id, organization_id FROM consultation_invitations
                WHERE consultation_id IN (\(visible)) ORDER BY organization_id
                """, organization, organization)
            {
                invited[row.string("consultation_id"), default: []].append(row.id("organization_id"))
            }
            return try rows.map { try Self.consultation(from: $0, invited: invited[$0.string("id")] ?? []) }
        }
    }

    public func addFeedback(_ id: ID<Consultation>, text: String) async throws -> FeedbackItem {
        var v = Validator()
        v.requireText(text, "text", maxLength: 8000)
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            let consultation = try await Self.visibleConsultation(db, id, actor: actor)
            guard consultation.invitedOrganizationIds.contains(actor.organizationId) else {
                throw ThawError.forbidden("only invited partners give feedback on a consultation")
            }
            guard consultation.status == .open else { throw ThawError.conflict(code: "consultation-closed", message: "this consultation is closed") }
            guard calendar.day(of: now) <= consultation.deadline else {
                throw ThawError.conflict(code: "deadline-passed", message: "the deadline for feedback was \(consultation.deadline)")
            }
            let item = FeedbackItem(
                id: IDGenerator.make("fbk"), consultationId: id, organizationId: actor.organizationId,
                authorId: actor.userId, text: text.trimmingWhitespace, createdAt: now)
            try await db.execute(
                """
                INSERT INTO feedback_items (id, consultation_id, organization_id, author_user_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, item.id, id, actor.organizationId, actor.userId, item.text, now)
            try await db.append(
                LedgerRecord(
                    kind: "consultation.feedback", subjectType: "consultation", subjectId: id.raw,
                    counterpart: consultation.organizationId, channel: .formal, detail: ["item": item.id.raw]),
                by: actor, at: now)
            return item
        }
    }

    /// The proposer answers one item: adopted, adapted or not adopted, always saying what (and why).
    public func respond(_ id: ID<Consultation>, item itemId: ID<FeedbackItem>, _ response: FeedbackItem.Response, text: String) async throws
        -> FeedbackItem
    {
        try ConsultationRules.checkResponse(response, text: text)
        let actor = self.actor, now = now()
        return try await database.write { db in
            let consultation = try await Self.visibleConsultation(db, id, actor: actor)
            guard consultation.organizationId == actor.organizationId else {
                throw ThawError.forbidden("only the proposing organisation answers feedback")
            }
            guard consultation.status == .open else { throw ThawError.conflict(code: "consultation-closed", message: "this consultation is closed") }
            guard var item = try await Self.feedback(db, id).first(where: { $0.id == itemId }) else {
                throw ThawError.notFound("feedback item \(itemId)")
            }
            item.response = response; item.responseText = text.trimmingWhitespace; item.respondedAt = now
            try await db.execute(
                """
                UPDATE feedback_items SET response = ?, response_text = ?, responded_at = ?, responded_by = ? WHERE id = ?
                """, response, item.responseText, now, actor.userId, itemId)
            try await db.append(
                LedgerRecord(
                    kind: "consultation.answered", subjectType: "consultation", subjectId: id.raw,
                    counterpart: item.organizationId, channel: .formal,
                    detail: [
                        "item": itemId.raw, "response": response.rawValue,
                        ResponseTiming.detailKey: ResponseTiming.verdict(
                            due: ResponseTiming.endOfDay(consultation.deadline, plusDays: ResponseTiming.consultationAnswerDays),
                            at: now)
                    ]), by: actor, at: now)
            return item
        }
    }

    public func closeConsultation(_ id: ID<Consultation>) async throws -> Consultation {
        let actor = self.actor, now = now()
        return try await database.write { db in
            var consultation = try await Self.visibleConsultation(db, id, actor: actor)
            guard consultation.organizationId == actor.organizationId else {
                throw ThawError.forbidden("only the proposing organisation closes a consultation")
            }
            try ConsultationRules.checkClosable(consultation, items: try await Self.feedback(db, id))
            consultation.status = .closed
            consultation.closedAt = now
            try await db.execute("UPDATE consultations SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'", now, id)
            for org in consultation.invitedOrganizationIds {
                try await db.append(
                    LedgerRecord(
                        kind: "consultation.closed", subjectType: "consultation", subjectId: id.raw,
                        counterpart: org, channel: .formal), by: actor, at: now)
            }
            return consultation
        }
    }

    static func visibleConsultation(_ db: any SQLConnection, _ id: ID<Consultation>, actor: Actor) async throws -> Consultation {
        guard
            let row = try await db.first(
                """
                SELECT id, organization_id, title, proposal, deadline, status, created_at, closed_at, revives_consultation_id FROM consultations WHERE id = ?
                """, id)
        else { throw ThawError.notFound("consultation \(id)") }
        let invited: [ID<Organization>] = try await db.query(
            "SELECT organization_id FROM consultation_invitations WHERE consultation_id = ? ORDER BY organization_id", id
        ).map { $0.id("organization_id") }
        let proposer: ID<Organization> = row.id("organization_id")
        guard proposer == actor.organizationId || invited.contains(actor.organizationId) else { throw ThawError.notFound("consultation \(id)") }
        return try consultation(from: row, invited: invited)
    }

    static func consultation(from row: SQLRow, invited: [ID<Organization>]) throws -> Consultation {
        Consultation(
            id: row.id("id"), organizationId: row.id("organization_id"), title: row.string("title"), proposal: row.string("proposal"),
            invitedOrganizationIds: invited, deadline: try row.calendarDate("deadline"), status: row.enumValue("status"),
            createdAt: row.timestamp("created_at"), closedAt: row.optionalTimestamp("closed_at"),
            revivesConsultationId: row.optionalId("revives_consultation_id"))
    }

    static func feedback(_ db: any SQLConnection, _ id: ID<Consultation>) async throws -> [FeedbackItem] {
        try await db.query(
            """
            SELECT id, consultation_id, organization_id, author_user_id, text, created_at, response, response_text, responded_at
            FROM feedback_items WHERE consultation_id = ? ORDER BY created_at, id
            """, id
        ).map { row in
            FeedbackItem(
                id: row.id("id"), consultationId: row.id("consultation_id"), organizationId: row.id("organization_id"),
                authorId: row.id("author_user_id"), text: row.string("text"), createdAt: row.timestamp("created_at"),
                response: row.optionalEnum("response"), responseText: row.optionalString("response_text"),
                respondedAt: row.optionalTimestamp("responded_at"))
        }
    }
}
