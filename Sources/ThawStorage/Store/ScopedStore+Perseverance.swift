import ThawCore

/// One thread of perseverance: a motion or proposal from its first attempt, through each time it
/// was brought back, to its outcome.
public struct PerseveranceThread: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case motion, consultation }
        public var kind: Kind
        public var id: String
        /// The motion, or the consultation's title.
        public var text: String
        /// The committee it was put to, or the organisation that put the proposal.
        public var place: String
        public var at: Timestamp
        /// passed, failed or open for a motion; open or closed for a consultation.
        public var outcome: String
    }
    /// Oldest first.
    public var steps: [Step]
}

extension ScopedStore {
    /// The motions and proposals brought back that both organisations took part in, each with its
    /// earlier forms; for people of either organisation.
    public func perseverance(between a: ID<Organization>, _ b: ID<Organization>) async throws -> [PerseveranceThread] {
        guard a != b, actor.organizationId == a || actor.organizationId == b else {
            throw ThawError.notFound("the perseverance of \(a) and \(b)")
        }
        return try await database.read { db in
            var threads: [PerseveranceThread] = []
            // Motions: put to a committee both sat on, the latest of each chain first found by what nothing revives.
            let heads = try await db.query(
                """
                SELECT d.id FROM decisions d
                WHERE d.revives_decision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM decisions later WHERE later.revives_decision_id = d.id)
                  AND d.committee_id IN (SELECT committee_id FROM committee_members WHERE organization_id = ?)
                  AND d.committee_id IN (SELECT committee_id FROM committee_members WHERE organization_id = ?)
                ORDER BY d.opened_at
                """, a, b)
            for head in heads {
                threads.append(
                    PerseveranceThread(
                        steps: try await Self.chain(from: head.string("id")) { id in
                            try await db.first(
                                """
                                SELECT d.id, d.motion AS text, d.status, d.opened_at AS at, d.revives_decision_id AS previous, c.name AS place
                                FROM decisions d JOIN committees c ON c.id = d.committee_id WHERE d.id = ?
                                """, id
                            ).map { (Self.step(.motion, $0), $0.optionalString("previous")) }
                        }))
            }
            // Proposals: consultations between the two (one proposed, the other invited, or both invited).
            let parties = """
                SELECT id FROM consultations WHERE organization_id = ?
                UNION SELECT consultation_id FROM consultation_invitations WHERE organization_id = ?
                """
            let proposals = try await db.query(
                """
                SELECT c.id FROM consultations c
                WHERE c.revives_consultation_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM consultations later WHERE later.revives_consultation_id = c.id)
                  AND c.id IN (\(parties)) AND c.id IN (\(parties))
                ORDER BY c.created_at
                """, a, a, b, b)
            for head in proposals {
                threads.append(
                    PerseveranceThread(
                        steps: try await Self.chain(from: head.string("id")) { id in
                            try await db.first(
                                """
                                SELECT c.id, c.title AS text, c.status, c.created_at AS at, c.revives_consultation_id AS previous, o.name AS place
                                FROM consultations c JOIN organizations o ON o.id = c.organization_id WHERE c.id = ?
                                """, id
                            ).map { (Self.step(.consultation, $0), $0.optionalString("previous")) }
                        }))
            }
            return threads
        }
    }

    /// A thread's steps, oldest first, walking back from its latest form through what each brought back
    /// (at most twenty: a chain is never longer in practice, and a loop in stored data must not hang a page).
    static func chain(
        from latest: String, _ load: (String) async throws -> (step: PerseveranceThread.Step, previous: String?)?
    ) async throws -> [PerseveranceThread.Step] {
        var steps: [PerseveranceThread.Step] = []
        var next: String? = latest
        while let id = next, steps.count < 20, let (step, previous) = try await load(id) {
            steps.insert(step, at: 0)
            next = previous
        }
        return steps
    }

    static func step(_ kind: PerseveranceThread.Step.Kind, _ row: SQLRow) -> PerseveranceThread.Step {
        .init(
            kind: kind, id: row.string("id"), text: row.string("text"), place: row.string("place"), at: row.timestamp("at"),
            outcome: row.string("status"))
    }
}
