import ThawCore

extension Placement {
    static let columns = "id, user_id, organization_id, home_organization_id, roles, from_on, until_on, recorded_by, recorded_at, ended_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), userId: row.id("user_id"), organizationId: row.id("organization_id"),
            homeOrganizationId: row.id("home_organization_id"), roles: Set(row.list("roles").compactMap(Role.init(rawValue:))),
            fromOn: row.date("from_on") ?? CalendarDate(Timestamp(millis: 0)), untilOn: row.date("until_on"),
            recordedBy: row.id("recorded_by"), recordedAt: row.timestamp("recorded_at"), endedAt: row.optionalTimestamp("ended_at"))
    }
}

extension ThawStore {
    /// Places a person of another organisation with the actor's: recorded by the host's
    /// administrator (or a network administrator), who opens the host's records to them.
    public func createPlacement(_ input: NewPlacement, in host: ID<Organization>, by actor: Actor) async throws -> Placement {
        guard (host == actor.organizationId && actor.has(.administrator)) || actor.has(.networkAdministrator) else {
            throw ThawError.forbidden("an organisation's administrator places people with it")
        }
        try input.validate()
        let now = clock.now()
        return try await database.write { db in
            guard
                let user = try await db.first("SELECT \(User.columns) FROM users WHERE email = ? AND active = 1", input.email.lowercased())
                    .map(User.init(row:))
            else { throw ThawError.unprocessable("email", "exists", "nobody signs in with \(input.email)") }
            guard user.organizationId != host else {
                throw ThawError.unprocessable("email", "other-organization", "\(input.email) already works for this organisation")
            }
            try await db.requireOrganization(host, field: "organizationId")
            let placement = Placement(
                id: IDGenerator.make("plc"), userId: user.id, organizationId: host, homeOrganizationId: user.organizationId, roles: input.roles,
                fromOn: input.fromOn, untilOn: input.untilOn, recordedBy: actor.userId, recordedAt: now)
            try await db.execute(
                "INSERT INTO placements (\(Placement.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", placement.id, user.id, host,
                user.organizationId, input.roles.listText, input.fromOn, input.untilOn, actor.userId, now)
            try await db.append(
                LedgerRecord(
                    kind: "placement.created", subjectType: "user", subjectId: user.id.raw, counterpart: user.organizationId, channel: .system,
                    detail: ["placement": placement.id.raw, "roles": input.roles.listText]),
                by: actor, at: now)
            return placement
        }
    }

    /// Ends a placement today: the person's next request works for their own organisation again.
    public func endPlacement(_ id: ID<Placement>, by actor: Actor) async throws -> Placement {
        let now = clock.now()
        return try await database.write { db in
            guard var placement = try await db.first("SELECT \(Placement.columns) FROM placements WHERE id = ?", id).map(Placement.init(row:)),
                (placement.organizationId == actor.organizationId && actor.has(.administrator)) || actor.has(.networkAdministrator)
            else { throw ThawError.notFound("placement \(id)") }
            guard placement.endedAt == nil else { return placement }
            placement.endedAt = now
            try await db.execute("UPDATE placements SET ended_at = ? WHERE id = ?", now, id)
            try await db.append(
                LedgerRecord(
                    kind: "placement.ended", subjectType: "user", subjectId: placement.userId.raw, counterpart: placement.homeOrganizationId,
                    channel: .system, detail: ["placement": id.raw]),
                by: actor, at: now)
            return placement
        }
    }

    /// The people placed with an organisation, for its administrators.
    public func placements(in organization: ID<Organization>, by actor: Actor) async throws -> [Placement] {
        guard Administration.mayListUsers(actor, of: organization) else {
            throw ThawError.forbidden("an administrator lists the placements of its own organisation only")
        }
        return try await database.read { db in
            try await db.query("SELECT \(Placement.columns) FROM placements WHERE organization_id = ? ORDER BY from_on DESC, id", organization)
                .map(Placement.init(row:))
        }
    }

    /// Where a person is placed and may work today, with each host's name.
    public func activePlacements(user: ID<User>) async throws -> [(Placement, String)] {
        let today = CalendarDate(clock.now())
        return try await database.read { db in
            try await db.query(
                """
                SELECT \(Placement.columns.split(separator: ",").map { "p." + String($0).trimmingWhitespace }.joined(separator: ", ")),
                       o.name AS host_name
                FROM placements p JOIN organizations o ON o.id = p.organization_id
                WHERE p.user_id = ? AND p.ended_at IS NULL ORDER BY o.name
                """, user
            ).map { (Placement(row: $0), $0.string("host_name")) }.filter { $0.0.isActive(on: today) }
        }
    }

    /// The principal acting for an organisation the user is placed with today: that
    /// organisation, the roles the placement gives, and the user's own organisation kept as home.
    public func placedPrincipal(_ principal: Principal, in organization: ID<Organization>) async throws -> Principal? {
        guard principal.scopes == nil else { return nil }  // a system's token acts for its own organisation only
        guard let (placement, _) = try await activePlacements(user: principal.user.id).first(where: { $0.0.organizationId == organization })
        else { return nil }
        let host = try await self.organization(organization)
        var user = principal.user
        user.roles = placement.roles
        return Principal(user: user, organization: host, homeOrganizationId: principal.organization.id)
    }

    /// Which organisation a browser session works for: nil, its user's own.
    public func setActingOrganization(sessionSecret: String, _ organization: ID<Organization>?) async throws {
        try await database.write { db in
            try await db.execute(
                "UPDATE sessions SET acting_organization_id = ? WHERE token_hash = ?", organization, SecretDigest.hex(sessionSecret))
        }
    }
}
