import ThawCore

extension OutsideEvent.Kind: SQLBindable {}

/// People in roles over time, and outside events. Both are facts about the
/// network that every signed-in user may read; partnership leads record roles
/// in their own organisation (network administrators in any), and events.
extension ScopedStore {
    public func recordRole(_ input: NewRoleHolding, organization: ID<Organization>? = nil) async throws -> RoleHolding {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording who holds a role")
        let org = organization ?? actor.organizationId
        if org != actor.organizationId {
            try AccessPolicy.require(actor, anyOf: [.networkAdministrator], to: "recording roles in another organisation")
        }
        try input.validate()
        let actor = self.actor, now = now()
        let holding = RoleHolding(
            id: IDGenerator.make("rol"), organizationId: org, title: input.title.trimmingWhitespace,
            holderName: input.holderName.trimmingWhitespace, userId: input.userId, singleHolder: input.singleHolder,
            leadership: input.leadership, startsOn: input.startsOn, endsOn: input.endsOn)
        return try await database.write { db in
            let organization = try await Self.organization(db, org)
            if holding.singleHolder {
                for other in try await Self.holdings(db, org, title: holding.title)
                where other.singleHolder && other.overlaps(holding.startsOn, holding.endsOn) {
                    throw ThawError.conflict(
                        code: "overlapping-term",
                        message:
                            "\(other.holderName) holds \(holding.title) from \(other.startsOn)\(other.endsOn.map { " to \($0)" } ?? " with no end date"); end that term first"
                    )
                }
            }
            try await db.execute(
                """
                INSERT INTO role_holdings (id, organization_id, title, holder_name, user_id, single_holder, leadership, starts_on, ends_on, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, holding.id, org, holding.title, holding.holderName, holding.userId, holding.singleHolder, holding.leadership,
                holding.startsOn, holding.endsOn, now)
            try await db.append(
                LedgerRecord(
                    kind: "role.started", subjectType: "role", subjectId: holding.id.raw, counterpart: nil,
                    channel: .system, detail: ["title": holding.title, "startsOn": holding.startsOn.description]),
                actorUser: actor.userId, actorOrganization: org, at: now)
            // A new leader is an outside event for everyone who works with the organisation.
            if holding.leadership {
                _ = try await Self.insertEvent(
                    db,
                    NewOutsideEvent(
                        kind: .leadershipChange, title: "\(holding.holderName) becomes \(holding.title), \(organization.name)",
                        description: "", occurredOn: holding.startsOn, affectedOrganizationIds: [org]),
                    actor: actor, at: now)
            }
            return holding
        }
    }

    /// Ends a term (the holder left); the end may not precede the start nor run into a later term.
    public func endRole(_ id: ID<RoleHolding>, endsOn: CalendarDate) async throws -> RoleHolding {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "ending a role")
        let actor = self.actor, now = now()
        return try await database.write { db in
            guard let row = try await db.first("SELECT \(RoleHolding.columns) FROM role_holdings WHERE id = ?", id) else {
                throw ThawError.notFound("role \(id)")
            }
            var holding = try RoleHolding(row: row)
            guard holding.organizationId == actor.organizationId || actor.has(.networkAdministrator) else { throw ThawError.notFound("role \(id)") }
            guard endsOn >= holding.startsOn else { throw ThawError.unprocessable("endsOn", "after-start", "a role cannot end before it starts") }
            if holding.singleHolder {
                for other in try await Self.holdings(db, holding.organizationId, title: holding.title)
                where other.id != id && other.singleHolder && other.overlaps(holding.startsOn, endsOn) {
                    throw ThawError.conflict(
                        code: "overlapping-term", message: "that end date runs into \(other.holderName)'s term from \(other.startsOn)")
                }
            }
            holding.endsOn = endsOn
            try await db.execute("UPDATE role_holdings SET ends_on = ? WHERE id = ?", endsOn, id)
            try await db.append(
                LedgerRecord(
                    kind: "role.ended", subjectType: "role", subjectId: id.raw, counterpart: nil, channel: .system,
                    detail: ["endsOn": endsOn.description]),
                actorUser: actor.userId, actorOrganization: holding.organizationId, at: now)
            return holding
        }
    }

    public func roles(organization: ID<Organization>) async throws -> [RoleHolding] {
        try await database.read { db in
            try await db.query(
                "SELECT \(RoleHolding.columns) FROM role_holdings WHERE organization_id = ? ORDER BY title, starts_on, id", organization
            )
            .map(RoleHolding.init(row:))
        }
    }

    public func recordEvent(_ input: NewOutsideEvent) async throws -> OutsideEvent {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording an outside event")
        try input.validate()
        let actor = self.actor, now = now()
        return try await database.write { db in try await Self.insertEvent(db, input, actor: actor, at: now) }
    }

    /// Outside events, oldest first, optionally only those affecting one organisation.
    public func events(affecting organization: ID<Organization>? = nil) async throws -> [OutsideEvent] {
        try await database.read { db in
            let rows =
                organization == nil
                ? try await db.query("SELECT id FROM outside_events ORDER BY occurred_on, id", [])
                : try await db.query(
                    """
                    SELECT e.id FROM outside_events e JOIN outside_event_organizations o ON o.event_id = e.id
                    WHERE o.organization_id = ? ORDER BY e.occurred_on, e.id
                    """, organization)
            var events: [OutsideEvent] = []
            for row in rows { events.append(try await Self.loadEvent(db, row.id("id"))) }
            return events
        }
    }

    static func insertEvent(_ db: any SQLConnection, _ input: NewOutsideEvent, actor: Actor, at now: Timestamp) async throws -> OutsideEvent {
        let event = OutsideEvent(
            id: IDGenerator.make("evt"), kind: input.kind, title: input.title.trimmingWhitespace,
            description: input.description, occurredOn: input.occurredOn, endsOn: input.endsOn,
            affectedOrganizationIds: Array(Set(input.affectedOrganizationIds)).sorted(), recordedAt: now)
        try await db.execute(
            """
            INSERT INTO outside_events (id, kind, title, description, occurred_on, ends_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, event.id, event.kind, event.title, event.description, event.occurredOn, event.endsOn, actor.userId, now)
        for org in event.affectedOrganizationIds {
            try await db.requireOrganization(org, field: "affectedOrganizationIds")
            try await db.execute("INSERT INTO outside_event_organizations (event_id, organization_id) VALUES (?, ?)", event.id, org)
        }
        try await db.append(
            LedgerRecord(
                kind: "event.recorded", subjectType: "event", subjectId: event.id.raw, counterpart: nil,
                channel: .system, detail: ["kind": event.kind.rawValue, "occurredOn": event.occurredOn.description]),
            by: actor, at: now)
        return event
    }

    static func loadEvent(_ db: any SQLConnection, _ id: ID<OutsideEvent>) async throws -> OutsideEvent {
        guard
            let row = try await db.first(
                "SELECT id, kind, title, description, occurred_on, ends_on, recorded_at FROM outside_events WHERE id = ?", id)
        else {
            throw ThawError.notFound("event \(id)")
        }
        let orgs: [ID<Organization>] = try await db.query(
            "SELECT organization_id FROM outside_event_organizations WHERE event_id = ? ORDER BY organization_id", id
        )
        .map { $0.id("organization_id") }
        return OutsideEvent(
            id: id, kind: row.enumValue("kind"), title: row.string("title"), description: row.string("description"),
            occurredOn: try row.calendarDate("occurred_on"), endsOn: row.optionalString("ends_on").flatMap { CalendarDate($0) },
            affectedOrganizationIds: orgs, recordedAt: row.timestamp("recorded_at"))
    }

    static func holdings(_ db: any SQLConnection, _ org: ID<Organization>, title: String) async throws -> [RoleHolding] {
        try await db.query("SELECT \(RoleHolding.columns) FROM role_holdings WHERE organization_id = ? AND title = ?", org, title)
            .map(RoleHolding.init(row:))
    }
}

extension RoleHolding {
    static let columns = "id, organization_id, title, holder_name, user_id, single_holder, leadership, starts_on, ends_on"
    init(row: SQLRow) throws {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), title: row.string("title"), holderName: row.string("holder_name"),
            userId: row.optionalId("user_id"), singleHolder: row.bool("single_holder"), leadership: row.bool("leadership"),
            startsOn: try row.calendarDate("starts_on"), endsOn: row.optionalString("ends_on").flatMap { CalendarDate($0) })
    }
}
