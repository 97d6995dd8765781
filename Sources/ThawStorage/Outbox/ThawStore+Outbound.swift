import Crypto
import ThawCore

extension PartnerEndpoint {
    static let columns = "organization_id, fhir_base, client_id, remote_organization_id, scopes, mirror_user_id, created_at"
    /// The columns from `partner_endpoints e`, for a join whose other tables name none of them.
    static let qualifiedColumns = columns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")

    init(row: SQLRow) {
        self.init(
            organizationId: row.id("organization_id"), fhirBase: row.string("fhir_base"), clientId: row.string("client_id"),
            remoteOrganizationId: row.string("remote_organization_id"), scopes: row.string("scopes"), mirrorUserId: row.id("mirror_user_id"),
            createdAt: row.timestamp("created_at"))
    }
}

/// A referral to send to a partner's own system: what the partner may see of it, as it would see it here.
public struct OutboundReferral: Sendable {
    public var referral: Referral
    public var client: Client
    public var scopes: Set<ConsentScope>
    public var consent: Consent?
    public var needs: [IdentifiedNeed]
    public var endpoint: PartnerEndpoint
    public var attempts: Int
}

extension ThawStore {
    /// Names a partner organisation's own FHIR server (network administrators): referrals to it
    /// are sent there from now on. The partner's changes are recorded here under an account made
    /// for its system, which cannot sign in.
    public func configurePartnerEndpoint(_ organization: ID<Organization>, _ input: NewPartnerEndpoint, by actor: Actor) async throws
        -> PartnerEndpoint
    {
        try AccessPolicy.require(actor, anyOf: [.networkAdministrator], to: "naming a partner's own system")
        try input.validate()
        let now = clock.now()
        return try await database.write { db in
            let partner = try await ScopedStore.organization(db, organization)
            var mirror = try await db.first("SELECT mirror_user_id FROM partner_endpoints WHERE organization_id = ?", organization)?.id(
                "mirror_user_id", as: User.self)
            if mirror == nil {
                let id: ID<User> = IDGenerator.make("usr")
                try await db.execute(
                    """
                    INSERT INTO users (id, organization_id, email, display_name, roles, active, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, 1, NULL, ?)
                    """, id, organization, "system+\(id.raw)@thaw.invalid", "\(partner.name)'s own system", Set([Role.partnerStaff]).listText, now)
                mirror = id
            }
            let endpoint = PartnerEndpoint(
                organizationId: organization, fhirBase: input.fhirBase.hasSuffix("/") ? String(input.fhirBase.dropLast()) : input.fhirBase,
                clientId: input.clientId, remoteOrganizationId: input.remoteOrganizationId,
                scopes: try AccessScopes(parsing: input.scopes ?? NewPartnerEndpoint.defaultScopes).text, mirrorUserId: mirror ?? ID("usr_none"),
                createdAt: now)
            try await db.execute("DELETE FROM partner_endpoints WHERE organization_id = ?", organization)
            try await db.execute(
                "INSERT INTO partner_endpoints (\(PartnerEndpoint.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)", organization, endpoint.fhirBase,
                endpoint.clientId, endpoint.remoteOrganizationId, endpoint.scopes, endpoint.mirrorUserId, now)
            try await db.append(
                LedgerRecord(
                    kind: "organization.endpoint-set", subjectType: "organization", subjectId: organization.raw, counterpart: organization,
                    channel: .system, detail: ["fhirBase": endpoint.fhirBase]), by: actor, at: now)
            return endpoint
        }
    }

    public func partnerEndpoint(_ organization: ID<Organization>) async throws -> PartnerEndpoint? {
        try await database.read { db in
            try await db.first("SELECT \(PartnerEndpoint.columns) FROM partner_endpoints WHERE organization_id = ?", organization)
                .map(PartnerEndpoint.init(row:))
        }
    }

    /// Claims referrals due to be sent to partners' systems, each with what the partner may see.
    public func claimOutbound(limit: Int = 20) async throws -> [OutboundReferral] {
        let now = clock.now()
        return try await database.write { db in
            let skipLocked = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let rows = try await db.query(
                "SELECT referral_id, attempts FROM outbound_referrals WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?\(skipLocked)",
                now, limit)
            var claimed: [OutboundReferral] = []
            for row in rows {
                let id: ID<Referral> = row.id("referral_id")
                try await db.execute(
                    "UPDATE outbound_referrals SET next_attempt_at = ?, attempts = attempts + 1 WHERE referral_id = ?",
                    now.adding(seconds: Outbox.leaseMillis / 1000), id)
                let referral = try await ScopedStore.loadReferral(db, id)
                guard let owner = referral.ownerOrganizationId,
                    let endpoint = try await db.first("SELECT \(PartnerEndpoint.columns) FROM partner_endpoints WHERE organization_id = ?", owner)
                        .map(PartnerEndpoint.init(row:)),
                    let partner = try await Self.activeActor(db, endpoint.mirrorUserId, in: owner)
                else { continue }
                // What the partner may see here is what it is sent: the same disclosure, the same consent.
                guard let (visible, _, scopes) = try? await ScopedStore.visibleReferral(db, id, actor: partner, now: now) else {
                    try await db.execute(
                        "UPDATE outbound_referrals SET state = 'dead', last_error = 'no consent covers the partner now' WHERE referral_id = ?", id)
                    continue
                }
                let client = try await db.first("SELECT \(Client.columns) FROM clients WHERE id = ?", referral.clientId).map(Client.init(row:))
                let consent = try await ScopedStore.consents(db, client: referral.clientId)
                    .filter { $0.isActive(at: now) && $0.purpose == .referral && $0.grantee.includes(organization: owner, sector: partner.sector) }
                    .last
                var needs: [IdentifiedNeed] = []
                for need in visible.needIds {
                    if let row = try await db.first("SELECT \(IdentifiedNeed.columns) FROM needs WHERE id = ?", need) {
                        needs.append(IdentifiedNeed(row: row))
                    }
                }
                guard let client else { continue }
                claimed.append(
                    OutboundReferral(
                        referral: visible, client: client.disclosed(under: scopes), scopes: scopes, consent: consent, needs: needs,
                        endpoint: endpoint,
                        attempts: row.int("attempts") + 1))
            }
            return claimed
        }
    }

