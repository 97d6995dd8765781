import Foundation
import ThawCore

// The checks every referral operation shares: is it visible to this actor,
// from which side, under which consent scopes; and is the caller's copy fresh.
extension ScopedStore {
    /// SQL condition: an active consent for referral on the referral's client covers the
    /// organisation and sector bound next, or that organisation holds the client itself (a
    /// partner referred the client back to it). Binds: `coverBinds`.
    static func consentCovers(alias r: String) -> String {
        """
        (EXISTS (SELECT 1 FROM consents c WHERE c.client_id = \(r).client_id AND c.revoked_at IS NULL
                AND c.purpose = '\(ConsentPurpose.referral.rawValue)'
                AND c.valid_from <= ? AND (c.valid_until IS NULL OR c.valid_until > ?)
                AND (c.grantee_organization_id = ? OR c.grantee_sector = ?))
         OR \(r).client_id IN (SELECT h.id FROM clients h WHERE h.organization_id = ?))
        """
    }

    /// The same test as `consentCovers`, as a set of clients: cheaper when
    /// every open referral of an organisation is read (the counts), since the
    /// set is built once instead of probed per row. Same binds, same order.
    static func consentCoveredClients(alias r: String) -> String {
        """
        (\(r).client_id IN (SELECT c.client_id FROM consents c WHERE c.revoked_at IS NULL
                AND c.purpose = '\(ConsentPurpose.referral.rawValue)'
                AND c.valid_from <= ? AND (c.valid_until IS NULL OR c.valid_until > ?)
                AND (c.grantee_organization_id = ? OR c.grantee_sector = ?))
         OR \(r).client_id IN (SELECT h.id FROM clients h WHERE h.organization_id = ?))
        """
    }

    /// The values `consentCovers` and `consentCoveredClients` take, in their order.
    static func coverBinds(_ actor: Actor, at now: Timestamp) -> [SQLValue] {
        [now.sqlValue, now.sqlValue, actor.organizationId.sqlValue, actor.sector.sqlValue, actor.organizationId.sqlValue]
    }

    /// Whether the actor's organisation holds the client's record.
    static func holds(_ db: any SQLConnection, _ client: ID<Client>, actor: Actor) async throws -> Bool {
        try await db.first("SELECT id FROM clients WHERE id = ? AND organization_id = ?", client, actor.organizationId) != nil
    }

    static func loadReferral(_ db: any SQLConnection, _ id: ID<Referral>) async throws -> Referral {
        guard let row = try await db.first("SELECT \(Referral.columns) FROM referrals WHERE id = ?", id) else {
            throw ThawError.notFound("referral \(id)")
        }
        return Referral(row: row)
    }

    /// The referral, the actor's side and consent scopes; 404 if the actor is not
    /// a party, or is the receiving party without a live consent.
    static func visibleReferral(_ db: any SQLConnection, _ id: ID<Referral>, actor: Actor, now: Timestamp)
        async throws -> (Referral, ReferralSide, Set<ConsentScope>)
    {
        let referral = try await loadReferral(db, id)
        var scopes: Set<ConsentScope> = []
        // The referring organisation holds its client, except where a partner referred the client onward.
        var holds = actor.organizationId == referral.requesterOrganizationId && referral.partOf == nil
        let party = actor.organizationId == referral.ownerOrganizationId || actor.organizationId == referral.requesterOrganizationId
        if party, !holds {
            holds = try await Self.holds(db, referral.clientId, actor: actor)
            // The organisation holding the record sees all of it; any other party what the client's consent allows.
            scopes =
                holds
                ? Set(ConsentScope.allCases)
                : try await consents(db, client: referral.clientId).scopes(for: actor.organizationId, sector: actor.sector, at: now)
        }
        guard let side = AccessPolicy.side(of: actor, on: referral, consentScopes: scopes, holdsClient: holds) else {
            throw ThawError.notFound("referral \(id)")
        }
        return (referral, side, scopes)
    }

    static func detail(
        _ db: any SQLConnection, _ referral: Referral, side: ReferralSide, scopes: Set<ConsentScope>,
        actor: Actor, now: Timestamp
    ) async throws -> ReferralDetail {
        guard let clientRow = try await db.first("SELECT \(Client.columns) FROM clients WHERE id = ?", referral.clientId) else {
            throw ThawError.notFound("referral \(referral.id)")
        }
        var client = Client(row: clientRow)
        let holder = client.organizationId == actor.organizationId
        if !holder { client = client.disclosed(under: scopes) }
        let visible = Disclosure.referral(referral, to: side, under: scopes)
        let requester = try await organization(db, referral.requesterOrganizationId)
        let owner = try await referral.ownerOrganizationId.asyncMap { try await organization(db, $0) }
        // The referring side is told, before it writes, whether the partner will read its free text.
        var counterpartSeesNotes: Bool?
        if side == .requester, let owner {
            counterpartSeesNotes = try await consents(db, client: referral.clientId)
                .scopes(for: owner.id, sector: owner.sector, at: now).contains(.notes)
        }
        let serviceName =
            try await referral.serviceId.asyncMap {
                try await db.first("SELECT name FROM services WHERE id = ?", $0)?.string("name")
            } ?? nil
        let allowed = TaskStatus.allCases.filter { to in
            (try? ReferralWorkflow.check(
                from: referral.status, to: to, by: side, reason: "x",
                outcome: to == .completed ? ReferralOutcome(code: .needMet, summary: "x") : nil)) != nil
        }
        return ReferralDetail(
            referral: visible, client: client, side: side,
            disclosedScopes: holder ? nil : scopes, requesterName: requester.name,
            ownerName: owner?.name, serviceName: serviceName, counterpartSeesNotes: counterpartSeesNotes,
            allowedStatuses: allowed,
            canSetBusinessStatus: side == .performer && referral.status.isActive)
    }

