import Foundation
import ThawCore

extension DecisionRule: SQLBindable {}
extension VoteChoice: SQLBindable {}
extension Decision.Status: SQLBindable {}

/// Committees: the formal channel. Only people of member organisations (now or
/// formerly) see a committee, its meetings, minutes and decisions; anyone else
/// gets 404, administrators included.
extension ScopedStore {
    public static let partnershipRoles: Set<Role> = [.partnershipLead, .administrator, .networkAdministrator]

    public func createCommittee(_ input: NewCommittee) async throws -> Committee {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "setting up a committee")
        try input.validate()
        guard input.memberOrganizationIds.contains(actor.organizationId) else {
            throw ThawError.unprocessable("memberOrganizationIds", "includes-convener", "the convening organisation must be a member")
        }
        let actor = self.actor, now = now()
        let committee = Committee(
            id: IDGenerator.make("com"), name: input.name.trimmingWhitespace, purpose: input.purpose,
            decisionRule: input.decisionRule, quorum: input.quorum, convenerOrganizationId: actor.organizationId,
            createdAt: now)
        return try await database.write { db in
            for org in input.memberOrganizationIds {
                try await db.requireOrganization(org, field: "memberOrganizationIds")
            }
            try await db.execute(
                """
                INSERT INTO committees (id, name, purpose, decision_rule, quorum, convener_organization_id, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, committee.id, committee.name, committee.purpose, committee.decisionRule, committee.quorum,
                actor.organizationId, actor.userId, now)
            try await db.append(
                LedgerRecord(
                    kind: "committee.created", subjectType: "committee", subjectId: committee.id.raw,
                    counterpart: nil, channel: .formal,
                    detail: ["rule": committee.decisionRule.rawValue, "name": committee.name]), by: actor, at: now)
            for org in input.memberOrganizationIds {
                try await db.execute(
                    "INSERT INTO committee_members (committee_id, organization_id, joined_at) VALUES (?, ?, ?)",
                    committee.id, org, now)
                if org != actor.organizationId {
                    try await db.append(
                        LedgerRecord(
                            kind: "committee.member-joined", subjectType: "committee", subjectId: committee.id.raw,
                            counterpart: org, channel: .formal), by: actor, at: now)
                }
            }
            return committee
        }
    }

    /// The committees my organisation belongs (or belonged) to.
    public func committees() async throws -> [Committee] {
        let actor = self.actor
        return try await database.read { db in
            try await db.query(
                """
                SELECT \(Committee.qualifiedColumns) FROM committees c JOIN committee_members m ON m.committee_id = c.id
                WHERE m.organization_id = ? ORDER BY c.name, c.id
                """, actor.organizationId
            ).map(Committee.init(row:))
        }
    }

    public func committee(_ id: ID<Committee>) async throws -> (Committee, [CommitteeMember]) {
        let actor = self.actor
        return try await database.read { db in
            let committee = try await Self.memberCommittee(db, id, actor: actor)
            return (committee, try await Self.members(db, id))
        }
    }

    /// An organisation leaves the committee, with its reason on the record. A walk-out (leaving in
    /// protest, `walkOut`) breaks the group's commitment with every member left at the table, and
    /// counts against each of those pairs' follow-through.
    public func leaveCommittee(_ id: ID<Committee>, reason: String, walkOut: Bool = false) async throws -> [CommitteeMember] {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "leaving a committee")
        var v = Validator()
        v.requireText(reason, "reason")
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            let committee = try await Self.memberCommittee(db, id, actor: actor)
            let changed = try await db.execute(
                """
                UPDATE committee_members SET left_at = ?, left_reason = ? WHERE committee_id = ? AND organization_id = ? AND left_at IS NULL
                """, now, reason.trimmingWhitespace, id, actor.organizationId)
            guard changed == 1 else { throw ThawError.conflict(code: "not-a-member", message: "your organisation has already left this committee") }
            let remaining = try await Self.otherMembers(db, id, actor: actor)
            if walkOut {
                try await db.append(
                    LedgerRecord(
                        kind: ClimateLedger.walkOutKind, subjectType: "committee", subjectId: id.raw, counterpart: nil,
                        channel: .formal, detail: ["reason": reason.trimmingWhitespace, "with": remaining]), by: actor, at: now)
            } else {
                try await db.append(
                    LedgerRecord(
                        kind: "committee.member-left", subjectType: "committee", subjectId: id.raw,
                        counterpart: committee.convenerOrganizationId == actor.organizationId ? nil : committee.convenerOrganizationId,
                        channel: .formal, detail: ["reason": reason.trimmingWhitespace]), by: actor, at: now)
            }
            return try await Self.members(db, id)
        }
    }

    // MARK: meetings

    public func recordMeeting(
        _ id: ID<Committee>, heldAt: Timestamp, agenda: [String], minutes: String?,
        attendees: [ID<User>]
    ) async throws -> Meeting {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording a meeting")
        var v = Validator()
        v.require(!agenda.isEmpty && agenda.count <= 50, "agenda", "items", "a meeting has 1 to 50 agenda items")
        v.require(
            agenda.allSatisfy { !$0.trimmingWhitespace.isEmpty && $0.count <= 500 }, "agenda", "item-text", "agenda items are 1 to 500 characters")
        v.limitText(minutes, "minutes", maxLength: 50_000)
        v.require(heldAt <= now().adding(days: 366), "heldAt", "range", "heldAt is more than a year ahead")
        try v.check()
        let actor = self.actor, now = now()
        let meeting = Meeting(
            id: IDGenerator.make("mtg"), committeeId: id, heldAt: heldAt,
            agenda: agenda.map(\.trimmingWhitespace), minutes: minutes, attendeeIds: Array(Set(attendees)).sorted())
        return try await database.write { db in
            _ = try await Self.memberCommittee(db, id, actor: actor, currentOnly: true)
            let current = Set(try await Self.members(db, id).filter(\.isCurrent).map(\.organizationId))
            try await db.execute(
                """
                INSERT INTO meetings (id, committee_id, held_at, agenda, minutes, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, meeting.id, id, heldAt, meeting.agenda.joined(separator: "\n"), minutes, actor.userId, now)
            var organizations: Set<ID<Organization>> = []
            for user in meeting.attendeeIds {
                guard let row = try await db.first("SELECT organization_id FROM users WHERE id = ?", user),
                    current.contains(row.id("organization_id"))
                else {
                    throw ThawError.unprocessable("attendeeIds", "member", "attendee \(user) is not from a member organisation")
                }
                let org: ID<Organization> = row.id("organization_id")
                organizations.insert(org)
                try await db.execute(
                    "INSERT INTO meeting_attendance (meeting_id, user_id, organization_id) VALUES (?, ?, ?)",
                    meeting.id, user, org)
            }
            try await db.append(
                LedgerRecord(
                    kind: "meeting.held", subjectType: "committee", subjectId: id.raw, counterpart: nil,
                    channel: .formal,
                    detail: [
                        "meeting": meeting.id.raw,
                        "organizations": organizations.map(\.raw).sorted().joined(separator: ",")
                    ]),
                by: actor, at: heldAt)
            return meeting
        }
    }

