import ThawCore

/// A search over the referrals an actor may see, as a FHIR client asks for them
/// (`Task?owner=…&status=requested`): each filter optional, newest change first,
/// paged by cursor.
public struct ReferralSearch: Sendable, Equatable {
    public var ids: [ID<Referral>] = []
    public var client: ID<Client>?
    public var requester: ID<Organization>?
    public var owner: ID<Organization>?
    /// true: only referrals open for any eligible partner to claim (no owner); false: only those with one.
    public var ownerMissing: Bool?
    public var statuses: Set<TaskStatus> = []
    public var needCategories: Set<NeedCategory> = []
    /// Last changed at or after / before.
    public var updatedFrom: Timestamp?, updatedBefore: Timestamp?
    public var limit = 50
    public var cursor: WorklistCursor?

    public init() {}
}

/// A referral as one side sees it, with the names a reader needs beside it.
public struct VisibleReferral: Sendable {
    /// Disclosed under the side's consent scopes; for an open referral not yet claimed, without its client or needs.
    public var referral: Referral
    /// nil for an open referral the actor's organisation could claim.
    public var side: ReferralSide?
    public var requesterName: String
    public var ownerName: String?
    public var serviceName: String?
    /// The consent scopes the receiving side works under (nil for the referring side and open referrals).
    public var scopes: Set<ConsentScope>?

    public init(
        referral: Referral, side: ReferralSide?, requesterName: String, ownerName: String?, serviceName: String?, scopes: Set<ConsentScope>?
    ) {
        self.referral = referral; self.side = side; self.requesterName = requesterName
        self.ownerName = ownerName; self.serviceName = serviceName; self.scopes = scopes
    }
}

public struct ReferralSearchPage: Sendable {
    public var items: [VisibleReferral]
    public var next: WorklistCursor?

    public init(items: [VisibleReferral], next: WorklistCursor?) { self.items = items; self.next = next }
}

