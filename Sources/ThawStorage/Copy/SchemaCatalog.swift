import ThawCore

/// What tables and columns a database holds, read from its own catalogue (SQLite's
/// `sqlite_master` and `pragma_table_info`, PostgreSQL's `information_schema`).
enum SchemaCatalog {
    struct Column: Equatable {
        var name: String
        /// Computed by the database (PostgreSQL's generated search vectors): never written.
        var generated: Bool
        /// Numbered by the database (`GENERATED ALWAYS AS IDENTITY`): written only when overriding it.
        var identity: Bool
    }

    /// The tables the schema made: not the schema's own bookkeeping nor SQLite's internals or the
    /// shadow tables of its full-text index.
    static func tables(_ db: any SQLConnection) async throws -> [String] {
        let names: [String]
        switch db.dialect {
        case .sqlite:
            let tables = try await db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", [])
            // A full-text index is a virtual table over shadow tables named after it: an index, not data.
            let virtual = tables.filter { ($0.optionalString("sql") ?? "").hasPrefix("CREATE VIRTUAL TABLE") }.map { $0.string("name") }
            names = tables.map { $0.string("name") }.filter { name in !virtual.contains { name == $0 || name.hasPrefix($0 + "_") } }
        case .postgres:
            names = try await db.query(
                "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
                []
            ).map { $0.string("name") }
        }
        return names.filter { $0 != "schema_migrations" && !$0.hasPrefix("sqlite_") }
    }

    static func columns(_ db: any SQLConnection, of table: String) async throws -> [Column] {
        switch db.dialect {
        case .sqlite:
            // `hidden` is 2 or 3 for generated columns, 1 for a virtual table's hidden ones.
            return try await db.query("SELECT name, hidden FROM pragma_table_xinfo(?) ORDER BY cid", [.text(table)]).map {
                Column(name: $0.string("name"), generated: $0.int("hidden") != 0, identity: false)
            }
        case .postgres:
            return try await db.query(
                """
                SELECT column_name AS name, is_generated AS generated, is_identity AS identity FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position
                """, [.text(table)]
            ).map {
                Column(name: $0.string("name"), generated: $0.string("generated") != "NEVER", identity: $0.string("identity") == "YES")
            }
        }
    }

    /// Every table's columns that are written rather than computed, in the catalogue's order.
    static func writtenColumns(_ database: any SQLDatabase) async throws -> [(table: String, columns: [Column])] {
        try await database.read { db in
            var found: [(table: String, columns: [Column])] = []
            for table in try await Self.tables(db) { found.append((table, try await Self.columns(db, of: table).filter { !$0.generated })) }
            return found
        }
    }

    /// The schema version a database is at (its highest applied migration), 0 for none.
    static func version(_ db: any SQLConnection) async throws -> Int {
        try await db.first("SELECT MAX(version) AS v FROM schema_migrations")?.optionalInt64("v").map { Int($0) } ?? 0
    }
}
