import ThawCore

extension ScopedStore {
    /// The ledger from `from` to `until` (days, UTC), de-identified for an evaluator; logged.
    public func deidentifiedLedger(from: CalendarDate, until: CalendarDate, limit: Int = 2_000_000) async throws -> [DeidentifiedEntry] {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "exporting the ledger")
        let actor = self.actor, now = now()
        let entries = try await database.read { db in
            let sectors = Dictionary(
                try await db.query("SELECT id, sector FROM organizations").map { ($0.string("id"), $0.optionalEnum("sector", as: Sector.self)) },
                uniquingKeysWith: { a, _ in a })
            let roles = Dictionary(
                try await db.query("SELECT id, roles FROM users").map { ($0.string("id"), Set($0.list("roles").compactMap(Role.init(rawValue:)))) },
                uniquingKeysWith: { a, _ in a })
            var organizations = Pseudonyms(prefix: "org-"), subjects = Pseudonyms(prefix: "s-")
            var out: [DeidentifiedEntry] = []
            for row in try await db.query(
                """
                SELECT at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, subject_type, subject_id, channel, detail
                FROM activity WHERE at >= ? AND at < ? ORDER BY seq \(SQLText.limit)
                """, from.startOfDay, until.adding(days: 1).startOfDay, limit)
            {
                let actorOrganization = row.string("actor_organization_id"), counterpart = row.optionalString("counterpart_organization_id")
                out.append(
                    DeidentifiedEntry(
                        order: out.count + 1, day: CalendarDate(row.timestamp("at")),
                        actorRole: row.optionalString("actor_user_id").map { Deidentification.role(of: roles[$0] ?? []) } ?? "system",
                        actorOrganization: organizations.name(actorOrganization), actorSector: sectors[actorOrganization] ?? nil,
                        counterpartOrganization: organizations.name(counterpart), counterpartSector: counterpart.flatMap { sectors[$0] ?? nil },
                        kind: row.string("kind"), subjectType: row.string("subject_type"),
                        subject: subjects.name(row.string("subject_type") + "/" + row.string("subject_id")),
                        channel: row.optionalEnum("channel") ?? .system,
                        detail: Deidentification.codedDetail(JSONText.decode(row.optionalString("detail")))))
            }
            return out
        }
        try await database.write { db in
            try await db.logAccess(actor, client: nil, action: "export", subjectType: "deidentified-ledger", subjectId: "\(from)/\(until)", at: now)
        }
        return entries
    }
}
