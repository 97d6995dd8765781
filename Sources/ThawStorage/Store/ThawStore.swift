import Foundation
import ThawCore

/// The storage entry point. Unscoped operations (the directory, sign-in,
/// administration) live here; anything touching a client goes through
/// `scoped(to:)`, a repository bound to one actor.
public struct ThawStore: Sendable {
    let database: any SQLDatabase
    public let clock: any TimeSource
    /// Committed referral changes, for live pages.
    public let changes: ChangeFeed

    /// `changes` defaults to a feed relayed to the other processes on the same database, where there can be any.
    public init(database: any SQLDatabase, clock: any TimeSource, changes: ChangeFeed? = nil) {
        self.database = database
        self.clock = clock
        self.changes = changes ?? ChangeFeed(relay: database.makeLiveRelay())
    }

    /// Answers when the database answers a query on a connection made now (readiness), and
    /// otherwise fails with the reason: a restarting PostgreSQL refuses new connections at once,
    /// where a request for a pooled one would wait for it to come back.
    public func checkDatabase() async throws {
        try await database.probe()
    }

    /// How many entries the activity ledger holds.
    public func ledgerEntryCount() async throws -> Int {
        try await database.read { db in try await db.first("SELECT COUNT(*) AS n FROM activity")?.int("n") ?? 0 }
    }

    /// A store for an actor whose credential has been checked in this request (or
    /// who needs none: the CLI, the demo, the simulator).
    public func scoped(to actor: Actor) -> ScopedStore {
        ScopedStore(store: self, actor: actor, database: database)
    }

}

/// A change to record in the activity ledger, in the same transaction as the change.
struct LedgerRecord {
    var kind: String
    var subjectType: String
    var subjectId: String
    var counterpart: ID<Organization>?
    var channel: Channel
    var detail: [String: String] = [:]
}

extension SQLConnection {
    func append(_ record: LedgerRecord, actorUser: ID<User>?, actorOrganization: ID<Organization>, at: Timestamp) async throws {
        let seq = try await query(
            """
            INSERT INTO activity (at, actor_user_id, actor_organization_id, counterpart_organization_id,
                                  kind, subject_type, subject_id, channel, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq
            """, at, actorUser, actorOrganization, record.counterpart, record.kind, record.subjectType,
            record.subjectId, record.channel, JSONText.encode(record.detail)
        ).first?.int64("seq")
        try await enqueueEvent(record, actorUser: actorUser, actorOrganization: actorOrganization, at: at)
        // Each change to a referral's Task is a ledger entry of one of these kinds, written after its
        // UPDATE: the version it made is copied here (FHIR's `_history`).
        if record.subjectType == "referral", Outbox.taskChangeKinds.contains(record.kind) {
            try await execute(
                """
                INSERT INTO referral_versions (\(ReferralVersions.columns)) SELECT \(ReferralVersions.columns) FROM referrals WHERE id = ?
                ON CONFLICT (id, version) DO NOTHING
                """, record.subjectId)
        }
        // An entry that counts for the climate is marked to be folded into its pair's month, in the same
        // transaction: it is counted exactly once, after the commit (`foldPendingClimate`).
        if let seq,
            !ClimateLedger.contributions(
                kind: record.kind, channel: record.channel, detail: record.detail, actor: actorOrganization.raw,
                counterpart: record.counterpart?.raw, at: at
            ).isEmpty
        {
            try await execute("INSERT INTO climate_pending (seq) VALUES (?)", seq)
        }
    }

    func append(_ record: LedgerRecord, by actor: Actor, at: Timestamp) async throws {
        var record = record
        // A person acting for the organisation they are placed with: the entry names both.
        if let home = actor.homeOrganizationId { record.detail["homeOrganization"] = home.raw }
        try await append(record, actorUser: actor.userId, actorOrganization: actor.organizationId, at: at)
    }

    /// A rule of the input: the organisation it names must exist (422 naming the field).
    func requireOrganization(_ id: ID<Organization>, field: String) async throws {
        guard try await first("SELECT id FROM organizations WHERE id = ?", id) != nil else {
            throw ThawError.unprocessable(field, "exists", "no organisation \(id) exists")
        }
    }

    /// Records that an actor read or wrote a client's record (the access audit).
    func logAccess(_ actor: Actor, client: ID<Client>?, action: String, subjectType: String, subjectId: String, at: Timestamp) async throws {
        try await execute(
            """
            INSERT INTO access_log (at, user_id, organization_id, client_id, action, subject_type, subject_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, at, actor.userId, actor.organizationId, client, action, subjectType, subjectId)
    }
}

extension Channel: SQLBindable {}
