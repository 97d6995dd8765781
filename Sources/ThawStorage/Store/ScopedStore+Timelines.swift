import ThawCore

/// One line of a partnership timeline: a ledger entry, or an outside event.
public struct TimelineItem: Codable, Sendable {
    public var at: Timestamp
    public var activity: ActivityEntry?
    public var event: OutsideEvent?
}

/// Everything between two organisations, or in one committee, in order: the
/// interactions from the ledger and the outside events around them.
extension ScopedStore {
    /// The pair's timeline, for people of either organisation. Nothing about a
    /// client appears in it: referral entries and client records (consents,
    /// screenings, the client itself) are left out entirely, since even a client's
    /// or referral's id is more than a partnership needs; the climate's counts
    /// carry the referral work. Other record-keeping entries keep their kind and
    /// time but not their detail. Outside events are placed at the start of their day.
    /// With `from`/`to`, only that range of days (`to` exclusive): the ledger entries behind one period's climate.
    public func pairTimeline(
        _ a: ID<Organization>, _ b: ID<Organization>, from: CalendarDate? = nil, to: CalendarDate? = nil,
        limit: Int = 500
    ) async throws -> [TimelineItem] {
        guard a != b else { throw ThawError.invalid("organizationId", "distinct", "a pair is two different organisations") }
        guard actor.organizationId == a || actor.organizationId == b else {
            throw ThawError.notFound("the timeline of organisations \(a) and \(b)")
        }
        if let from, let to, to <= from { throw ThawError.invalid("to", "after-from", "the end of the range must come after its start") }
        let cap = min(max(limit, 1), 2000)
        let start = from?.startOfDay ?? Timestamp(millis: Int64.min / 2), end = to?.startOfDay ?? Timestamp(millis: Int64.max / 2)
        let entries = try await database.read { db in
            try await Self.requirePair(db, a, b)
            let direct = try await db.query(
                """
                SELECT \(ActivityEntry.columns) FROM activity
                WHERE ((actor_organization_id = ? AND counterpart_organization_id = ?) OR (actor_organization_id = ? AND counterpart_organization_id = ?))
                  AND at >= ? AND at < ? AND channel <> 'referral' AND subject_type NOT IN ('client', 'referral')
                ORDER BY at DESC, seq DESC \(SQLText.limit)
                """, a, b, b, a, start, end, cap
            ).map(ActivityEntry.init(row:))
            let shared = try await Self.sharedPartyEntries(db, a, b, start: start, end: end, limit: cap)
            return Array((direct + shared).sorted { ($0.at, $0.seq) > ($1.at, $1.seq) }.prefix(cap))
        }
        let events = (try await self.events(affecting: a) + self.events(affecting: b)).filter {
            $0.occurredOn.startOfDay >= start && $0.occurredOn.startOfDay < end
        }
        var items = entries.map { entry -> TimelineItem in
            var entry = entry
            if entry.channel == .system { entry.detail = [:] }
            return TimelineItem(at: entry.at, activity: entry, event: nil)
        }
        var seen: Set<ID<OutsideEvent>> = []
        for event in events where seen.insert(event.id).inserted {
            items.append(TimelineItem(at: event.occurredOn.startOfDay, activity: nil, event: event))
        }
        return items.sorted { ($0.at, $0.activity?.seq ?? 0) < ($1.at, $1.activity?.seq ?? 0) }
    }

    /// Entries that reach the pair among others: the work of committees both belong (or belonged)
    /// to, and policy moves one made that affected the other; only those that count for this
    /// pair (`ClimateLedger.contributions`), so a vote shows on the timelines of the members it reached.
    static func sharedPartyEntries(
        _ db: any SQLConnection, _ a: ID<Organization>, _ b: ID<Organization>, start: Timestamp, end: Timestamp, limit: Int
    ) async throws -> [ActivityEntry] {
        let committees = try await db.query(
            """
            SELECT committee_id FROM committee_members WHERE organization_id = ?
            INTERSECT SELECT committee_id FROM committee_members WHERE organization_id = ?
            """, a, b
        ).map { SQLValue.text($0.string("committee_id")) }
        var candidates: [ActivityEntry] = []
        if !committees.isEmpty {
            candidates += try await db.query(
                """
                SELECT \(ActivityEntry.columns) FROM activity WHERE subject_type = 'committee'
                  AND subject_id IN (\(Array(repeating: "?", count: committees.count).joined(separator: ", "))) AND at >= ? AND at < ?
                ORDER BY seq DESC \(SQLText.limit)
                """, committees + [start.sqlValue, end.sqlValue, .int(Int64(limit))]
            ).map(ActivityEntry.init(row:))
        }
        candidates += try await db.query(
            """
            SELECT \(ActivityEntry.columns) FROM activity
            WHERE actor_organization_id IN (?, ?) AND counterpart_organization_id IS NULL AND subject_type = 'policy-move' AND at >= ? AND at < ?
            ORDER BY at DESC, seq DESC \(SQLText.limit)
            """, a, b, start, end, limit
        ).map(ActivityEntry.init(row:))
        let pair = a < b ? (a.raw, b.raw) : (b.raw, a.raw)
        return candidates.filter { entry in
            entry.counterpartOrganizationId == nil
                && ClimateLedger.contributions(
                    kind: entry.kind, channel: entry.channel, detail: entry.detail, actor: entry.actorOrganizationId.raw,
                    counterpart: nil, at: entry.at
                ).contains { $0.lo == pair.0 && $0.hi == pair.1 }
        }
    }

    /// The committee's timeline, for its members (current or former).
    public func committeeTimeline(_ id: ID<Committee>) async throws -> [TimelineItem] {
        let actor = self.actor
        let (entries, members) = try await database.read { db in
            _ = try await Self.memberCommittee(db, id, actor: actor)
            let entries = try await db.query(
                """
                SELECT \(ActivityEntry.columns) FROM activity WHERE subject_type = 'committee' AND subject_id = ? ORDER BY at, seq
                """, id
            ).map(ActivityEntry.init(row:))
            return (entries, try await Self.members(db, id))
        }
        var items = entries.map { TimelineItem(at: $0.at, activity: $0, event: nil) }
        var seen: Set<ID<OutsideEvent>> = []
        let first = entries.first?.at ?? now()
        for member in members {
            for event in try await events(affecting: member.organizationId)
            where event.occurredOn.startOfDay >= first.adding(days: -365) && seen.insert(event.id).inserted {
                items.append(TimelineItem(at: event.occurredOn.startOfDay, activity: nil, event: event))
            }
        }
        return items.sorted { ($0.at, $0.activity?.seq ?? 0) < ($1.at, $1.activity?.seq ?? 0) }
    }
}
