import ThawCore

extension ClientExperience {
    static let columns = "referral_id, client_id, organization_id, easy, need_met, would_use_again, comment, recorded_by, recorded_at"
    init(row: SQLRow) {
        self.init(
            referralId: row.id("referral_id"), clientId: row.id("client_id"), organizationId: row.id("organization_id"),
            easy: row.enumValue("easy"), needMet: row.enumValue("need_met"), wouldUseAgain: row.enumValue("would_use_again"),
            comment: row.optionalString("comment"), recordedBy: row.id("recorded_by"), recordedAt: row.timestamp("recorded_at"))
    }
}

extension ScopedStore {
    /// Records the client's view of a referral that has closed (completed, not completed, declined
    /// or cancelled), once, by the referring organisation that asked them.
    public func recordClientExperience(referral id: ID<Referral>, _ input: NewClientExperience) async throws -> ClientExperience {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "recording a client's experience")
        var v = Validator()
        v.limitText(input.comment, "comment", maxLength: 1000)
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .requester else { throw ThawError.forbidden("the referring organisation asks the client about their experience") }
            guard referral.status.isClosedForTheClient else {
                throw ThawError.conflict(
                    code: "not-closed", message: "ask the client once the referral has closed; it is \(referral.status.rawValue)")
            }
            guard try await db.first("SELECT referral_id FROM client_experiences WHERE referral_id = ?", id) == nil else {
                throw ThawError.conflict(code: "already-recorded", message: "the client's experience of this referral is already recorded")
            }
            let experience = ClientExperience(
                referralId: id, clientId: referral.clientId, organizationId: actor.organizationId, easy: input.easy,
                needMet: input.needMet, wouldUseAgain: input.wouldUseAgain, comment: input.comment?.trimmingWhitespace.nonEmpty,
                recordedBy: actor.userId, recordedAt: now)
            try await db.execute(
                "INSERT INTO client_experiences (\(ClientExperience.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, referral.clientId,
                actor.organizationId, input.easy, input.needMet, input.wouldUseAgain, experience.comment, actor.userId, now)
            // The answers count for evaluation; the client's words stay with the record.
            try await db.append(
                LedgerRecord(
                    kind: "referral.experience-recorded", subjectType: "referral", subjectId: id.raw, counterpart: nil, channel: .system,
                    detail: ["easy": input.easy.rawValue, "needMet": input.needMet.rawValue, "wouldUseAgain": input.wouldUseAgain.rawValue]),
                by: actor, at: now)
            try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "client-experience", subjectId: id.raw, at: now)
            return experience
        }
    }

    /// The client's view of a referral, for the referring organisation; nil when not yet asked.
    public func clientExperience(referral id: ID<Referral>) async throws -> ClientExperience? {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "reading a client's experience")
        let actor = self.actor, now = now()
        let (client, experience) = try await database.read { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .requester else { throw ThawError.forbidden("the referring organisation keeps the client's experience") }
            return (
                referral.clientId,
                try await db.first("SELECT \(ClientExperience.columns) FROM client_experiences WHERE referral_id = ?", id)
                    .map(ClientExperience.init(row:))
            )
        }
        try await auditRead(client: client, subjectType: "client-experience", subjectId: id.raw, at: now)
        return experience
    }
}
