import Crypto
import ThawCore

/// Copies a whole installation from one database into another (SQLite into PostgreSQL, to
/// outgrow one process): every table, rows in their order, ids, sequence numbers and
/// timestamps as they were; then proves it with a row count and a checksum per table, read
/// back from both.
public enum DatabaseCopy {
    /// One table's copy, as verified.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var sourceRows: Int
        public var targetRows: Int
        public var sourceChecksum: String
        public var targetChecksum: String
        public var matches: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }
    }

    /// The copy's progress: the table, rows copied so far, and its rows in all.
    public typealias Progress = @Sendable (_ table: String, _ done: Int, _ total: Int) -> Void

    /// Copies `source` into `target`, which must be empty; migrates the target first. The copy is
    /// one transaction on the target: it is there whole, or not at all.
    public static func copy(from source: any SQLDatabase, to target: any SQLDatabase, progress: @escaping Progress = { _, _, _ in }) async throws
        -> [Table]
    {
        guard source.dialect == .sqlite else {
            throw ThawError.unprocessable("from", "sqlite", "the copy reads from a SQLite database; copy PostgreSQL with pg_dump")
        }
        let current = Migrator.all.map(\.version).max() ?? 0
        let sourceVersion = try await source.read { db in try await SchemaCatalog.version(db) }
        guard sourceVersion == current else {
            throw ThawError.unprocessable(
                "from", "schema-current",
                "the source database is at schema version \(sourceVersion), this thaw at \(current): run `thaw migrate` on it first")
        }
        try await Migrator.migrate(target)
        let plan = try await plan(source: source, target: target)
        try await target.write { db in
            let foreignKeys = try await dropForeignKeys(db)
            for table in plan {
                if table.seeded { try await db.execute("DELETE FROM \(table.name)", []) }
                try await copyRows(of: table, from: source, into: db, progress: progress)
            }
            try await restore(foreignKeys, db)
            try await restartNumbering(plan, db)
        }
        return try await verify(plan.map { ($0.name, $0.columns) }, source, target)
    }

    /// Compares two databases table by table (a restored backup or dump with its original, a
    /// copy with its source): the tables and columns both hold, counted and summed on each side.
    public static func compare(_ source: any SQLDatabase, _ target: any SQLDatabase) async throws -> [Table] {
        let readable = Dictionary(try await SchemaCatalog.writtenColumns(source).map { ($0.table, Set($0.columns.map(\.name))) }) { a, _ in a }
        let tables = try await SchemaCatalog.writtenColumns(target).compactMap { table, columns -> (name: String, columns: [String])? in
            guard let inSource = readable[table] else { return nil }
            return (table, columns.map(\.name).filter(inSource.contains))
        }
        return try await verify(tables, source, target)
    }

    private static func verify(_ tables: [(name: String, columns: [String])], _ source: any SQLDatabase, _ target: any SQLDatabase)
        async throws -> [Table]
    {
        var verified: [Table] = []
        for table in tables {
            let (sourceRows, sourceSum) = try await Checksum.of(table.name, columns: table.columns, in: source)
            let (targetRows, targetSum) = try await Checksum.of(table.name, columns: table.columns, in: target)
            verified.append(
                Table(name: table.name, sourceRows: sourceRows, targetRows: targetRows, sourceChecksum: sourceSum, targetChecksum: targetSum))
        }
        return verified
    }

    /// A table to copy and the columns both sides write.
    struct PlannedTable {
        var name: String
        var columns: [String]
        /// Whether the target numbers one of them itself, so the copy must override it.
        var overridesIdentity: Bool
        /// Whether the target's migrations put rows in it (Thaw's own taxonomy in the directory): the
        /// source has them too, as they are now, so the copy replaces them.
        var seeded: Bool
    }

    /// Tables that hold an installation's own data, none of which a migration fills: a target with
    /// a row in any of them is in use.
    static let installationTables: Set = ["organizations", "users", "clients", "referrals", "activity", "access_log"]

    /// The tables both databases hold, with their columns; refuses a target that holds any row,
    /// and a column one side has and the other cannot fill.
    static func plan(source: any SQLDatabase, target: any SQLDatabase) async throws -> [PlannedTable] {
        let readable = Dictionary(try await SchemaCatalog.writtenColumns(source).map { ($0.table, Set($0.columns.map(\.name))) }) { a, _ in a }
        var plan: [PlannedTable] = []
        for (table, written) in try await SchemaCatalog.writtenColumns(target) {
            let holdsRows = try await target.read { db in try await db.first("SELECT 1 AS found FROM \(table) LIMIT 1") != nil }
            if holdsRows, installationTables.contains(table) {
                throw ThawError.conflict(
                    code: "target-not-empty",
                    message: "the target database already holds data (table \(table)); copy only into an empty database",
                    field: "to")
            }
            guard let inSource = readable[table] else {
                throw ThawError.unprocessable("from", "same-schema", "the source database has no table \(table)")
            }
            if let missing = written.first(where: { !inSource.contains($0.name) }) {
                throw ThawError.unprocessable("from", "same-schema", "the source's table \(table) has no column \(missing.name)")
            }
            plan.append(
                PlannedTable(name: table, columns: written.map(\.name), overridesIdentity: written.contains(where: \.identity), seeded: holdsRows))
        }
        return plan
    }

    /// Rows go in a few hundred to a statement, in the source's order (SQLite's rowid: the order
    /// they were written, so the ledger and access log keep theirs).
    static func copyRows(of table: PlannedTable, from source: any SQLDatabase, into db: any SQLConnection, progress: Progress) async throws {
        let total = try await source.read { src in try await src.first("SELECT COUNT(*) AS n FROM \(table.name)")?.int("n") ?? 0 }
        let perStatement = max(1, min(500, 30_000 / max(1, table.columns.count)))
        let columnList = table.columns.joined(separator: ", ")
        let rowPlaceholders = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
        var after: Int64 = .min, done = 0
        progress(table.name, 0, total)
        while true {
            let from = after
            let batch = try await source.read { src in
                try await src.query(
                    "SELECT rowid AS copy_rowid, \(columnList) FROM \(table.name) WHERE rowid > ? ORDER BY rowid \(SQLText.limit)",
                    [.int(from), .int(Int64(perStatement))])
            }
            guard let last = batch.last else { break }
            after = last.int64("copy_rowid")
            let overriding = table.overridesIdentity && db.dialect == .postgres ? " OVERRIDING SYSTEM VALUE" : ""
            let values = Array(repeating: rowPlaceholders, count: batch.count).joined(separator: ", ")
            try await db.execute(
                "INSERT INTO \(table.name) (\(columnList))\(overriding) VALUES \(values)",
                batch.flatMap { $0.values.dropFirst() })
            done += batch.count
            progress(table.name, done, total)
        }
    }

    /// Foreign keys are checked once, when every table is in, rather than row by row in an order
    /// no table list could give (organisations cite their parents).
    static func dropForeignKeys(_ db: any SQLConnection) async throws -> [(table: String, name: String, definition: String)] {
        guard db.dialect == .postgres else { return [] }
        let keys = try await db.query(
            """
            SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
            FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY 1, 2
            """, []
        ).map { (table: $0.string("tbl"), name: $0.string("name"), definition: $0.string("definition")) }
        for key in keys { try await db.execute("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)", []) }
        return keys
    }

    static func restore(_ keys: [(table: String, name: String, definition: String)], _ db: any SQLConnection) async throws {
        for key in keys { try await db.execute("ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.definition)", []) }
    }

    /// Numbering the database does itself (the ledger's and access log's sequence numbers) goes on
    /// after the highest number copied.
    static func restartNumbering(_ plan: [PlannedTable], _ db: any SQLConnection) async throws {
        guard db.dialect == .postgres else { return }
        for table in plan where table.overridesIdentity {
            let identities = try await db.query(
                "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? AND is_identity = 'YES'",
                [.text(table.name)])
            for column in identities.map({ $0.string("name") }) {
                _ = try await db.query(
                    "SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(\(column)) FROM \(table.name)), 0) + 1, false) AS next",
                    [.text(table.name), .text(column)])
            }
        }
    }
}
