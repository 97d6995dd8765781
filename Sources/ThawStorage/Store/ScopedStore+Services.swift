import ThawCore

extension ScopedStore {
    /// Staff and administrators keep their own organisation's services current: a new capacity
    /// (with the wait on a waitlist), or the same one confirmed. Either way the record is verified
    /// now, by this person. Anyone else gets 404.
    public func updateCapacity(service id: ID<Service>, to update: CapacityUpdate) async throws -> Service {
        try await keep(id, to: "changing a service's capacity") { _ in
            try update.validate()
            return update
        }
    }

    /// Confirms a service's record is right as it stands.
    public func verifyService(_ id: ID<Service>) async throws -> Service {
        try await keep(id, to: "verifying a service") { CapacityUpdate(capacity: $0.capacity, estimatedWaitDays: $0.estimatedWaitDays) }
    }

    /// Sets the capacity `update` gives for the service as it stands, and stamps it verified, in one transaction.
    private func keep(
        _ id: ID<Service>, to purpose: String, _ update: @escaping @Sendable (Service) throws -> CapacityUpdate
    ) async throws -> Service {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.directoryRoles, to: purpose)
        let actor = self.actor, now = now()
        return try await database.write { db in
            guard
                let row = try await db.first(
                    "SELECT \(Service.columns) FROM services WHERE id = ? AND organization_id = ?",
                    id, actor.organizationId)
            else { throw ThawError.notFound("service \(id)") }
            var service = Service(row: row)
            let wanted = try update(service)
            let from = service.capacity, fromWait = service.estimatedWaitDays
            service.capacity = wanted.capacity
            service.estimatedWaitDays = wanted.capacity == .waitlist ? (wanted.estimatedWaitDays ?? fromWait) : nil
            service.verifiedAt = now
            service.verifiedBy = try await ThawStore.verifierName(db, actor)
            let changed = from != service.capacity || fromWait != service.estimatedWaitDays
            if changed { service.updatedAt = now }
            try await db.execute(
                "UPDATE services SET capacity = ?, estimated_wait_days = ?, updated_at = ?, verified_at = ?, verified_by = ? WHERE id = ?",
                service.capacity, service.estimatedWaitDays, service.updatedAt, now, service.verifiedBy, id)
            try await ThawStore.writeCapacity(db, service, at: now)
            var detail = ["from": from.rawValue, "to": service.capacity.rawValue]
            if let days = service.estimatedWaitDays { detail["estimatedWaitDays"] = String(days) }
            try await db.append(
                LedgerRecord(
                    kind: changed ? "service.capacity-changed" : "service.verified", subjectType: "service", subjectId: id.raw,
                    counterpart: nil, channel: .system, detail: changed ? detail : ["capacity": service.capacity.rawValue]),
                by: actor, at: now)
            return service
        }
    }

    /// This organisation's services unverified for longer than `policyDays`, the oldest first
    /// (never verified before all): what its administrator is asked to check.
    public func staleServices(policyDays: Int) async throws -> [Service] {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.directoryRoles, to: "listing services to verify")
        let actor = self.actor, cutoff = now().adding(days: -policyDays)
        return try await database.read { db in
            try await db.query(
                """
                SELECT \(Service.columns) FROM services WHERE organization_id = ? AND (verified_at IS NULL OR verified_at < ?)
                ORDER BY COALESCE(verified_at, 0), name, id
                """, actor.organizationId, cutoff
            ).map(Service.init(row:))
        }
    }
}

extension ThawStore {
    /// How a verification is signed: the person's name as it was then.
    static func verifierName(_ db: any SQLConnection, _ actor: Actor) async throws -> String? {
        try await db.first("SELECT display_name FROM users WHERE id = ?", actor.userId)?.optionalString("display_name")
    }
}
