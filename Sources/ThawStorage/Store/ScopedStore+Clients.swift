import Foundation
import ThawCore

/// A client as a particular viewer may see it, with the consent scopes that apply.
public struct ClientView: Codable, Sendable {
    public var client: Client
    /// nil for the holding organisation (it sees everything).
    public var disclosedScopes: Set<ConsentScope>?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(client, forKey: .client)
        try c.encodeSortedIfPresent(disclosedScopes, forKey: .disclosedScopes)
    }
}

extension ScopedStore {
    public func createClient(_ input: NewClient) async throws -> Client {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "registering a client")
        let actor = self.actor, now = now()
        try input.validate(today: calendar.day(of: now))
        return try await database.write { db in try await Self.insertClient(db, input, actor: actor, at: now) }
    }

    /// Registers a client held by the actor's organisation, with its ledger entry and access log.
    static func insertClient(_ db: any SQLConnection, _ input: NewClient, actor: Actor, at now: Timestamp) async throws -> Client {
        let client = Client(
            id: IDGenerator.make("cli"), organizationId: actor.organizationId,
            givenName: input.givenName.trimmingWhitespace, familyName: input.familyName.trimmingWhitespace,
            birthDate: input.birthDate, phone: input.phone, email: input.email, address: input.address,
            preferredLanguage: input.preferredLanguage, createdAt: now)
        try await db.execute(
            """
            INSERT INTO clients (id, organization_id, given_name, family_name, birth_date, phone, email, address,
                                 preferred_language, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, client.id, client.organizationId, client.givenName, client.familyName, client.birthDate,
            client.phone, client.email, client.address, client.preferredLanguage, now)
        try await db.append(
            LedgerRecord(
                kind: "client.created", subjectType: "client", subjectId: client.id.raw,
                counterpart: nil, channel: .system), by: actor, at: now)
        try await db.logAccess(actor, client: client.id, action: "create", subjectType: "client", subjectId: client.id.raw, at: now)
        return client
    }

    /// The holding organisation's clients, by name.
    /// `newestFirst`: the clients registered most recently first (the list before any search), else by name.
    public func clients(nameContains: String? = nil, limit: Int = 100, newestFirst: Bool = false) async throws -> [Client] {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "listing clients")
        let actor = self.actor, now = now()
        let pattern = "%" + (nameContains?.lowercased().trimmingWhitespace ?? "") + "%"
        let clients = try await database.read { db in
            try await db.query(
                """
                SELECT \(Client.columns) FROM clients WHERE organization_id = ?
                  AND lower(given_name || ' ' || family_name) LIKE ?
                ORDER BY \(newestFirst ? "created_at DESC, id DESC" : "family_name, given_name, id") \(SQLText.limit)
                """, actor.organizationId, pattern, min(max(limit, 1), 500)
            ).map(Client.init(row:))
        }
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: nil, action: "search", subjectType: "client-list",
                subjectId: actor.organizationId.raw, at: now)
        }
        return clients
    }

    /// One client, as this actor may see it: whole for the holding organisation,
    /// disclosed by consent for a partner that holds a referral for the client.
    public func client(_ id: ID<Client>) async throws -> ClientView {
        let actor = self.actor, now = now()
        let view = try await database.read { db in try await Self.clientView(db, id: id, actor: actor, now: now) }
        try await database.writeBehind { db in
            try await db.logAccess(actor, client: id, action: "read", subjectType: "client", subjectId: id.raw, at: now)
        }
        return view
    }

    static func clientView(_ db: any SQLConnection, id: ID<Client>, actor: Actor, now: Timestamp) async throws -> ClientView {
        guard let row = try await db.first("SELECT \(Client.columns) FROM clients WHERE id = ?", id) else {
            throw ThawError.notFound("client \(id)")
        }
        let client = Client(row: row)
        if client.organizationId == actor.organizationId, actor.hasAny(AccessPolicy.referringRoles) {
            return ClientView(client: client, disclosedScopes: nil)
        }
        // A partner sees the client only through a referral sent to it (not a draft, not one
        // entered in error), and only while a consent for referral covers it.
        guard actor.hasAny(AccessPolicy.receivingRoles),
            try await db.first(
                """
                SELECT id FROM referrals WHERE client_id = ? AND owner_organization_id = ?
                  AND status NOT IN ('\(TaskStatus.draft.rawValue)', '\(TaskStatus.enteredInError.rawValue)') LIMIT 1
                """, id, actor.organizationId) != nil
        else {
            throw ThawError.notFound("client \(id)")
        }
        let scopes = try await consents(db, client: id).scopes(for: actor.organizationId, sector: actor.sector, at: now)
        guard !scopes.isEmpty else { throw ThawError.notFound("client \(id)") }
        return ClientView(client: client.disclosed(under: scopes), disclosedScopes: scopes)
    }

    static func consents(_ db: any SQLConnection, client: ID<Client>) async throws -> [Consent] {
        try await db.query("SELECT \(Consent.columns) FROM consents WHERE client_id = ? ORDER BY recorded_at, id", client)
            .map(Consent.init(row:))
    }

    /// Loads a client the actor's organisation holds, for a change; anyone else gets 404.
    static func heldClient(_ db: any SQLConnection, _ id: ID<Client>, actor: Actor) async throws -> Client {
        guard actor.hasAny(AccessPolicy.referringRoles),
            let row = try await db.first(
                "SELECT \(Client.columns) FROM clients WHERE id = ? AND organization_id = ?",
                id, actor.organizationId)
        else {
            throw ThawError.notFound("client \(id)")
        }
        return Client(row: row)
    }

    // MARK: consent

    public func recordConsent(client id: ID<Client>, _ input: NewConsent) async throws -> Consent {
        let actor = self.actor, now = now()
        try input.validate(now: now)
        return try await database.write { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await Self.insertConsent(db, input, client: id, actor: actor, at: now)
        }
    }

    /// Records a consent the client gave the actor's organisation, with its ledger entry and access log.
    static func insertConsent(_ db: any SQLConnection, _ input: NewConsent, client id: ID<Client>, actor: Actor, at now: Timestamp)
        async throws -> Consent
    {
        var granteeOrg: ID<Organization>?
        var granteeSector: Sector?
        switch input.grantee {
        case .organization(let org):
            try await db.requireOrganization(org, field: "grantee.organizationId")
            granteeOrg = org
        case .sector(let sector): granteeSector = sector
        }
        let consent = Consent(
            id: IDGenerator.make("con"), clientId: id, grantee: input.grantee, scopes: input.scopes,
            purpose: input.purpose, validFrom: input.validFrom ?? now, validUntil: input.validUntil,
            recordedBy: actor.userId, recordedAt: now)
        try await db.execute(
            """
            INSERT INTO consents (id, client_id, organization_id, grantee_organization_id, grantee_sector, scopes,
                                  purpose, valid_from, valid_until, revoked_at, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
            """, consent.id, id, actor.organizationId, granteeOrg, granteeSector, consent.scopes.listText,
            consent.purpose, consent.validFrom, consent.validUntil, actor.userId, now)
        try await db.append(
            LedgerRecord(
                kind: "consent.recorded", subjectType: "client", subjectId: id.raw,
                counterpart: granteeOrg, channel: .system,
                detail: ["consent": consent.id.raw, "scopes": consent.scopes.listText]),
            by: actor, at: now)
        try await db.logAccess(actor, client: id, action: "write", subjectType: "consent", subjectId: consent.id.raw, at: now)
        return consent
    }

    public func consents(client id: ID<Client>) async throws -> [Consent] {
        let actor = self.actor, now = now()
        let consents = try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await Self.consents(db, client: id)
        }
        try await auditRead(client: id, subjectType: "consents", at: now)
        return consents
    }

    /// Revokes a consent; partners lose sight of the client on their next request.
    public func revokeConsent(client id: ID<Client>, consent consentId: ID<Consent>) async throws -> Consent {
        let actor = self.actor, now = now()
        return try await database.write { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            guard
                let row = try await db.first(
                    "SELECT \(Consent.columns) FROM consents WHERE id = ? AND client_id = ?",
                    consentId, id)
            else {
                throw ThawError.notFound("consent \(consentId)")
            }
            var consent = Consent(row: row)
            guard consent.revokedAt == nil else {
                throw ThawError.conflict(code: "already-revoked", message: "this consent was already revoked")
            }
            consent.revokedAt = now
            try await db.execute("UPDATE consents SET revoked_at = ? WHERE id = ?", now, consentId)
            var counterpart: ID<Organization>?
            if case .organization(let org) = consent.grantee { counterpart = org }
            try await db.append(
                LedgerRecord(
                    kind: "consent.revoked", subjectType: "client", subjectId: id.raw,
                    counterpart: counterpart, channel: .system, detail: ["consent": consentId.raw]),
                by: actor, at: now)
            try await db.logAccess(actor, client: id, action: "write", subjectType: "consent", subjectId: consentId.raw, at: now)
            return consent
        }
    }

    // MARK: screening and needs

    /// Records a screening and derives an identified need for each "yes".
    public func recordScreening(client id: ID<Client>, _ input: NewScreening) async throws -> (Screening, [IdentifiedNeed]) {
        let actor = self.actor, now = now()
        let today = calendar.day(of: now)
        try input.validate(today: today)
        return try await database.write { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            let screening = Screening(
                id: IDGenerator.make("scr"), clientId: id, answers: input.answers,
                screenedOn: input.screenedOn ?? today, screenedBy: actor.userId)
            let answers = JSONText.encode(Dictionary(uniqueKeysWithValues: input.answers.map { ($0.key.rawValue, $0.value.rawValue) }))
            try await db.execute(
                """
                INSERT INTO screenings (id, client_id, organization_id, answers, screened_on, screened_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, screening.id, id, actor.organizationId, answers, screening.screenedOn, actor.userId, now)
            var needs: [IdentifiedNeed] = []
            let existing = Set(
                try await db.query("SELECT category FROM needs WHERE client_id = ? AND status = 'active'", id)
                    .map { $0.string("category") })
            for category in screening.identifiedCategories where !existing.contains(category.rawValue) {
                needs.append(
                    try await Self.insertNeed(db, client: id, category, on: screening.screenedOn, screening: screening.id, actor: actor))
            }
            try await db.append(
                LedgerRecord(
                    kind: "screening.recorded", subjectType: "client", subjectId: id.raw,
                    counterpart: nil, channel: .system,
                    detail: [
                        "screening": screening.id.raw,
                        "identified": screening.identifiedCategories.listText
                    ]),
                by: actor, at: now)
            try await db.logAccess(actor, client: id, action: "write", subjectType: "screening", subjectId: screening.id.raw, at: now)
            return (screening, needs)
        }
    }

    /// Records an active need of a client the actor's organisation holds.
    static func insertNeed(
        _ db: any SQLConnection, client: ID<Client>, _ category: NeedCategory, on date: CalendarDate, screening: ID<Screening>?,
        actor: Actor
    ) async throws -> IdentifiedNeed {
        let need = IdentifiedNeed(id: IDGenerator.make("need"), clientId: client, category: category, identifiedOn: date, screeningId: screening)
        try await db.execute(
            """
            INSERT INTO needs (id, client_id, organization_id, category, identified_on, screening_id, status)
            VALUES (?, ?, ?, ?, ?, ?, 'active')
            """, need.id, client, actor.organizationId, category, date, screening)
        return need
    }

    public func screenings(client id: ID<Client>) async throws -> [Screening] {
        let actor = self.actor, now = now()
        let screenings = try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await db.query(
                """
                SELECT id, client_id, answers, screened_on, screened_by FROM screenings WHERE client_id = ?
                ORDER BY screened_on DESC, created_at DESC
                """, id
            ).map { row in
                let raw = JSONText.decode(row.optionalString("answers"))
                var answers: [NeedCategory: ScreeningAnswer] = [:]
                for (k, v) in raw { if let c = NeedCategory(rawValue: k), let a = ScreeningAnswer(rawValue: v) { answers[c] = a } }
                return Screening(
                    id: row.id("id"), clientId: row.id("client_id"), answers: answers,
                    screenedOn: row.date("screened_on") ?? calendar.day(of: now), screenedBy: row.id("screened_by"))
            }
        }
        try await auditRead(client: id, subjectType: "screenings", at: now)
        return screenings
    }

    public func needs(client id: ID<Client>) async throws -> [IdentifiedNeed] {
        let actor = self.actor, now = now()
        let needs = try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await db.query("SELECT \(IdentifiedNeed.columns) FROM needs WHERE client_id = ? ORDER BY identified_on DESC, id", id)
                .map(IdentifiedNeed.init(row:))
        }
        try await auditRead(client: id, subjectType: "needs", at: now)
        return needs
    }

    /// Records a read of a client's record in the access log (write-behind: see `SQLDatabase.writeBehind`).
    func auditRead(client: ID<Client>, subjectType: String, subjectId: String? = nil, at now: Timestamp) async throws {
        let actor = self.actor
        try await database.writeBehind { db in
            try await db.logAccess(
                actor, client: client, action: "read", subjectType: subjectType,
                subjectId: subjectId ?? client.raw, at: now)
        }
    }
}