    static func organization(_ db: any SQLConnection, _ id: ID<Organization>) async throws -> Organization {
        guard let row = try await db.first("SELECT \(Organization.columns) FROM organizations WHERE id = ?", id) else {
            throw ThawError.unprocessable("organizationId", "exists", "no organisation \(id) exists")
        }
        return Organization(row: row)
    }

    /// The receiving organisation named by a service or directly; nil for an open referral.
    static func resolveOwner(_ db: any SQLConnection, _ input: NewReferral) async throws -> ID<Organization>? {
        guard let serviceId = input.serviceId else {
            if let org = input.organizationId { _ = try await organization(db, org) }
            return input.organizationId
        }
        guard let row = try await db.first("SELECT \(Service.columns) FROM services WHERE id = ?", serviceId) else {
            throw ThawError.unprocessable("serviceId", "exists", "no service \(serviceId) exists")
        }
        let service = Service(row: row)
        if let org = input.organizationId, org != service.organizationId {
            throw ThawError.unprocessable("organizationId", "matches-service", "the service belongs to another organisation")
        }
        guard service.capacity != .closed else {
            throw ThawError.unprocessable("serviceId", "capacity", "\(service.name) is closed to new referrals")
        }
        guard service.needCategories.contains(input.needCategory) else {
            throw ThawError.unprocessable(
                "needCategory", "offered-by-service",
                "\(service.name) does not address \(input.needCategory.rawValue)")
        }
        return service.organizationId
    }

    static func checkNeeds(_ db: any SQLConnection, _ ids: [ID<IdentifiedNeed>], client: ID<Client>) async throws {
        for (index, id) in ids.enumerated() {
            guard try await db.first("SELECT id FROM needs WHERE id = ? AND client_id = ?", id, client) != nil else {
                throw ThawError.unprocessable("needIds[\(index)]", "exists", "no identified need \(id) for this client")
            }
        }
    }

    static func isEligible(_ db: any SQLConnection, actor: Actor, for referral: Referral, now: Timestamp) async throws -> Bool {
        guard
            try await db.first(
                """
                SELECT 1 AS ok FROM service_needs n JOIN services s ON s.id = n.service_id
                WHERE n.organization_id = ? AND n.need_category = ? AND s.capacity <> 'closed' LIMIT 1
                """, actor.organizationId, referral.needCategory) != nil
        else { return false }
        return
            !(try await consents(db, client: referral.clientId)
            .scopes(for: actor.organizationId, sector: actor.sector, at: now).isEmpty)
    }

    /// Whether the receiving side's first response came in time (see ResponseTiming);
    /// nil when the deadline sweep already recorded it overdue.
    static func firstResponseVerdict(_ db: any SQLConnection, _ referral: Referral, at now: Timestamp) async throws -> String? {
        let recorded = try await db.first("SELECT response_overdue_recorded AS r FROM referrals WHERE id = ?", referral.id)?.int("r") == 1
        return ResponseTiming.verdict(due: referral.firstResponseDue, at: now, overdueRecorded: recorded)
    }

    static func checkVersion(_ referral: Referral, _ expected: Int) throws {
        guard referral.version == expected else { throw stale(referral.id) }
    }

    static func stale(_ id: ID<Referral>) -> ThawError {
        .preconditionFailed("referral \(id) was changed by someone else; reload it and try again")
    }

    /// Writes the status columns, but only if nobody changed the row since it was read.
    static func saveStatus(_ db: any SQLConnection, _ r: Referral, expectedVersion: Int) async throws {
        let rows = try await db.execute(
            """
            UPDATE referrals SET status = ?, business_status = ?, status_reason = ?, status_reason_side = ?, outcome_code = ?,
                outcome_summary = ?, first_responded_at = ?, updated_at = ?, version = ?
            WHERE id = ? AND version = ?
            """, r.status, r.businessStatus, r.statusReason, r.statusReasonSide, r.outcome?.code, r.outcome?.summary,
            r.firstRespondedAt, r.updatedAt, r.version, r.id, expectedVersion)
        guard rows == 1 else { throw stale(r.id) }
    }

    /// A stable digest of a create request, to recognise a retried Idempotency-Key.
    static func fingerprint(_ input: NewReferral) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SecretDigest.hex(String(decoding: try encoder.encode(input), as: UTF8.self))
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
