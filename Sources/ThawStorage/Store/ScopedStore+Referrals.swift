import Foundation
import ThawCore

/// A referral as one party sees it, with what this actor may do next.
public struct ReferralDetail: Codable, Sendable {
    public var referral: Referral
    public var client: Client
    public var side: ReferralSide
    public var disclosedScopes: Set<ConsentScope>?
    public var requesterName: String
    public var ownerName: String?
    public var serviceName: String?
    /// For the referring side: whether the receiving organisation reads the free text
    /// it writes (the client's consent includes `notes`). nil for the receiving side,
    /// and while the referral is open.
    public var counterpartSeesNotes: Bool?
    /// Statuses this actor may set now; the UI offers only these.
    public var allowedStatuses: [TaskStatus]
    public var canSetBusinessStatus: Bool

    /// The referring side, and it holds the client's record (not a partner that referred the client
    /// on): it keeps the follow-up log and speaks to the client about the referral.
    public var isHoldersOwnReferral: Bool { side == .requester && disclosedScopes == nil }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(referral, forKey: .referral)
        try c.encode(client, forKey: .client)
        try c.encode(side, forKey: .side)
        try c.encodeSortedIfPresent(disclosedScopes, forKey: .disclosedScopes)
        try c.encode(requesterName, forKey: .requesterName)
        try c.encodeIfPresent(ownerName, forKey: .ownerName)
        try c.encodeIfPresent(serviceName, forKey: .serviceName)
        try c.encodeIfPresent(counterpartSeesNotes, forKey: .counterpartSeesNotes)
        try c.encode(allowedStatuses, forKey: .allowedStatuses)
        try c.encode(canSetBusinessStatus, forKey: .canSetBusinessStatus)
    }
}

extension ScopedStore {
    public func createReferral(_ input: NewReferral, idempotencyKey: String? = nil) async throws -> (Referral, replayed: Bool) {
        // Partner staff refer only onward, from a referral they are working.
        try AccessPolicy.require(
            actor, anyOf: input.partOfReferralId == nil ? AccessPolicy.referringRoles : AccessPolicy.receivingRoles,
            to: input.partOfReferralId == nil ? "sending a referral" : "referring a client onward")
        let now = now()
        try input.validate(now: now)
        if let key = idempotencyKey {
            var v = Validator()
            v.require(!key.isEmpty && key.count <= 200, "Idempotency-Key", "length", "Idempotency-Key must be 1 to 200 characters")
            try v.check(unprocessable: false)
        }
        let fingerprint = idempotencyKey == nil ? "" : try Self.fingerprint(input)
        let result: (Referral, Bool)
        do {
            result = try await insertOnce(input, idempotencyKey: idempotencyKey, fingerprint: fingerprint, now: now)
        } catch let error as SQLError where error.kind == .uniqueViolation && idempotencyKey != nil {
            // Two requests with one key at once (PostgreSQL runs them in parallel): the second's insert
            // waited for the first to commit and collided with its key. Run again: it now finds the
            // first's referral and answers with it, as for any retry.
            result = try await insertOnce(input, idempotencyKey: idempotencyKey, fingerprint: fingerprint, now: now)
        }
        if !result.1 { _ = published(result.0) }
        return result
    }

