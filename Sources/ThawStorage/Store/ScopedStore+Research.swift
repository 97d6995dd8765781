import ThawCore

/// Each person's agreement to research use of their conversation messages, and the codings
/// researchers bring back from their tools.
extension ScopedStore {
    public func researchAgreement() async throws -> ResearchAgreement {
        let me = actor.userId
        return try await database.read { db in
            guard let row = try await db.first("SELECT agreed_at, withdrawn_at FROM research_agreements WHERE user_id = ?", me) else {
                return ResearchAgreement(agreed: false, agreedAt: nil, withdrawnAt: nil)
            }
            let withdrawn = row.optionalTimestamp("withdrawn_at")
            return ResearchAgreement(agreed: withdrawn == nil, agreedAt: row.optionalTimestamp("agreed_at"), withdrawnAt: withdrawn)
        }
    }

    /// Agrees, or withdraws; every export made after honours it. Both are in the ledger.
    @discardableResult
    public func setResearchAgreement(_ agreed: Bool) async throws -> ResearchAgreement {
        let actor = self.actor, now = now()
        try await database.write { db in
            let current = try await db.first("SELECT withdrawn_at FROM research_agreements WHERE user_id = ?", actor.userId)
            let agreedNow = current != nil && current?.optionalTimestamp("withdrawn_at") == nil
            guard agreed != agreedNow else { return }
            if agreed {
                try await db.execute("DELETE FROM research_agreements WHERE user_id = ?", actor.userId)
                try await db.execute("INSERT INTO research_agreements (user_id, agreed_at, withdrawn_at) VALUES (?, ?, NULL)", actor.userId, now)
            } else {
                try await db.execute("UPDATE research_agreements SET withdrawn_at = ? WHERE user_id = ?", now, actor.userId)
            }
            try await db.append(
                LedgerRecord(
                    kind: agreed ? "research.agreed" : "research.withdrawn", subjectType: "user", subjectId: actor.userId.raw, counterpart: nil,
                    channel: .system, detail: [:]), by: actor, at: now)
        }
        return try await researchAgreement()
    }

    /// The record's sources as they stand, for matching a returning project's source GUIDs. The
    /// climate's freezes and thaws are not among them: a project names each of those whole
    /// (`ResearchSource(climateSubject:text:)`).
    public func researchSubjects() async throws -> [ResearchSource] {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "importing research codings")
        return try await database.read { db in
            try await Self.collectResearchRecord(db, from: CalendarDate.earliestSupported, until: CalendarDate.latestSupported, redactor: nil)
        }
    }

    /// Replaces this researcher's codings from `project` with `annotations`.
    public func replaceResearchAnnotations(project: String, _ annotations: [ResearchAnnotation]) async throws {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "importing research codings")
        let actor = self.actor, now = now()
        try await database.write { db in
            try await db.execute("DELETE FROM research_annotations WHERE researcher_id = ? AND project = ?", actor.userId, project)
            for a in annotations {
                try await db.execute(
                    """
                    INSERT INTO research_annotations (id, researcher_id, project, subject_type, subject_id, organization_ids, committee_id, code,
                        start_position, end_position, quote, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, a.id, actor.userId, project, String(a.subject.prefix { $0 != "/" }), String(a.subject.drop { $0 != "/" }.dropFirst()),
                    a.organizationIds.map(\.raw).joined(separator: ","), a.committeeId, a.code, a.startPosition.map(Int64.init),
                    a.endPosition.map(Int64.init), a.quote, now)
            }
            try await db.append(
                LedgerRecord(
                    kind: "research.codings-imported", subjectType: "research-project", subjectId: String(project.prefix(200)), counterpart: nil,
                    channel: .system, detail: ["count": String(annotations.count)]), by: actor, at: now)
        }
    }

    /// This researcher's codings: all of them, or those on one committee's records, or on
    /// records involving both organisations of a pair.
    public func researchAnnotations(committee: ID<Committee>? = nil, pair: (ID<Organization>, ID<Organization>)? = nil) async throws
        -> [ResearchAnnotation]
    {
        let me = actor.userId
        let rows = try await database.read { db in
            try await db.query(
                """
                SELECT id, project, subject_type, subject_id, organization_ids, committee_id, code, start_position, end_position, quote, imported_at
                FROM research_annotations WHERE researcher_id = ? ORDER BY imported_at, id
                """, me)
        }
        return rows.map { row in
            ResearchAnnotation(
                id: row.id("id"), project: row.string("project"), subject: row.string("subject_type") + "/" + row.string("subject_id"),
                organizationIds: row.list("organization_ids").map { ID($0) }, committeeId: row.optionalId("committee_id"), code: row.string("code"),
                startPosition: row.optionalInt64("start_position").map { Int($0) }, endPosition: row.optionalInt64("end_position").map { Int($0) },
                quote: row.string("quote"), importedAt: row.timestamp("imported_at"))
        }.filter { a in
            (committee.map { a.committeeId == $0 } ?? true)
                && (pair.map { a.organizationIds.contains($0.0) && a.organizationIds.contains($0.1) } ?? true)
        }
    }
}
