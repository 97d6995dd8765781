import ThawCore

extension ClientLink {
    static let columns = "id, client_id, linked_client_id, linked_organization_id, basis, linked_by, linked_at, unlinked_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), clientId: row.id("client_id"), linkedClientId: row.id("linked_client_id"),
            linkedOrganizationId: row.id("linked_organization_id"), basis: row.enumValue("basis"), linkedBy: row.id("linked_by"),
            linkedAt: row.timestamp("linked_at"), unlinkedAt: row.optionalTimestamp("unlinked_at"))
    }
}

extension ScopedStore {
    /// Records at other organisations that may be this client: the same identifier (a health
    /// number), or the same name and birth date. Only those whose client consented to care
    /// coordination with this organisation are offered, so a search tells nothing of anyone else.
    public func linkCandidates(client id: ID<Client>) async throws -> [ClientLinkCandidate] {
        let actor = self.actor, now = now()
        let candidates = try await database.read { db in
            let client = try await Self.heldClient(db, id, actor: actor)
            return try await Self.candidates(db, for: client, actor: actor, now: now)
        }
        try await auditRead(client: id, subjectType: "link-candidates", at: now)
        return candidates
    }

    static func candidates(_ db: any SQLConnection, for client: Client, actor: Actor, now: Timestamp) async throws -> [ClientLinkCandidate] {
        var found: [(ID<Client>, ID<Organization>, String, ClientLink.Basis)] = []
        for row in try await db.query(
            """
            SELECT c.id, c.organization_id, o.name FROM client_identifiers mine
            JOIN client_identifiers theirs ON theirs.system = mine.system AND theirs.value = mine.value AND theirs.client_id <> mine.client_id
            JOIN clients c ON c.id = theirs.client_id JOIN organizations o ON o.id = c.organization_id
            WHERE mine.client_id = ? AND c.organization_id <> ?
            """, client.id, actor.organizationId)
        {
            found.append((row.id("id"), row.id("organization_id"), row.string("name"), .identifier))
        }
        if let birthDate = client.birthDate {
            for row in try await db.query(
                """
                SELECT c.id, c.organization_id, o.name FROM clients c JOIN organizations o ON o.id = c.organization_id
                WHERE lower(c.family_name) = lower(?) AND lower(c.given_name) = lower(?) AND c.birth_date = ? AND c.organization_id <> ?
                """, client.familyName, client.givenName, birthDate, actor.organizationId)
            where !found.contains(where: { $0.0 == row.id("id") }) {
                found.append((row.id("id"), row.id("organization_id"), row.string("name"), .nameAndBirthDate))
            }
        }
        let linked = Set(
            try await db.query("SELECT linked_client_id FROM client_links WHERE client_id = ? AND unlinked_at IS NULL", client.id)
                .map { $0.string("linked_client_id") })
        var candidates: [ClientLinkCandidate] = []
        for (other, organization, name, basis) in found where !linked.contains(other.raw) {
            guard try await covers(db, other, actor: actor, now: now) else { continue }
            candidates.append(ClientLinkCandidate(clientId: other, organizationId: organization, organizationName: name, basis: basis))
        }
        return candidates
    }

    /// Whether the other organisation's client consented to care coordination with this organisation now.
    static func covers(_ db: any SQLConnection, _ other: ID<Client>, actor: Actor, now: Timestamp) async throws -> Bool {
        !(try await consents(db, client: other).scopes(for: actor.organizationId, sector: actor.sector, use: .careCoordination, at: now).isEmpty)
    }

