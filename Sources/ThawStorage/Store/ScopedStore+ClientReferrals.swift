import ThawCore

/// A referral as listed on its client's page.
public struct ClientReferral: Codable, Sendable {
    public var referral: Referral
    public var partnerName: String?
    public var serviceName: String?
}

extension ScopedStore {
    /// Every referral for a client, newest first, for the organisation that holds the client.
    public func referrals(client id: ID<Client>) async throws -> [ClientReferral] {
        let actor = self.actor, now = now()
        let found = try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await db.query(
                """
                SELECT \(Referral.qualifiedColumns), o.name AS partner_name, s.name AS service_name
                FROM referrals r LEFT JOIN organizations o ON o.id = r.owner_organization_id
                LEFT JOIN services s ON s.id = r.service_id
                WHERE r.client_id = ? ORDER BY r.created_at DESC, r.id LIMIT 200
                """, id
            ).map { row in
                ClientReferral(
                    referral: Referral(row: row), partnerName: row.optionalString("partner_name"),
                    serviceName: row.optionalString("service_name"))
            }
        }
        try await auditRead(client: id, subjectType: "client-referrals", at: now)
        return found
    }
}