    /// The create itself, in one transaction: a key seen before answers with its referral.
    private func insertOnce(_ input: NewReferral, idempotencyKey: String?, fingerprint: String, now: Timestamp)
        async throws -> (Referral, Bool)
    {
        let actor = self.actor
        return try await database.write { db in
            if let key = idempotencyKey,
                let prior = try await db.first(
                    "SELECT request_hash, resource_id FROM idempotency_keys WHERE user_id = ? AND key = ?",
                    actor.userId, key)
            {
                guard prior.string("request_hash") == fingerprint else {
                    throw ThawError.unprocessable(
                        "Idempotency-Key", "reused",
                        "this Idempotency-Key was already used for a different request")
                }
                let existing = try await Self.loadReferral(db, ID(prior.string("resource_id")))
                return (existing, true)
            }
            let referral = try await Self.insertReferral(db, input, actor: actor, at: now)
            if let key = idempotencyKey {
                try await db.execute(
                    """
                    INSERT INTO idempotency_keys (user_id, key, organization_id, request_hash, resource_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, actor.userId, key, actor.organizationId, fingerprint, referral.id, now)
            }
            return (referral, false)
        }
    }

    /// Makes a referral for a client the actor's organisation holds, or onward from a referral it
    /// is working, checking its owner, needs and consent, with its ledger entry and access log.
    static func insertReferral(_ db: any SQLConnection, _ input: NewReferral, actor: Actor, at now: Timestamp) async throws -> Referral {
        let client: Client
        if let parent = input.partOfReferralId {
            client = try await Self.onwardClient(db, from: parent, input, actor: actor, now: now)
        } else {
            client = try await Self.heldClient(db, input.clientId, actor: actor)
        }
        let owner = try await Self.resolveOwner(db, input)
        try await Self.checkNeeds(db, input.needIds ?? [], client: client.id)
        let consents = try await Self.consents(db, client: client.id)
        if let owner, owner == client.organizationId {
            // Referred back to the organisation that holds the client: its own record, no consent needed.
        } else if let owner {
            let ownerOrg = try await Self.organization(db, owner)
            guard !consents.scopes(for: owner, sector: ownerOrg.sector, use: .referral, at: now).isEmpty else {
                let otherPurpose = consents.contains { $0.isActive(at: now) && $0.grantee.includes(organization: owner, sector: ownerOrg.sector) }
                throw ThawError.unprocessable(
                    input.serviceId == nil ? "organizationId" : "serviceId", "consent-required",
                    otherPurpose
                        ? "the client's consent covering \(ownerOrg.name) is not for referral; record a consent for referral before referring"
                        : "the client has no active consent covering \(ownerOrg.name); record consent before referring")
            }
        } else if owner == nil {
            guard consents.anyActive(for: .referral, at: now) else {
                throw ThawError.unprocessable(
                    "clientId", "consent-required",
                    "an open referral needs an active consent for referral that lets eligible partners see it")
            }
        }
        let priority = input.priority ?? .routine
        let referral = Referral(
            id: IDGenerator.make("ref", createdAt: now), clientId: client.id, requesterOrganizationId: actor.organizationId,
            requesterUserId: actor.userId, ownerOrganizationId: owner, serviceId: input.serviceId,
            needCategory: input.needCategory, needIds: input.needIds ?? [], priority: priority,
            status: input.draft == true ? .draft : .requested, note: input.note,
            firstResponseDue: input.firstResponseDue ?? now.adding(seconds: priority.defaultFirstResponseSeconds),
            followUpDue: input.followUpDue ?? now.adding(days: 14), createdAt: now, updatedAt: now, partOf: input.partOfReferralId)
        try await db.execute(
            """
            INSERT INTO referrals (\(Referral.columns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, ?, ?, NULL, ?, NULL, NULL, ?, ?, 1, ?)
            """, referral.id, referral.clientId, referral.requesterOrganizationId, referral.requesterUserId,
            referral.ownerOrganizationId, referral.serviceId, referral.needCategory,
            referral.needIds.map(\.raw).joined(separator: ","), referral.priority, referral.status, referral.note,
            referral.firstResponseDue, referral.followUpDue, now, now, referral.partOf)
        try await db.append(
            LedgerRecord(
                kind: "referral.created", subjectType: "referral", subjectId: referral.id.raw,
                counterpart: owner, channel: .referral,
                detail: [
                    "status": referral.status.rawValue, "need": referral.needCategory.rawValue,
                    "priority": priority.rawValue, "open": owner == nil ? "true" : "false"
                ].merging(referral.partOf.map { ["partOf": $0.raw] } ?? [:]) { a, _ in a }),
            by: actor, at: now)
        try await db.logAccess(actor, client: client.id, action: "write", subjectType: "referral", subjectId: referral.id.raw, at: now)
        return referral
    }

    public func referral(_ id: ID<Referral>) async throws -> ReferralDetail {
        let actor = self.actor, now = now()
        let detail = try await database.read { db in
            let (referral, side, scopes) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            return try await Self.detail(db, referral, side: side, scopes: scopes, actor: actor, now: now)
        }
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: detail.referral.clientId, action: "read", subjectType: "referral",
                subjectId: id.raw, at: now)
        }
        return detail
    }

    /// Moves a referral to a new status. `expectedVersion` comes from If-Match;
    /// if someone changed the referral since, nothing is written and 412 follows.
    public func changeStatus(_ id: ID<Referral>, _ change: StatusChange, expectedVersion: Int) async throws -> Referral {
        try await modifyReferral(id, expectedVersion: expectedVersion) { referral, side, now in
            let from = referral.status
            try ReferralWorkflow.check(from: from, to: change.status, by: side, reason: change.reason, outcome: change.outcome)
            if change.reasonCode != nil, change.status != .rejected {
                throw ThawError.unprocessable("reasonCode", "not-allowed", "a reason code is given only when declining")
            }
            referral.apply(status: change.status, reason: change.reason, outcome: change.outcome, by: side, at: now)
            var detail = ["from": from.rawValue, "to": change.status.rawValue]
            if let reason = referral.statusReason { detail["reason"] = reason }
            if let code = change.reasonCode { detail["reasonCode"] = code.rawValue }
            if let outcome = change.outcome { detail["outcome"] = outcome.code.rawValue }
            return ("referral.status-changed", detail)
        }
    }

    /// The shared shape of a change to a referral's status columns: load it as
    /// this actor sees it, refuse a stale version, apply `change`, save only if
    /// nobody else saved in between, and record it in the ledger and access log.
    private func modifyReferral(
        _ id: ID<Referral>, expectedVersion: Int,
        _ change: @escaping @Sendable (inout Referral, ReferralSide, Timestamp) throws -> (kind: String, detail: [String: String])
    )
        async throws -> Referral
    {
        let actor = self.actor, now = now()
        return published(
            try await database.write { db in
                var (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
                try Self.checkVersion(referral, expectedVersion)
                let unanswered = referral.firstRespondedAt == nil
                var (kind, detail) = try change(&referral, side, now)
                if unanswered, referral.firstRespondedAt != nil {
                    detail[ResponseTiming.detailKey] = try await Self.firstResponseVerdict(db, referral, at: now)
                }
                try await Self.saveStatus(db, referral, expectedVersion: expectedVersion)
                try await db.append(
                    LedgerRecord(
                        kind: kind, subjectType: "referral", subjectId: id.raw,
                        counterpart: referral.counterpart(of: actor.organizationId),
                        channel: .referral, detail: detail), by: actor, at: now)
                try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "referral", subjectId: id.raw, at: now)
                return referral
            })
    }

    /// Takes an open referral: the claiming organisation becomes the owner and
    /// accepts it in one step. Only one claimer can win.
    public func claim(_ id: ID<Referral>) async throws -> Referral {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "claiming a referral")
        let actor = self.actor, now = now()
        return published(
            try await database.write { db in
                guard let row = try await db.first("SELECT \(Referral.columns) FROM referrals WHERE id = ?", id) else {
                    throw ThawError.notFound("referral \(id)")
                }
                var referral = Referral(row: row)
                guard referral.isOpen, referral.status == .requested,
                    try await Self.isEligible(db, actor: actor, for: referral, now: now)
                else {
                    throw ThawError.notFound("open referral \(id)")
                }
                let expected = referral.version
                referral.ownerOrganizationId = actor.organizationId
                referral.apply(status: .accepted, reason: nil, outcome: nil, by: .performer, at: now)
                let changed = try await db.execute(
                    """
                    UPDATE referrals SET owner_organization_id = ?, status = 'accepted', first_responded_at = ?,
                        updated_at = ?, version = ? WHERE id = ? AND version = ? AND owner_organization_id IS NULL
                    """, actor.organizationId, now, now, referral.version, id, expected)
                guard changed == 1 else {
                    throw ThawError.conflict(code: "already-claimed", message: "another organisation claimed this referral first")
                }
                try await db.append(
                    LedgerRecord(
                        kind: "referral.claimed", subjectType: "referral", subjectId: id.raw,
                        counterpart: referral.requesterOrganizationId, channel: .referral,
                        detail: [
                            "from": "requested", "to": "accepted",
                            ResponseTiming.detailKey: ResponseTiming.verdict(due: referral.firstResponseDue, at: now)
                        ]),
                    by: actor, at: now)
                try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "referral", subjectId: id.raw, at: now)
                return referral
            }, open: true)
    }

    public func setBusinessStatus(_ id: ID<Referral>, _ step: BusinessStatus, expectedVersion: Int) async throws -> Referral {
        try await modifyReferral(id, expectedVersion: expectedVersion) { referral, side, now in
            try BusinessStatus.check(step, status: referral.status, side: side)
            referral.businessStatus = step
            if referral.firstRespondedAt == nil { referral.firstRespondedAt = now }
            referral.touch(at: now)
            return ("referral.business-status", ["step": step.rawValue])
        }
    }

    /// The referring side adjusts priority, follow-up date or note.
    public func updateReferral(_ id: ID<Referral>, _ update: ReferralUpdate, expectedVersion: Int) async throws -> Referral {
        let actor = self.actor, now = now()
        var v = Validator()
        v.limitText(update.note, "note", maxLength: 4000)
        if let due = update.followUpDue { v.require(due > now, "followUpDue", "not-in-past", "followUpDue must be in the future") }
        try v.check()
        return published(
            try await database.write { db in
                var (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
                try Self.checkVersion(referral, expectedVersion)
                guard side == .requester else { throw ThawError.forbidden("only the referring organisation edits a referral") }
                guard !referral.status.isTerminal else {
                    throw ThawError.conflict(code: "closed", message: "a \(referral.status.rawValue) referral can no longer be edited")
                }
                var changed: [String: String] = [:]
                if let p = update.priority, p != referral.priority { referral.priority = p; changed["priority"] = p.rawValue }
                if let due = update.followUpDue { referral.followUpDue = due; changed["followUpDue"] = due.description }
                if let note = update.note { referral.note = note; changed["note"] = "changed" }
                referral.touch(at: now)
                let rows = try await db.execute(
                    """
                    UPDATE referrals SET priority = ?, follow_up_due = ?, note = ?, updated_at = ?, version = ?
                    WHERE id = ? AND version = ?
                    """, referral.priority, referral.followUpDue, referral.note, now, referral.version, id, expectedVersion)
                guard rows == 1 else { throw Self.stale(id) }
                try await db.append(
                    LedgerRecord(
                        kind: "referral.updated", subjectType: "referral", subjectId: id.raw,
                        counterpart: referral.ownerOrganizationId, channel: .referral, detail: changed),
                    by: actor, at: now)
                try await db.logAccess(actor, client: referral.clientId, action: "write", subjectType: "referral", subjectId: id.raw, at: now)
                return referral
            })
    }

    /// Open referrals this actor's organisation could claim: need matches a
    /// service it offers with capacity, and the client's consent covers it.
    /// Client identity is not shown until claimed.
    public func openReferrals(limit: Int = 50) async throws -> [OpenReferralSummary] {
        guard actor.hasAny(AccessPolicy.receivingRoles) else { return [] }
        let actor = self.actor, now = now()
        return try await database.read { db in
            try await db.query(
                """
                SELECT r.id, r.need_category, r.priority, r.created_at, r.first_response_due, o.name AS requester_name
                FROM referrals r JOIN organizations o ON o.id = r.requester_organization_id
                WHERE r.owner_organization_id IS NULL AND r.status = 'requested'
                  AND r.need_category IN (SELECT n.need_category FROM service_needs n JOIN services s ON s.id = n.service_id
                                          WHERE n.organization_id = ? AND s.capacity <> 'closed')
                  AND \(Self.consentCovers(alias: "r"))
                ORDER BY r.first_response_due, r.id \(SQLText.limit)
                """, [actor.organizationId.sqlValue] + Self.coverBinds(actor, at: now) + [.int(Int64(min(max(limit, 1), 200)))]
            ).map { row in
                OpenReferralSummary(
                    id: row.id("id"), needCategory: row.enumValue("need_category"),
                    priority: row.enumValue("priority"), requesterName: row.string("requester_name"),
                    createdAt: row.timestamp("created_at"), firstResponseDue: row.timestamp("first_response_due"))
            }
        }
    }
}

public struct OpenReferralSummary: Codable, Sendable {
    public var id: ID<Referral>
    public var needCategory: NeedCategory
    public var priority: Priority
    public var requesterName: String
    public var createdAt: Timestamp
    public var firstResponseDue: Timestamp
}
