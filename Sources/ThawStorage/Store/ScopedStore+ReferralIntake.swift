import ThawCore

extension ScopedStore {
    /// Records a referral another system sent whole (see `ReferralIntake`) in one transaction:
    /// finds or registers the client, records the consents and needs sent with it, and makes the
    /// referral exactly as the web app would, so it reaches the partner's inbox the same way.
    public func receiveReferral(_ intake: ReferralIntake) async throws -> ReceivedReferral {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "sending a referral")
        let actor = self.actor, now = now()
        if case .described(let client, let identifiers) = intake.client { try Self.check(client, identifiers, today: calendar.day(of: now)) }
        for consent in intake.consents { try consent.validate(now: now) }
        let received = try await database.write { db -> ReceivedReferral in
            if let sent = intake.senderIdentifier, let prior = try await Self.priorIntake(db, sent, actor: actor) { return prior }
            let (client, registered) = try await Self.intakeClient(db, intake.client, actor: actor, now: now)
            var consents: [Consent] = []
            for consent in intake.consents {
                consents.append(try await Self.insertConsent(db, consent, client: client.id, actor: actor, at: now))
            }
            var needs: [(need: IdentifiedNeed, identified: Bool)] = []
            for source in intake.needs {
                needs.append(try await Self.intakeNeed(db, source, client: client.id, actor: actor, now: now))
            }
            let referral = try await Self.insertReferral(db, intake.referral(client: client.id, needs: needs.map(\.need.id)), actor: actor, at: now)
            if let sent = intake.senderIdentifier {
                try await db.execute(
                    "INSERT INTO received_referrals (organization_id, system, value, referral_id) VALUES (?, ?, ?, ?)",
                    actor.organizationId, sent.system, sent.value, referral.id)
            }
            return ReceivedReferral(
                referral: referral, client: client, clientRegistered: registered, consents: consents, needs: needs, replayed: false)
        }
        if !received.replayed { _ = published(received.referral) }
        return received
    }

    /// Registers a client another system described (`POST /fhir/Patient`), or finds the one an
    /// identifier already names among the organisation's clients, as a referral sent whole does.
    /// Returns the client and whether it was registered now.
    public func registerClient(_ client: NewClient, identifiers: [ClientIdentifier]) async throws -> (Client, registered: Bool) {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "registering a client")
        let actor = self.actor, now = now()
        try Self.check(client, identifiers, today: calendar.day(of: now))
        return try await database.write { db in
            let (found, registered) = try await Self.intakeClient(db, .described(client, identifiers: identifiers), actor: actor, now: now)
            if !registered {
                try await db.logAccess(actor, client: found.id, action: "read", subjectType: "client", subjectId: found.id.raw, at: now)
            }
            return (found, registered)
        }
    }

    /// Records an identified need of a client the organisation holds (`POST /fhir/Condition`), or
    /// finds its active need of that category. Returns the need and whether it was recorded now.
    public func identifyNeed(client: ID<Client>, _ category: NeedCategory, on date: CalendarDate?) async throws -> (IdentifiedNeed, identified: Bool)
    {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.referringRoles, to: "recording a need")
        let actor = self.actor, now = now()
        return try await database.write { db in
            _ = try await Self.heldClient(db, client, actor: actor)
            let (need, identified) = try await Self.intakeNeed(db, .identified(category, on: date), client: client, actor: actor, now: now)
            return (need, identified)
        }
    }

    private static func check(_ client: NewClient, _ identifiers: [ClientIdentifier], today: CalendarDate) throws {
        try client.validate(today: today)
        var v = Validator()
        for (index, identifier) in identifiers.enumerated() {
            v.require(
                !identifier.system.isEmpty && identifier.system.count <= 200, "identifier[\(index)].system", "length",
                "an identifier's system is 1 to 200 characters")
            v.require(
                !identifier.value.isEmpty && identifier.value.count <= 100, "identifier[\(index)].value", "length",
                "an identifier's value is 1 to 100 characters")
        }
        v.require(identifiers.count <= 20, "identifier", "max-items", "at most 20 identifiers")
        try v.check()
    }

    /// The referral made the first time the sender sent this identifier, if it did.
    private static func priorIntake(_ db: any SQLConnection, _ sent: ClientIdentifier, actor: Actor) async throws -> ReceivedReferral? {
        guard
            let row = try await db.first(
                "SELECT referral_id FROM received_referrals WHERE organization_id = ? AND system = ? AND value = ?",
                actor.organizationId, sent.system, sent.value)
        else { return nil }
        let referral = try await loadReferral(db, row.id("referral_id"))
        let client = try await heldClient(db, referral.clientId, actor: actor)
        // The consents that came with it were recorded in the same transaction, at the same instant.
        let consents = try await Self.consents(db, client: client.id).filter { $0.recordedAt == referral.createdAt }
        var needs: [(need: IdentifiedNeed, identified: Bool)] = []
        for id in referral.needIds {
            if let need = try await db.first("SELECT \(IdentifiedNeed.columns) FROM needs WHERE id = ?", id) {
                needs.append((IdentifiedNeed(row: need), false))
            }
        }
        return ReceivedReferral(referral: referral, client: client, clientRegistered: false, consents: consents, needs: needs, replayed: true)
    }

    /// The client named or described, and whether it was registered now. A described client is
    /// matched by any of its identifiers among the clients the actor's organisation holds; the
    /// identifiers not yet known are kept for the next time.
    private static func intakeClient(_ db: any SQLConnection, _ source: ReferralIntake.ClientSource, actor: Actor, now: Timestamp)
        async throws -> (Client, Bool)
    {
        switch source {
        case .existing(let id):
            return (try await heldClient(db, id, actor: actor), false)
        case .described(let described, let identifiers):
            var matched: Set<String> = []
            for identifier in identifiers {
                if let row = try await db.first(
                    "SELECT client_id FROM client_identifiers WHERE organization_id = ? AND system = ? AND value = ?",
                    actor.organizationId, identifier.system, identifier.value)
                {
                    matched.insert(row.string("client_id"))
                }
            }
            guard matched.count <= 1 else {
                throw ThawError.unprocessable("identifier", "one-client", "the patient's identifiers name \(matched.count) different clients")
            }
            let client: Client
            if let id = matched.first {
                client = try await heldClient(db, ID(id), actor: actor)
            } else {
                client = try await insertClient(db, described, actor: actor, at: now)
            }
            for identifier in Set(identifiers) {
                try await db.execute(
                    """
                    INSERT INTO client_identifiers (organization_id, system, value, client_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT (organization_id, system, value) DO NOTHING
                    """, actor.organizationId, identifier.system, identifier.value, client.id)
            }
            return (client, matched.isEmpty)
        }
    }

    /// The need named, or the client's active need of the category sent (recorded now if it has none).
    private static func intakeNeed(
        _ db: any SQLConnection, _ source: ReferralIntake.NeedSource, client: ID<Client>, actor: Actor, now: Timestamp
    ) async throws -> (need: IdentifiedNeed, identified: Bool) {
        switch source {
        case .existing(let id):
            try await checkNeeds(db, [id], client: client)
            guard let row = try await db.first("SELECT \(IdentifiedNeed.columns) FROM needs WHERE id = ?", id) else {
                throw ThawError.notFound("need \(id)")
            }
            return (IdentifiedNeed(row: row), false)
        case .identified(let category, let date):
            if let row = try await db.first(
                "SELECT \(IdentifiedNeed.columns) FROM needs WHERE client_id = ? AND category = ? AND status = 'active' ORDER BY identified_on DESC LIMIT 1",
                client, category)
            {
                return (IdentifiedNeed(row: row), false)
            }
            let need = try await insertNeed(
                db, client: client, category, on: date ?? LocalCalendar(actor.timeZone).day(of: now), screening: nil, actor: actor)
            try await db.logAccess(actor, client: client, action: "write", subjectType: "need", subjectId: need.id.raw, at: now)
            return (need, true)
        }
    }
}
