import ThawCore

extension ScopedStore {
    /// Staff and administrators keep their own organisation's capacity current;
    /// anyone else gets 404.
    public func updateCapacity(service id: ID<Service>, to capacity: Capacity) async throws -> Service {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.directoryRoles, to: "changing a service's capacity")
        let actor = self.actor, now = now()
        return try await database.write { db in
            guard
                let row = try await db.first(
                    "SELECT \(Service.columns) FROM services WHERE id = ? AND organization_id = ?",
                    id, actor.organizationId)
            else { throw ThawError.notFound("service \(id)") }
            var service = Service(row: row)
            guard service.capacity != capacity else { return service }
            let from = service.capacity
            service.capacity = capacity
            service.updatedAt = now
            try await db.execute("UPDATE services SET capacity = ?, updated_at = ? WHERE id = ?", capacity, now, id)
            try await ThawStore.writeCapacity(db, service, at: now)
            try await db.append(
                LedgerRecord(
                    kind: "service.capacity-changed", subjectType: "service", subjectId: id.raw,
                    counterpart: nil, channel: .system,
                    detail: ["from": from.rawValue, "to": capacity.rawValue]), by: actor, at: now)
            return service
        }
    }
}
