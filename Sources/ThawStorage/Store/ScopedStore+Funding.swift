import ThawCore

extension FundingAgreement.Renewal: SQLBindable {}

/// A funding agreement with its alert, for the list of what expires when.
public struct FundingAlert: Codable, Sendable {
    public var agreement: FundingAgreement
    public var daysToExpiry: Int
    /// 180, 90 or 30 once that many days or fewer remain; nil otherwise.
    public var alert: Int?
}

/// Joint funding: the parties see their agreements; partnership leads and
/// administrators of a party record them and update the renewal status.
extension ScopedStore {
    public func recordFunding(_ input: NewFundingAgreement) async throws -> FundingAgreement {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording a funding agreement")
        try input.validate()
        guard input.partyOrganizationIds.contains(actor.organizationId) else {
            throw ThawError.unprocessable("partyOrganizationIds", "includes-recorder", "record agreements your organisation is a party to")
        }
        let actor = self.actor, now = now()
        let agreement = FundingAgreement(
            id: IDGenerator.make("fnd"), title: input.title.trimmingWhitespace, purpose: input.purpose,
            amountCents: input.amountCents, currency: input.currency ?? "CAD",
            partyOrganizationIds: input.partyOrganizationIds.sorted(), startsOn: input.startsOn,
            endsOn: input.endsOn, renewal: input.renewal ?? .notStarted, createdAt: now)
        return try await database.write { db in
            try await db.execute(
                """
                INSERT INTO funding_agreements (id, title, purpose, amount_cents, currency, starts_on, ends_on, renewal, created_by, created_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                """, agreement.id, agreement.title, agreement.purpose, agreement.amountCents, agreement.currency, agreement.startsOn,
                agreement.endsOn, agreement.renewal, actor.userId, now)
            for party in agreement.partyOrganizationIds {
                try await db.requireOrganization(party, field: "partyOrganizationIds")
                try await db.execute("INSERT INTO funding_parties (agreement_id, organization_id) VALUES (?, ?)", agreement.id, party)
                if party != actor.organizationId {
                    try await db.append(
                        LedgerRecord(
                            kind: "funding.agreed", subjectType: "funding", subjectId: agreement.id.raw,
                            counterpart: party, channel: .formal,
                            detail: ["endsOn": agreement.endsOn.description, "amountCents": String(agreement.amountCents)]),
                        by: actor, at: now)
                }
            }
            return agreement
        }
    }

    public func setRenewal(_ id: ID<FundingAgreement>, _ renewal: FundingAgreement.Renewal, expectedVersion: Int) async throws -> FundingAgreement {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "updating a funding agreement")
        let actor = self.actor, now = now()
        return try await database.write { db in
            var agreement = try await Self.visibleFunding(db, id, actor: actor)
            guard agreement.version == expectedVersion else {
                throw ThawError.preconditionFailed("the agreement changed since you read it (now version \(agreement.version))")
            }
            agreement.renewal = renewal
            agreement.version += 1
            try await db.execute(
                "UPDATE funding_agreements SET renewal = ?, version = ? WHERE id = ? AND version = ?",
                renewal, agreement.version, id, expectedVersion)
            try await db.append(
                LedgerRecord(
                    kind: "funding.renewal", subjectType: "funding", subjectId: id.raw, counterpart: nil,
                    channel: .formal, detail: ["renewal": renewal.rawValue]), by: actor, at: now)
            return agreement
        }
    }

    /// My organisation's agreements with their alerts; `endingWithinDays` keeps
    /// those whose term ends within that many days (365: "funding ends within a year").
    public func funding(endingWithinDays: Int? = nil) async throws -> [FundingAlert] {
        let actor = self.actor, today = calendar.day(of: now())
        let agreements = try await database.read { db in
            var found: [FundingAgreement] = []
            for row in try await db.query(
                """
                SELECT f.id FROM funding_agreements f JOIN funding_parties p ON p.agreement_id = f.id WHERE p.organization_id = ?
                ORDER BY f.ends_on, f.id
                """, actor.organizationId)
            {
                found.append(try await Self.visibleFunding(db, row.id("id"), actor: actor))
            }
            return found
        }
        return agreements.map { FundingAlert(agreement: $0, daysToExpiry: $0.daysToExpiry(from: today), alert: $0.alert(on: today)) }
            .filter { alert in endingWithinDays.map { alert.daysToExpiry >= 0 && alert.daysToExpiry <= $0 } ?? true }
    }

    static func visibleFunding(_ db: any SQLConnection, _ id: ID<FundingAgreement>, actor: Actor) async throws -> FundingAgreement {
        guard
            let row = try await db.first(
                """
                SELECT id, title, purpose, amount_cents, currency, starts_on, ends_on, renewal, created_at, version FROM funding_agreements WHERE id = ?
                """, id)
        else { throw ThawError.notFound("funding agreement \(id)") }
        let parties: [ID<Organization>] = try await db.query(
            "SELECT organization_id FROM funding_parties WHERE agreement_id = ? ORDER BY organization_id", id
        )
        .map { $0.id("organization_id") }
        guard parties.contains(actor.organizationId) else { throw ThawError.notFound("funding agreement \(id)") }
        return FundingAgreement(
            id: id, title: row.string("title"), purpose: row.string("purpose"), amountCents: row.int64("amount_cents"),
            currency: row.string("currency"), partyOrganizationIds: parties, startsOn: try row.calendarDate("starts_on"),
            endsOn: try row.calendarDate("ends_on"), renewal: row.enumValue("renewal"),
            createdAt: row.timestamp("created_at"), version: row.int("version"))
    }
}