extension ScopedStore {
    public func searchReferrals(_ search: ReferralSearch) async throws -> ReferralSearchPage {
        let actor = self.actor, now = now()
        let limit = min(max(search.limit, 1), 200)
        // One query per way the actor may see a referral, each read from its own index: as the
        // referring organisation, as the receiving one under a live consent, and open ones it could claim.
        var branches: [(side: ReferralSide?, condition: String, binds: [SQLValue])] = []
        let held = "r.client_id IN (SELECT h.id FROM clients h WHERE h.organization_id = ?)"
        if search.ownerMissing != true, actor.hasAny(AccessPolicy.referringRoles),
            search.requester == nil || search.requester == actor.organizationId
        {
            branches.append(
                (
                    .requester, "r.requester_organization_id = ? AND (r.part_of_referral_id IS NULL OR \(held))",
                    [actor.organizationId.sqlValue, actor.organizationId.sqlValue]
                ))
        }
        // Referred onward by this organisation for a client it does not hold: seen under its consent.
        if search.ownerMissing != true, actor.hasAny(AccessPolicy.receivingRoles),
            search.requester == nil || search.requester == actor.organizationId
        {
            branches.append(
                (
                    .requester,
                    "r.requester_organization_id = ? AND r.part_of_referral_id IS NOT NULL AND NOT \(held) AND \(Self.consentCovers(alias: "r"))",
                    [actor.organizationId.sqlValue, actor.organizationId.sqlValue] + Self.coverBinds(actor, at: now)
                ))
        }
        if search.ownerMissing != true, actor.hasAny(AccessPolicy.receivingRoles), search.owner == nil || search.owner == actor.organizationId {
            branches.append(
                (
                    .performer, "r.owner_organization_id = ? AND r.status <> 'draft' AND \(Self.consentCovers(alias: "r"))",
                    [actor.organizationId.sqlValue] + Self.coverBinds(actor, at: now)
                ))
        }
        if search.ownerMissing != false, search.owner == nil, actor.hasAny(AccessPolicy.receivingRoles) {
            branches.append(
                (
                    nil,
                    """
                    r.owner_organization_id IS NULL AND r.status = 'requested'
                      AND r.need_category IN (SELECT n.need_category FROM service_needs n JOIN services s ON s.id = n.service_id
                                              WHERE n.organization_id = ? AND s.capacity <> 'closed')
                      AND \(Self.consentCovers(alias: "r"))
                    """,
                    [actor.organizationId.sqlValue] + Self.coverBinds(actor, at: now)
                ))
        }
        let (filters, filterBinds) = Self.conditions(of: search)
        let queries = branches
        let rows = try await database.read { db in
            var all: [(side: ReferralSide?, row: SQLRow)] = []
            for branch in queries {
                let sql = """
                    SELECT \(Referral.qualifiedColumns), ro.name AS requester_name, oo.name AS owner_name, s.name AS service_name
                    FROM referrals r JOIN organizations ro ON ro.id = r.requester_organization_id
                    LEFT JOIN organizations oo ON oo.id = r.owner_organization_id
                    LEFT JOIN services s ON s.id = r.service_id
                    WHERE \(([branch.condition] + filters).joined(separator: " AND "))
                    ORDER BY r.updated_at DESC, r.id DESC \(SQLText.limit)
                    """
                all += try await db.query(sql, branch.binds + filterBinds + [.int(Int64(limit + 1))]).map { (branch.side, $0) }
            }
            return all
        }
        // The branches' rows merged in one order; a referral is seen from one side only (an organisation
        // referring to itself sees it as the referrer).
        var seen = Set<String>()
        var merged = rows.sorted { a, b in
            let (ka, kb) = (a.row.int64("updated_at"), b.row.int64("updated_at"))
            return ka != kb ? ka > kb : a.row.string("id") > b.row.string("id")
        }
        .filter { seen.insert($0.row.string("id")).inserted }
        var next: WorklistCursor?
        if merged.count > limit {
            merged.removeLast(merged.count - limit)
            if let last = merged.last { next = WorklistCursor(key: last.row.int64("updated_at"), id: last.row.string("id")) }
        }
        let page = merged
        let items = try await database.read { db in
            var scopesByClient: [ID<Client>: Set<ConsentScope>] = [:]
            var items: [VisibleReferral] = []
            for (side, row) in page {
                let referral = Referral(row: row)
                var scopes: Set<ConsentScope>?
                var visible = referral
                switch side {
                case .requester:
                    // Referred onward for a client held elsewhere: the referral is the partner's own, the client is not.
                    if referral.partOf != nil, try await !Self.holds(db, referral.clientId, actor: actor) {
                        scopes = try await Self.consents(db, client: referral.clientId).scopes(
                            for: actor.organizationId, sector: actor.sector, at: now)
                    }
                case .performer:
                    if scopesByClient[referral.clientId] == nil {
                        // Referred back to the organisation that holds the client: all of it is its own.
                        let holds = referral.partOf != nil ? try await Self.holds(db, referral.clientId, actor: actor) : false
                        scopesByClient[referral.clientId] =
                            holds
                            ? Set(ConsentScope.allCases)
                            : try await Self.consents(db, client: referral.clientId).scopes(for: actor.organizationId, sector: actor.sector, at: now)
                    }
                    scopes = scopesByClient[referral.clientId] ?? []
                    visible = Disclosure.referral(referral, to: .performer, under: scopes ?? [])
                case nil:
                    // Who the client is stays hidden until the referral is claimed.
                    visible = Disclosure.referral(referral, to: .performer, under: [])
                }
                items.append(
                    VisibleReferral(
                        referral: visible, side: side, requesterName: row.string("requester_name"),
                        ownerName: row.optionalString("owner_name"), serviceName: row.optionalString("service_name"), scopes: scopes))
            }
            return items
        }
        let clients = items.filter { $0.side != nil }.map(\.referral)
        try await database.writeBehind { db in
            for referral in clients {
                try await db.logAccess(
                    actor, client: referral.clientId, action: "search", subjectType: "referral", subjectId: referral.id.raw, at: now)
            }
        }
        return ReferralSearchPage(items: items, next: next)
    }

    /// The search's own filters as SQL conditions on `r`, and their binds in order.
    private static func conditions(of search: ReferralSearch) -> ([String], [SQLValue]) {
        var conditions: [String] = [], binds: [SQLValue] = []
        func list<T: SQLBindable>(_ column: String, _ values: [T]) {
            conditions.append("\(column) IN (" + values.map { _ in "?" }.joined(separator: ",") + ")")
            binds += values.map(\.sqlValue)
        }
        if !search.ids.isEmpty { list("r.id", search.ids) }
        if let client = search.client { list("r.client_id", [client]) }
        if let requester = search.requester { list("r.requester_organization_id", [requester]) }
        if let owner = search.owner { list("r.owner_organization_id", [owner]) }
        if search.ownerMissing == false { conditions.append("r.owner_organization_id IS NOT NULL") }
        if !search.statuses.isEmpty { list("r.status", search.statuses.sorted { $0.rawValue < $1.rawValue }) }
        if !search.needCategories.isEmpty { list("r.need_category", search.needCategories.sorted { $0.rawValue < $1.rawValue }) }
        if let from = search.updatedFrom { conditions.append("r.updated_at >= ?"); binds.append(from.sqlValue) }
        if let before = search.updatedBefore { conditions.append("r.updated_at < ?"); binds.append(before.sqlValue) }
        if let cursor = search.cursor {
            conditions.append("(r.updated_at < ? OR (r.updated_at = ? AND r.id < ?))")
            binds += [.int(cursor.key), .int(cursor.key), .text(cursor.id)]
        }
        return (conditions, binds)
    }
}