    /// The partner's system took the referral. Cancelled here while it was on its way: the
    /// cancellation follows it there.
    public func markOutboundSent(_ id: ID<Referral>, remoteTask: String) async throws {
        try await database.write { db in
            try await db.execute(
                """
                UPDATE outbound_referrals SET state = CASE state WHEN 'withdrawn' THEN 'cancel-pending' ELSE 'sent' END,
                    remote_task = ?, last_error = NULL WHERE referral_id = ?
                """, remoteTask, id)
        }
    }

    /// A failed send: tried again after the backoff, or given up (the partner refused it, or too many attempts).
    public func markOutboundFailed(_ outbound: OutboundReferral, error: String, refused: Bool) async throws {
        let now = clock.now(), dead = refused || outbound.attempts >= Outbox.maxAttempts
        try await database.write { db in
            try await db.execute(
                "UPDATE outbound_referrals SET state = ?, next_attempt_at = ?, last_error = ? WHERE referral_id = ?", dead ? "dead" : "pending",
                Timestamp(millis: now.millis + Outbox.backoffMillis(afterAttempts: outbound.attempts)), String(error.prefix(500)),
                outbound.referral.id)
        }
    }

    /// Referrals sent to partners' systems that are not finished here: the ones to follow there.
    public func outboundToFollow(limit: Int = 200) async throws -> [(referral: Referral, remoteTask: String, endpoint: PartnerEndpoint)] {
        try await database.read { db in
            try await db.query(
                """
                SELECT o.remote_task, \(Referral.qualifiedColumns), e.organization_id, e.fhir_base, e.client_id AS endpoint_client_id,
                       e.remote_organization_id, e.scopes,
                       e.mirror_user_id, e.created_at AS endpoint_created_at
                FROM outbound_referrals o JOIN referrals r ON r.id = o.referral_id JOIN partner_endpoints e ON e.organization_id = o.organization_id
                WHERE o.state = 'sent' AND r.status IN ('requested', 'accepted', 'in-progress', 'on-hold')
                ORDER BY r.updated_at LIMIT ?
                """, limit
            ).map { row in
                (
                    Referral(row: row), row.string("remote_task"),
                    PartnerEndpoint(
                        organizationId: row.id("organization_id"), fhirBase: row.string("fhir_base"), clientId: row.string("endpoint_client_id"),
                        remoteOrganizationId: row.string("remote_organization_id"), scopes: row.string("scopes"),
                        mirrorUserId: row.id("mirror_user_id"), createdAt: row.timestamp("endpoint_created_at"))
                )
            }
        }
    }

    /// The partner's system moved a referral: the same moves here, made as the partner (through
    /// the workflow, so the timeline, ledger, climate and notifications see it as any other).
    public func mirrorPartnerChange(
        _ referral: Referral, endpoint: PartnerEndpoint, status: TaskStatus, reason: String?, outcome: ReferralOutcome?
    ) async throws {
        guard status != referral.status,
            let partner = try await database.read({ db in try await Self.activeActor(db, endpoint.mirrorUserId, in: endpoint.organizationId) })
        else { return }
        let scoped = scoped(to: partner)
        var current = referral
        for step in ReferralWorkflow.path(from: referral.status, to: status) {
            current = try await scoped.changeStatus(
                referral.id, StatusChange(status: step, reason: step == status ? reason : nil, outcome: step == status ? outcome : nil),
                expectedVersion: current.version)
        }
    }

    // MARK: the key Thaw signs with

    /// This server's signing key for SMART assertions (P-384, ES384), made on first use.
    public func signingKey() async throws -> (kid: String, pem: String) {
        if let key = try await database.read({ db in try await db.first("SELECT kid, private_pem FROM signing_keys ORDER BY created_at LIMIT 1") }) {
            return (key.string("kid"), key.string("private_pem"))
        }
        let kid = SecretDigest.newSecret(prefix: "key").prefix(24)
        let pem = P384.Signing.PrivateKey().pemRepresentation
        try await database.write { db in
            try await db.execute(
                "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?) ON CONFLICT (kid) DO NOTHING", String(kid), pem, clock.now()
            )
        }
        return try await signingKey()
    }
}