extension ScopedStore {
    /// One identified need: for the organisation holding the client, or for a partner working a
    /// referral that names it under a consent that covers needs. Anyone else gets 404.
    public func need(_ id: ID<IdentifiedNeed>) async throws -> IdentifiedNeed {
        let actor = self.actor, now = now()
        let need = try await database.read { db -> IdentifiedNeed? in
            guard let row = try await db.first("SELECT \(IdentifiedNeed.columns) FROM needs WHERE id = ?", id) else { return nil }
            let need = IdentifiedNeed(row: row)
            if (try? await Self.heldClient(db, need.clientId, actor: actor)) != nil { return need }
            let referrals = try await db.query(
                "SELECT id FROM referrals WHERE client_id = ? AND owner_organization_id = ?", need.clientId, actor.organizationId)
            for referralRow in referrals {
                guard let (referral, side, scopes) = try? await Self.visibleReferral(db, referralRow.id("id"), actor: actor, now: now) else {
                    continue
                }
                if Disclosure.referral(referral, to: side, under: scopes).needIds.contains(id) { return need }
            }
            return nil
        }
        guard let need else { throw ThawError.notFound("need \(id)") }
        try await auditRead(client: need.clientId, subjectType: "need", subjectId: id.raw, at: now)
        return need
    }
}
