import ThawCore

/// Organisations, users and the service directory. Creation here is used by
/// the CLI and the demo (no signed-in actor) and, through `ScopedStore`, by
/// administrators over the API.
extension ThawStore {
    /// `actor` is nil for the operator at the command line; otherwise a network administrator.
    public func createOrganization(_ input: NewOrganization, by actor: Actor? = nil) async throws -> Organization {
        if let actor { try AccessPolicy.require(actor, anyOf: [.networkAdministrator], to: "adding an organisation") }
        try input.validate()
        if let zone = input.timeZone, !TimeZoneNames.isKnown(zone) {
            throw ThawError.invalid("timeZone", "iana", "\(zone) is not an IANA time zone (like America/Edmonton or America/Toronto)")
        }
        let now = clock.now()
        let org = Organization(
            id: IDGenerator.make("org"), name: input.name.trimmingWhitespace, sector: input.sector,
            alignment: input.alignment, parentId: input.parentId, area: input.area, timeZone: input.resolvedTimeZone, createdAt: now)
        return try await database.write { db in
            if let parent = input.parentId,
                try await db.first("SELECT id FROM organizations WHERE id = ?", parent) == nil
            {
                throw ThawError.unprocessable("parentId", "exists", "no organisation \(parent) exists")
            }
            try await db.execute(
                """
                INSERT INTO organizations (id, name, sector, alignment, parent_id, area, time_zone, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, org.id, org.name, org.sector, org.alignment, org.parentId, org.area, org.timeZone, org.createdAt)
            try await Self.writeOrganization(db, org, at: now)
            try await db.append(
                LedgerRecord(
                    kind: "organization.created", subjectType: "organization",
                    subjectId: org.id.raw, counterpart: nil, channel: .system,
                    detail: ["name": org.name, "sector": org.sector.rawValue]),
                actorUser: actor?.userId, actorOrganization: actor?.organizationId ?? org.id, at: now)
            return org
        }
    }

    public func organizations() async throws -> [Organization] {
        try await database.read { db in
            try await db.query("SELECT \(Organization.columns) FROM organizations ORDER BY name, id").map(Organization.init(row:))
        }
    }

    public func organization(_ id: ID<Organization>) async throws -> Organization {
        let found = try await database.read { db in
            try await db.first("SELECT \(Organization.columns) FROM organizations WHERE id = ?", id).map(Organization.init(row:))
        }
        guard let found else { throw ThawError.notFound("organisation \(id)") }
        return found
    }

    /// Creates a user with an already-hashed password (hashing is the server's job,
    /// so the storage layer never sees a plain password). `actor` is nil for the operator
    /// at the command line; otherwise `Administration.checkNewUser` decides.
    public func createUser(_ input: NewUser, passwordHash: String, by actor: Actor? = nil) async throws -> User {
        try input.validate()
        let now = clock.now()
        let user = User(
            id: IDGenerator.make("usr"), organizationId: input.organizationId,
            email: input.email.lowercased().trimmingWhitespace, displayName: input.displayName.trimmingWhitespace,
            roles: input.roles, createdAt: now)
        return try await database.write { db in
            try await db.requireOrganization(user.organizationId, field: "organizationId")
            if let actor {
                let elsewhere = user.organizationId != actor.organizationId
                try Administration.checkNewUser(
                    by: actor, in: user.organizationId, roles: user.roles,
                    hasActiveAdministrator: elsewhere ? try await Self.hasActiveAdministrator(db, user.organizationId) : false)
            }
            do {
                try await db.execute(
                    """
                    INSERT INTO users (id, organization_id, email, display_name, roles, active, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?)
                    """, user.id, user.organizationId, user.email, user.displayName, user.roles.listText, passwordHash, now)
            } catch let error as SQLError where error.kind == .uniqueViolation {
                throw ThawError.conflict(code: "duplicate-email", message: "a user with email \(user.email) already exists")
            }
            if let period = input.evaluatorPeriod {
                try await Self.saveEvaluatorGrant(db, user: user.id, period, by: actor?.userId, at: now)
            }
            try await db.append(
                LedgerRecord(
                    kind: "user.created", subjectType: "user", subjectId: user.id.raw,
                    counterpart: actor.flatMap { $0.organizationId == user.organizationId ? nil : user.organizationId },
                    channel: .system,
                    detail: ["roles": user.roles.listText]),
                actorUser: actor?.userId, actorOrganization: actor?.organizationId ?? user.organizationId, at: now)
            return user
        }
    }

    /// Users of an organisation: for its administrators, and for network administrators.
    public func users(in organization: ID<Organization>, by actor: Actor) async throws -> [User] {
        guard Administration.mayListUsers(actor, of: organization) else {
            throw ThawError.forbidden("an administrator lists the users of its own organisation only")
        }
        return try await database.read { db in
            try await db.query(
                "SELECT \(User.columns) FROM users WHERE organization_id = ? ORDER BY display_name, id",
                organization
            ).map(User.init(row:))
        }
    }

    static func hasActiveAdministrator(_ db: any SQLConnection, _ organization: ID<Organization>) async throws -> Bool {
        try await db.query("SELECT roles FROM users WHERE organization_id = ? AND active = 1", organization)
            .contains { $0.list("roles").contains(Role.administrator.rawValue) }
    }

    public func user(email: String) async throws -> User? {
        try await database.read { db in
            try await db.first("SELECT \(User.columns) FROM users WHERE email = ?", email.lowercased()).map(User.init(row:))
        }
    }

    // MARK: services

    /// Staff add services for their own organisation only (the CLI and the demo, with no actor, for any).
    public func createService(_ input: NewService, organization: ID<Organization>, by actor: Actor? = nil) async throws -> Service {
        if let actor {
            try AccessPolicy.require(actor, anyOf: AccessPolicy.directoryRoles, to: "adding a service")
            guard organization == actor.organizationId else {
                throw ThawError.forbidden("an organisation keeps its own services; add services to yours only")
            }
        }
        try input.validate()
        let now = clock.now()
        let service = Service(
            id: IDGenerator.make("svc"), organizationId: organization, name: input.name.trimmingWhitespace,
            description: input.description, needCategories: input.needCategories,
            eligibility: input.eligibility, areaServed: input.areaServed,
            languages: input.languages.map { $0.lowercased() }, capacity: input.capacity, updatedAt: now)
        return try await database.write { db in
            guard try await db.first("SELECT id FROM organizations WHERE id = ?", organization) != nil else {
                throw ThawError.notFound("organisation \(organization)")
            }
            // Whoever adds a service vouches for it: it starts verified, by them.
            var service = service
            service.verifiedAt = now
            if let actor { service.verifiedBy = try await Self.verifierName(db, actor) }
            try await db.execute(
                """
                INSERT INTO services (id, organization_id, name, description, need_categories, eligibility,
                                      area_served, languages, capacity, updated_at, verified_at, verified_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, service.id, organization, service.name, service.description, service.needCategories.listText,
                service.eligibility, service.areaServed, service.languages.joined(separator: ","), service.capacity, now,
                service.verifiedAt, service.verifiedBy)
            for category in Set(service.needCategories) {
                try await db.execute(
                    "INSERT INTO service_needs (service_id, need_category, organization_id) VALUES (?, ?, ?)",
                    service.id, category, organization)
            }
            try await Self.writeService(db, service, at: now)
            try await db.append(
                LedgerRecord(
                    kind: "service.created", subjectType: "service", subjectId: service.id.raw,
                    counterpart: nil, channel: .system, detail: ["name": service.name]),
                actorUser: actor?.userId, actorOrganization: actor?.organizationId ?? organization, at: now)
            return service
        }
    }

    public func service(_ id: ID<Service>) async throws -> Service {
        let found = try await database.read { db in
            try await db.first("SELECT \(Service.columns) FROM services WHERE id = ?", id).map(Service.init(row:))
        }
        guard let found else { throw ThawError.notFound("service \(id)") }
        return found
    }

    /// Searches the directory. Every filter is optional; capacity `closed`
    /// services are listed only when asked for by capacity.
    public func searchServices(_ search: ServiceSearch) async throws -> [Service] {
        var sql =
            "SELECT \(Service.columns.split(separator: ",").map { "s." + String($0).trimmingWhitespace }.joined(separator: ", ")) FROM services s"
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let need = search.need {
            sql += " JOIN service_needs n ON n.service_id = s.id AND n.need_category = ?"
            binds.append(need.sqlValue)
        }
        if let organization = search.organization {
            conditions.append("s.organization_id = ?"); binds.append(organization.sqlValue)
        }
        if let keyword = search.keyword?.lowercased().trimmingWhitespace, !keyword.isEmpty {
            conditions.append("(lower(s.name) LIKE ? OR lower(s.description) LIKE ? OR lower(s.eligibility) LIKE ?)")
            let pattern = "%" + keyword.replacingAll("%", with: "").replacingAll("_", with: "") + "%"
            binds += [.text(pattern), .text(pattern), .text(pattern)]
        }
        if let area = search.area?.lowercased().trimmingWhitespace, !area.isEmpty {
            conditions.append("lower(s.area_served) LIKE ?"); binds.append(.text("%" + area + "%"))
        }
        if let language = search.language?.lowercased().trimmingWhitespace, !language.isEmpty {
            conditions.append("(',' || s.languages || ',') LIKE ?"); binds.append(.text("%," + language + ",%"))
        }
        if search.capacities.isEmpty {
            conditions.append("s.capacity <> 'closed'")
        } else {
            conditions.append("s.capacity IN (" + search.capacities.map { _ in "?" }.joined(separator: ", ") + ")")
            binds += search.capacities.sorted { $0.rawValue < $1.rawValue }.map(\.sqlValue)
        }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        // Accepting before waitlist: the capacity a navigator cares about first.
        sql += " ORDER BY CASE s.capacity WHEN 'accepting' THEN 0 WHEN 'waitlist' THEN 1 ELSE 2 END, s.name, s.id LIMIT 200"
        let finalSQL = sql
        let finalBinds = binds
        return try await database.read { db in
            try await db.query(finalSQL, finalBinds).map(Service.init(row:))
        }
    }
}

public struct ServiceSearch: Sendable {
    public var need: NeedCategory?
    public var keyword: String?
    public var area: String?
    public var language: String?
    public var capacities: Set<Capacity>
    public var organization: ID<Organization>?
    public init(
        need: NeedCategory? = nil, keyword: String? = nil, area: String? = nil, language: String? = nil,
        capacities: Set<Capacity> = [], organization: ID<Organization>? = nil
    ) {
        self.need = need; self.keyword = keyword; self.area = area; self.language = language
        self.capacities = capacities; self.organization = organization
    }
}