    /// Links this organisation's record of a client to another organisation's record of them:
    /// only a candidate (matched, and consented), and a match on name and birth date only once
    /// the person linking confirms it is the same person. Both records' access logs say so.
    public func linkClient(_ id: ID<Client>, _ input: NewClientLink) async throws -> ClientLink {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "linking client records")
        let actor = self.actor, now = now()
        return try await database.write { db in
            let client = try await Self.heldClient(db, id, actor: actor)
            guard let candidate = try await Self.candidates(db, for: client, actor: actor, now: now).first(where: { $0.clientId == input.clientId })
            else {
                throw ThawError.unprocessable(
                    "clientId", "candidate",
                    "that record does not match this client, is linked already, or its consent does not cover your organisation")
            }
            if candidate.basis == .nameAndBirthDate, input.confirmed != true {
                throw ThawError.unprocessable(
                    "confirmed", "required", "the records match on name and birth date only: confirm it is the same person before linking")
            }
            let link = ClientLink(
                id: IDGenerator.make("lnk"), clientId: id, linkedClientId: candidate.clientId, linkedOrganizationId: candidate.organizationId,
                basis: candidate.basis, linkedBy: actor.userId, linkedAt: now)
            try await db.execute(
                """
                INSERT INTO client_links (id, client_id, linked_client_id, organization_id, linked_organization_id, basis, linked_by, linked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, link.id, id, link.linkedClientId, actor.organizationId, link.linkedOrganizationId, link.basis, actor.userId, now)
            try await db.append(
                LedgerRecord(
                    kind: "client.linked", subjectType: "client", subjectId: id.raw, counterpart: candidate.organizationId, channel: .system,
                    detail: ["link": link.id.raw, "basis": link.basis.rawValue]),
                by: actor, at: now)
            for client in [id, link.linkedClientId] {
                try await db.logAccess(actor, client: client, action: "link", subjectType: "client-link", subjectId: link.id.raw, at: now)
            }
            return link
        }
    }

    public func unlinkClient(_ id: ID<Client>, link linkId: ID<ClientLink>) async throws -> ClientLink {
        let actor = self.actor, now = now()
        return try await database.write { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            guard
                var link = try await db.first("SELECT \(ClientLink.columns) FROM client_links WHERE id = ? AND client_id = ?", linkId, id)
                    .map(ClientLink.init(row:))
            else { throw ThawError.notFound("client link \(linkId)") }
            guard link.unlinkedAt == nil else { return link }
            link.unlinkedAt = now
            try await db.execute("UPDATE client_links SET unlinked_at = ? WHERE id = ?", now, linkId)
            try await db.append(
                LedgerRecord(
                    kind: "client.unlinked", subjectType: "client", subjectId: id.raw, counterpart: link.linkedOrganizationId, channel: .system,
                    detail: ["link": linkId.raw]),
                by: actor, at: now)
            for client in [id, link.linkedClientId] {
                try await db.logAccess(actor, client: client, action: "unlink", subjectType: "client-link", subjectId: linkId.raw, at: now)
            }
            return link
        }
    }

    /// The records linked to this client, each as its own consent allows now: its referrals
    /// always, its needs where that consent includes `needs`. A record whose consent has ended
    /// shows nothing until it is given again. Each read is in the linked record's access log.
    public func linkedRecords(client id: ID<Client>) async throws -> [LinkedRecord] {
        let actor = self.actor, now = now()
        let records = try await database.read { db -> [LinkedRecord] in
            _ = try await Self.heldClient(db, id, actor: actor)
            var records: [LinkedRecord] = []
            for link in try await db.query(
                "SELECT \(ClientLink.columns) FROM client_links WHERE client_id = ? AND unlinked_at IS NULL ORDER BY linked_at", id
            ).map(ClientLink.init(row:)) {
                let scopes = try await Self.consents(db, client: link.linkedClientId)
                    .scopes(for: actor.organizationId, sector: actor.sector, use: .careCoordination, at: now)
                guard !scopes.isEmpty else { continue }
                let name = try await Self.organization(db, link.linkedOrganizationId).name
                let referrals = try await db.query(
                    """
                    SELECT r.need_category, r.status, r.created_at, r.outcome_code, o.name AS partner_name FROM referrals r
                    LEFT JOIN organizations o ON o.id = r.owner_organization_id
                    WHERE r.client_id = ? AND r.status NOT IN ('draft', 'entered-in-error') ORDER BY r.created_at
                    """, link.linkedClientId
                ).map {
                    LinkedRecord.ReferralLine(
                        needCategory: $0.enumValue("need_category"), status: $0.enumValue("status"),
                        partnerName: $0.optionalString("partner_name"), createdAt: $0.timestamp("created_at"),
                        outcome: $0.optionalEnum("outcome_code"))
                }
                let needs =
                    scopes.contains(.needs)
                    ? try await db.query(
                        "SELECT \(IdentifiedNeed.columns) FROM needs WHERE client_id = ? ORDER BY identified_on", link.linkedClientId
                    )
                    .map(IdentifiedNeed.init(row:)) : nil
                records.append(LinkedRecord(link: link, organizationName: name, referrals: referrals, needs: needs))
            }
            return records
        }
        try await database.writeBehind { db in
            for record in records {
                try await db.logAccess(
                    actor, client: record.link.linkedClientId, action: "read", subjectType: "linked-record", subjectId: record.link.id.raw, at: now)
            }
        }
        return records
    }
}
