import ThawCore

extension ScopedStore {
    /// One consent of a client the actor's organisation holds; anyone else gets 404.
    public func consent(_ id: ID<Consent>) async throws -> Consent {
        guard let client = try await clientOf("consents", id.raw) else { throw ThawError.notFound("consent \(id)") }
        guard let consent = try await consents(client: client).first(where: { $0.id == id }) else { throw ThawError.notFound("consent \(id)") }
        return consent
    }

    /// One screening of a client the actor's organisation holds; anyone else gets 404.
    public func screening(_ id: ID<Screening>) async throws -> Screening {
        guard let client = try await clientOf("screenings", id.raw) else { throw ThawError.notFound("screening \(id)") }
        guard let screening = try await screenings(client: client).first(where: { $0.id == id }) else { throw ThawError.notFound("screening \(id)") }
        return screening
    }

    /// The client a record of the actor's organisation belongs to (nil for another organisation's).
    private func clientOf(_ table: String, _ id: String) async throws -> ID<Client>? {
        let organization = actor.organizationId
        return try await database.read { db in
            try await db.first("SELECT client_id FROM \(table) WHERE id = ? AND organization_id = ?", id, organization)?.id("client_id")
        }
    }
}
