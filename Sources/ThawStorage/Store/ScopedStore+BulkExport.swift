import Crypto
import Foundation
import ThawCore

/// A FHIR Bulk Data export of the referral resources: asked for once, then fetched file by file
/// by the same person. For an evaluator it is de-identified (pseudonyms for every id that one
/// export keeps consistent, no free text); a network administrator gets the real ids.
public struct BulkExportJob: Sendable, Equatable {
    public var id: ID<BulkExportJob>
    public var userId: ID<User>
    public var types: [String]
    public var since: Timestamp?
    public var transactionTime: Timestamp
    public var deidentified: Bool
    /// The key of this export's pseudonyms; never leaves Thaw.
    public var pseudonymKey: String
    public var counts: [String: Int]
    public var expiresAt: Timestamp

    /// The resource types an export can hold.
    public static let resourceTypes = ["Task", "ServiceRequest", "Procedure"]
    /// How long the files can be fetched.
    public static let lifetimeSeconds: Int64 = 24 * 3600
}

/// One referral as an export writes it, with the names it shows.
public struct BulkReferral: Sendable {
    public var referral: Referral
    public var requesterName: String?
    public var ownerName: String?
    public var serviceName: String?
}

extension ScopedStore {
    static let exportable = "r.status NOT IN ('draft', 'entered-in-error') AND r.created_at <= ? AND r.updated_at >= ?"

    public func startBulkExport(types: [String], since: Timestamp?) async throws -> BulkExportJob {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "exporting referral resources in bulk")
        let actor = self.actor, now = now()
        let deidentified = !actor.has(.networkAdministrator)
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).map { String(format: "%02x", $0) }.joined() }
        let floor = since ?? Timestamp(millis: 0)
        let id: ID<BulkExportJob> = IDGenerator.make("bex")
        return try await database.write { db in
            let tasks = try await db.first("SELECT COUNT(*) AS n FROM referrals r WHERE \(Self.exportable)", now, floor)?.int("n") ?? 0
            let procedures =
                try await db.first(
                    "SELECT COUNT(*) AS n FROM referrals r WHERE \(Self.exportable) AND r.status = 'completed' AND r.outcome_code IS NOT NULL", now,
                    floor)?
                .int("n") ?? 0
            let all = ["Task": tasks, "ServiceRequest": tasks, "Procedure": procedures]
            let counts = all.filter { types.contains($0.key) }
            let job = BulkExportJob(
                id: id, userId: actor.userId, types: types, since: since, transactionTime: now, deidentified: deidentified, pseudonymKey: key,
                counts: counts, expiresAt: now.adding(seconds: BulkExportJob.lifetimeSeconds))
            try await db.execute(
                """
                INSERT INTO bulk_exports (id, user_id, types, since, transaction_time, deidentified, pseudonym_key, counts, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, job.id, actor.userId, types.joined(separator: ","), since, now, deidentified, key,
                JSONText.encode(counts.mapValues(String.init)),
                job.expiresAt)
            try await db.logAccess(actor, client: nil, action: "export", subjectType: "bulk-export", subjectId: id.raw, at: now)
            return job
        }
    }

    /// The caller's own export, while its files can be fetched; anyone else's is 404.
    public func bulkExport(_ id: ID<BulkExportJob>) async throws -> BulkExportJob {
        let me = actor.userId, now = now()
        guard
            let row = try await database.read({ db in
                try await db.first("SELECT * FROM bulk_exports WHERE id = ? AND user_id = ? AND expires_at > ?", id, me, now)
            })
        else { throw ThawError.notFound("bulk export \(id)") }
        return BulkExportJob(
            id: id, userId: me, types: row.list("types"), since: row.optionalTimestamp("since"), transactionTime: row.timestamp("transaction_time"),
            deidentified: row.bool("deidentified"), pseudonymKey: row.string("pseudonym_key"),
            counts: JSONText.decode(row.optionalString("counts")).compactMapValues { Int($0) }, expiresAt: row.timestamp("expires_at"))
    }

    public func deleteBulkExport(_ id: ID<BulkExportJob>) async throws {
        _ = try await bulkExport(id)
        try await database.write { db in try await db.execute("DELETE FROM bulk_exports WHERE id = ?", id) }
    }

    /// A page of the export's referrals after `after` (by id), as they stand now; each page read is logged.
    public func bulkReferrals(_ job: BulkExportJob, after: String?, limit: Int, completedOnly: Bool) async throws -> [BulkReferral] {
        let actor = self.actor, now = now()
        let columns = Referral.columns.split(separator: ",").map { "r." + String($0).trimmingWhitespace }.joined(separator: ", ")
        let rows = try await database.read { db in
            try await db.query(
                """
                SELECT \(columns), q.name AS requester_name, o.name AS owner_name, s.name AS service_name FROM referrals r
                JOIN organizations q ON q.id = r.requester_organization_id LEFT JOIN organizations o ON o.id = r.owner_organization_id
                LEFT JOIN services s ON s.id = r.service_id
                WHERE \(Self.exportable) AND r.id > ? \(completedOnly ? "AND r.status = 'completed' AND r.outcome_code IS NOT NULL" : "")
                ORDER BY r.id \(SQLText.limit)
                """, job.transactionTime, job.since ?? Timestamp(millis: 0), after ?? "", limit)
        }
        if after == nil {
            try await database.writeBehind { db in
                try await db.logAccess(actor, client: nil, action: "download", subjectType: "bulk-export", subjectId: job.id.raw, at: now)
            }
        }
        return rows.map {
            BulkReferral(
                referral: Referral(row: $0), requesterName: $0.optionalString("requester_name"), ownerName: $0.optionalString("owner_name"),
                serviceName: $0.optionalString("service_name"))
        }
    }
}
