import Foundation
import ThawCore

/// The storage entry point. Unscoped operations (the directory, sign-in,
/// administration) live here; anything touching a client goes through
/// `scoped(to:)`, a repository bound to one actor.
public struct ThawStore: Sendable {
    public let database: any SQLDatabase
    public let clock: any TimeSource
    /// Committed referral changes, for live pages.
    public let changes: ChangeFeed

    public init(database: any SQLDatabase, clock: any TimeSource, changes: ChangeFeed = ChangeFeed()) {
        self.database = database
        self.clock = clock
        self.changes = changes
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
        try await execute("""
            INSERT INTO activity (at, actor_user_id, actor_organization_id, counterpart_organization_id,
                                  kind, subject_type, subject_id, channel, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, at, actorUser, actorOrganization, record.counterpart, record.kind, record.subjectType,
            record.subjectId, record.channel, JSONText.encode(record.detail))
        // The climate aggregates move with the ledger, in the same transaction.
        try await addToClimate(kind: record.kind, channel: record.channel, detail: record.detail, actorUser: actorUser,
                               actor: actorOrganization.raw, counterpart: record.counterpart?.raw, at: at)
    }

    func append(_ record: LedgerRecord, by actor: Actor, at: Timestamp) async throws {
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
        try await execute("""
            INSERT INTO access_log (at, user_id, organization_id, client_id, action, subject_type, subject_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, at, actor.userId, actor.organizationId, client, action, subjectType, subjectId)
    }
}

extension Channel: SQLBindable {}

/// Small JSON helpers for the TEXT columns that hold maps (ledger details,
/// screening answers). Encoding is by hand: it runs on every write, and
/// JSONEncoder was a visible share of the writer's time.
enum JSONText {
    static func encode(_ map: [String: String]) -> String {
        var out = "{"
        for (index, key) in map.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            out += quoted(key) + ":" + quoted(map[key]!)
        }
        return out + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let map = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return [:] }
        return map
    }
}
