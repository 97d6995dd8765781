import ThawCore

/// Climate packages: this network's climate published for comparison with other jurisdictions,
/// and the packages of other networks a researcher brings in to set beside it.
extension ScopedStore {
    /// This network's package, month by month from `from` to `until` (at most five years).
    /// `names`: whether organisations and events are named (the network's choice, not the caller's).
    /// `withPairs: false` leaves out the pairs' series (a page comparing networks needs only theirs).
    public func climatePackage(network label: String, from: CalendarDate, until: CalendarDate, names: Bool, withPairs: Bool = true) async throws
        -> ClimatePackage
    {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "publishing the climate package")
        let actor = self.actor, now = now()
        let reader = aggregateClimateReader, end = until.adding(days: 1)
        let periods = try await reader.networkClimate(period: .month, from: from.firstOfMonth, to: end, perOrganization: false)
        let pairKeys = withPairs ? try await climatePairs(from: from.firstOfMonth, before: end) : []
        let (organizations, events) = try await database.read { db in
            let organizations = try await db.query("SELECT id, name, sector FROM organizations ORDER BY sector, id")
            let events = try await db.query(
                """
                SELECT e.id, e.kind, e.title, e.occurred_on, o.organization_id FROM outside_events e
                LEFT JOIN outside_event_organizations o ON o.event_id = e.id WHERE e.occurred_on >= ? AND e.occurred_on <= ? ORDER BY e.occurred_on, e.id
                """, from.description, until.description)
            return (organizations, events)
        }
        // Keys by sector, numbered: primary-care-1, social-care-2, ...
        var keys: [String: String] = [:], numbers: [Sector: Int] = [:], listed: [ClimatePackage.Organization] = []
        for row in organizations {
            guard let sector = row.optionalEnum("sector", as: Sector.self) else { continue }
            numbers[sector, default: 0] += 1
            let key = "\(sector.rawValue)-\(numbers[sector] ?? 0)"
            keys[row.string("id")] = key
            listed.append(.init(key: key, sector: sector, name: names ? row.string("name") : nil))
        }
        func points(_ values: [(CalendarDate, Double?)]) -> [ClimatePackage.Point] {
            values.map { .init(start: $0.0, index: $0.1.map { ($0 * 10).rounded() / 10 }) }
        }
        let indexed = periods.filter { $0.tieWeightedIndex != nil }
        let analysis = try FreezeThaw.analyse(indexed.compactMap(\.tieWeightedIndex))
        let networkChanges = analysis.segments.compactMap { s -> ClimatePackage.ChangePoint? in
            s.direction.map { .init(start: indexed[s.start].start, direction: $0, meanIndex: (s.mean * 10).rounded() / 10) }
        }
        var pairs: [ClimatePackage.Pair] = []
        for (lo, hi) in pairKeys {
            guard let a = keys[lo], let b = keys[hi] else { continue }
            let history = try await reader.pairClimateHistory(ID(lo), ID(hi), period: .month, from: from.firstOfMonth, to: end)
            pairs.append(
                .init(
                    a: a, b: b, series: points(history.periods.map { ($0.start, $0.index) }),
                    changePoints: history.segments.compactMap { s in
                        s.direction.map { .init(start: s.start, direction: $0, meanIndex: (s.meanIndex * 10).rounded() / 10) }
                    }))
        }
        var byEvent: [String: ClimatePackage.Event] = [:], order: [String] = []
        for row in events {
            guard let kind = row.optionalEnum("kind", as: OutsideEvent.Kind.self),
                let day = row.optionalString("occurred_on").flatMap(CalendarDate.init)
            else { continue }
            let id = row.string("id")
            if byEvent[id] == nil { order.append(id) }
            var event = byEvent[id] ?? .init(kind: kind, on: day, organizations: [], title: names ? row.string("title") : nil)
            if let organization = row.optionalString("organization_id").flatMap({ keys[$0] }) { event.organizations.append(organization) }
            byEvent[id] = event
        }
        let package = ClimatePackage(
            network: label, generatedAt: now, from: from, until: until, namesIncluded: names,
            organizations: listed, networkSeries: points(periods.map { ($0.start, $0.tieWeightedIndex) }), networkChangePoints: networkChanges,
            pairs: pairs,
            events: order.compactMap { byEvent[$0] })
        try await database.write { db in
            try await db.logAccess(actor, client: nil, action: "export", subjectType: "climate-package", subjectId: "\(from)/\(until)", at: now)
        }
        return package
    }

    /// The store as the network's partnership leads read the climate, for what holds aggregates only
    /// (a climate package, the record's freezes and thaws), whoever asks for it.
    var aggregateClimateReader: ScopedStore {
        store.scoped(
            to: Actor(
                userId: actor.userId, organizationId: actor.organizationId, sector: actor.sector, roles: [.partnershipLead], timeZone: actor.timeZone)
        )
    }

    /// The pairs with climate in the months from `from` up to `end` (exclusive), in id order.
    func climatePairs(from: CalendarDate, before end: CalendarDate) async throws -> [(lo: String, hi: String)] {
        try await database.read { db in
            try await db.query(
                "SELECT DISTINCT org_lo, org_hi FROM climate_months WHERE month >= ? AND month < ? ORDER BY org_lo, org_hi", from.description,
                end.description
            ).map { ($0.string("org_lo"), $0.string("org_hi")) }
        }
    }

    /// Keeps another network's package (checked first) for comparison.
    public func importClimatePackage(_ package: ClimatePackage, body: String) async throws -> ID<ClimatePackage> {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "bringing in a climate package")
        try package.validate()
        let actor = self.actor, now = now(), id: ID<ClimatePackage> = IDGenerator.make("cpk")
        try await database.write { db in
            try await db.execute(
                "INSERT INTO climate_packages (id, imported_by, network, body, imported_at) VALUES (?, ?, ?, ?, ?)", id, actor.userId,
                package.network,
                body, now)
            try await db.append(
                LedgerRecord(
                    kind: "research.climate-package-imported", subjectType: "climate-package", subjectId: id.raw, counterpart: nil, channel: .system,
                    detail: [:]), by: actor, at: now)
        }
        return id
    }

    /// The packages brought in, oldest first.
    public func climatePackages() async throws -> [(id: ID<ClimatePackage>, package: ClimatePackage)] {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "comparing climate packages")
        let rows = try await database.read { db in try await db.query("SELECT id, body FROM climate_packages ORDER BY imported_at, id") }
        return rows.compactMap { row in
            guard let package = try? ClimatePackageJSON.decode(row.string("body")) else { return nil }
            return (row.id("id"), package)
        }
    }

    public func deleteClimatePackage(_ id: ID<ClimatePackage>) async throws {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "removing a climate package")
        let found = try await database.write { db -> Bool in
            guard try await db.first("SELECT id FROM climate_packages WHERE id = ?", id) != nil else { return false }
            try await db.execute("DELETE FROM climate_packages WHERE id = ?", id)
            return true
        }
        guard found else { throw ThawError.notFound("climate package \(id)") }
    }
}
