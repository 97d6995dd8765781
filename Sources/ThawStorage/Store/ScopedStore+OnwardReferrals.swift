import ThawCore

/// One referral in a client's chain of referrals: who referred to whom, for what, where it stands.
/// No client data beyond the need's domain.
public struct ReferralLink: Codable, Sendable, Equatable {
    public var id: ID<Referral>
    public var partOf: ID<Referral>?
    public var requesterName: String
    public var ownerName: String?
    public var needCategory: NeedCategory
    public var status: TaskStatus
    public var outcome: ReferralOutcome.Code?
    public var createdAt: Timestamp
    /// Whether this actor may open it (is a party to it).
    public var openable: Bool
}

extension ScopedStore {
    /// The client for a referral made onward from `parentId`: the referral must be visible to the
    /// actor and be one it is working (accepted, under way, on hold or completed) or one it made;
    /// the client is the same. An organisation that does not hold the client names no need ids
    /// (it may not see them) and sends to a named partner, never to all.
    static func onwardClient(_ db: any SQLConnection, from parentId: ID<Referral>, _ input: NewReferral, actor: Actor, now: Timestamp)
        async throws -> Client
    {
        let (parent, side, _) = try await visibleReferral(db, parentId, actor: actor, now: now)
        guard input.clientId == parent.clientId else {
            throw ThawError.unprocessable("clientId", "matches-parent", "an onward referral is for the same client as the referral it comes from")
        }
        if side == .performer {
            guard parent.status.isWorkedByPartner else {
                throw ThawError.conflict(
                    code: "not-working", message: "refer onward from a referral your organisation has accepted, not a \(parent.status.rawValue) one")
            }
        }
        guard let row = try await db.first("SELECT \(Client.columns) FROM clients WHERE id = ?", parent.clientId) else {
            throw ThawError.notFound("referral \(parentId)")
        }
        let client = Client(row: row)
        if client.organizationId != actor.organizationId {
            var v = Validator()
            v.require((input.needIds ?? []).isEmpty, "needIds", "not-held", "an onward referral names its need by its domain (needCategory)")
            v.require(input.serviceId != nil || input.organizationId != nil, "organizationId", "required", "say which partner to refer to")
            try v.check()
        }
        return client
    }

    /// Records a consent the client gave to a partner working their referral, so it can refer
    /// them onward: to one named organisation, for referral, and never for more than the client
    /// lets this partner see itself.
    public func recordOnwardConsent(referral id: ID<Referral>, _ input: NewConsent) async throws -> Consent {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "recording a client's consent")
        let actor = self.actor, now = now()
        try input.validate(now: now)
        return try await database.write { db in try await Self.insertOnwardConsent(db, referral: id, input, actor: actor, now: now) }
    }

    /// Refers the client onward and records, in the same transaction, the consent the client gave
    /// for it: both are written, or neither.
    public func referOnward(_ input: NewReferral, recordingConsent consent: NewConsent?) async throws -> Referral {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "referring a client onward")
        guard let parent = input.partOfReferralId else {
            throw ThawError.unprocessable("partOfReferralId", "required", "say which referral the client is referred onward from")
        }
        let actor = self.actor, now = now()
        try input.validate(now: now)
        try consent?.validate(now: now)
        return published(
            try await database.write { db in
                if let consent { _ = try await Self.insertOnwardConsent(db, referral: parent, consent, actor: actor, now: now) }
                return try await Self.insertReferral(db, input, actor: actor, at: now)
            })
    }

    static func insertOnwardConsent(_ db: any SQLConnection, referral id: ID<Referral>, _ input: NewConsent, actor: Actor, now: Timestamp)
        async throws -> Consent
    {
        let (referral, side, scopes) = try await visibleReferral(db, id, actor: actor, now: now)
        guard side == .performer else {
            throw ThawError.forbidden("the organisation holding the client records its consents on the client's page")
        }
        var v = Validator()
        if case .sector = input.grantee {
            v.require(false, "grantee", "organization", "a partner records consent for one named organisation, not a whole sector")
        }
        v.require(input.purpose == .referral, "purpose", "referral", "a partner records consent for referral only")
        v.require(
            input.scopes.isSubset(of: scopes), "scopes", "within-own",
            "the client's consent lets your organisation see only \(scopes.map(\.rawValue).sorted().joined(separator: ", ")); you cannot pass on more"
        )
        try v.check()
        return try await insertConsent(db, input, client: referral.clientId, actor: actor, at: now)
    }

    /// The chain a referral belongs to: the referral it was made from, back to the first, and every
    /// referral made onward from any of them. The organisation holding the client sees the whole
    /// chain; a partner sees the links it is a party to.
    public func referralChain(_ id: ID<Referral>) async throws -> [ReferralLink] {
        let actor = self.actor, now = now()
        let (client, links) = try await database.read { db -> (ID<Client>, [ReferralLink]) in
            let (referral, _, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            let holds = try await Self.holds(db, referral.clientId, actor: actor)
            // The whole family of this client's referrals joined by partOf; few per client, so read them all.
            let rows = try await db.query(
                """
                SELECT \(Referral.qualifiedColumns), ro.name AS requester_name, oo.name AS owner_name
                FROM referrals r JOIN organizations ro ON ro.id = r.requester_organization_id
                LEFT JOIN organizations oo ON oo.id = r.owner_organization_id
                WHERE r.client_id = ? ORDER BY r.created_at, r.id
                """, referral.clientId)
            let all = rows.map { (Referral(row: $0), $0.string("requester_name"), $0.optionalString("owner_name")) }
            let byId = Dictionary(uniqueKeysWithValues: all.map { ($0.0.id, $0.0) })
            var root = referral
            var seen: Set<ID<Referral>> = [root.id]
            while let parent = root.partOf.flatMap({ byId[$0] }), seen.insert(parent.id).inserted { root = parent }
            var family: Set<ID<Referral>> = [root.id]
            var grew = true
            while grew {
                grew = false
                for (r, _, _) in all where !family.contains(r.id) && r.partOf.map(family.contains) == true {
                    family.insert(r.id)
                    grew = true
                }
            }
            guard family.count > 1 else { return (referral.clientId, []) }
            return (
                referral.clientId,
                all.compactMap { r, requester, owner in
                    guard family.contains(r.id), r.status != .draft || r.requesterOrganizationId == actor.organizationId else { return nil }
                    let party = r.side(of: actor.organizationId) != nil
                    guard holds || party else { return nil }
                    return ReferralLink(
                        id: r.id, partOf: r.partOf, requesterName: requester, ownerName: owner, needCategory: r.needCategory,
                        status: r.status, outcome: r.outcome?.code, createdAt: r.createdAt, openable: party)
                }
            )
        }
        try await auditRead(client: client, subjectType: "referral-chain", subjectId: id.raw, at: now)
        return links
    }
}