    public func meetings(_ id: ID<Committee>) async throws -> [Meeting] {
        let actor = self.actor
        return try await database.read { db in
            _ = try await Self.memberCommittee(db, id, actor: actor)
            var meetings: [Meeting] = []
            for row in try await db.query(
                "SELECT id, committee_id, held_at, agenda, minutes FROM meetings WHERE committee_id = ? ORDER BY held_at, id", id)
            {
                let attendees: [ID<User>] = try await db.query(
                    "SELECT user_id FROM meeting_attendance WHERE meeting_id = ? ORDER BY user_id",
                    row.string("id")
                ).map { $0.id("user_id") }
                meetings.append(
                    Meeting(
                        id: row.id("id"), committeeId: id, heldAt: row.timestamp("held_at"),
                        agenda: row.string("agenda").split(separator: "\n").map(String.init),
                        minutes: row.optionalString("minutes"), attendeeIds: attendees))
            }
            return meetings
        }
    }

    /// The active people of the committee's current member organisations (for
    /// recording attendance), for members only.
    public func committeePeople(_ id: ID<Committee>) async throws -> [User] {
        let actor = self.actor
        return try await database.read { db in
            _ = try await Self.memberCommittee(db, id, actor: actor)
            return try await db.query(
                """
                SELECT \(User.columns) FROM users WHERE active = 1 AND organization_id IN
                  (SELECT organization_id FROM committee_members WHERE committee_id = ? AND left_at IS NULL)
                ORDER BY display_name, id
                """, id
            ).map(User.init(row:))
        }
    }

    // MARK: access

    /// The committee, if the actor's organisation is (or was) a member; otherwise 404.
    static func memberCommittee(_ db: any SQLConnection, _ id: ID<Committee>, actor: Actor, currentOnly: Bool = false) async throws -> Committee {
        guard
            let row = try await db.first(
                """
                SELECT \(Committee.qualifiedColumns), m.left_at FROM committees c JOIN committee_members m ON m.committee_id = c.id
                WHERE c.id = ? AND m.organization_id = ?
                """, id, actor.organizationId)
        else { throw ThawError.notFound("committee \(id)") }
        if currentOnly, row.optionalInt64("left_at") != nil {
            throw ThawError.forbidden("your organisation has left this committee")
        }
        return Committee(row: row)
    }

    static func members(_ db: any SQLConnection, _ id: ID<Committee>) async throws -> [CommitteeMember] {
        try await db.query(
            """
            SELECT m.organization_id, o.name, o.sector, m.joined_at, m.left_at, m.left_reason
            FROM committee_members m JOIN organizations o ON o.id = m.organization_id WHERE m.committee_id = ? ORDER BY o.name, o.id
            """, id
        ).map { row in
            CommitteeMember(
                organizationId: row.id("organization_id"), organizationName: row.string("name"), sector: row.enumValue("sector"),
                joinedAt: row.timestamp("joined_at"), leftAt: row.optionalTimestamp("left_at"),
                leftReason: row.optionalString("left_reason"))
        }
    }
}

extension Committee {
    static let qualifiedColumns = "c.id, c.name, c.purpose, c.decision_rule, c.quorum, c.convener_organization_id, c.created_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), name: row.string("name"), purpose: row.string("purpose"), decisionRule: row.enumValue("decision_rule"),
            quorum: row.int("quorum"), convenerOrganizationId: row.id("convener_organization_id"), createdAt: row.timestamp("created_at"))
    }
}
