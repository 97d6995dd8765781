import ThawCore

/// One versioned schema change. Statements are written once; the few words
/// that differ between SQLite and PostgreSQL are spelled as placeholders:
/// `{serial}` for an auto-numbered BIGINT primary key.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: @Sendable (SQLDialect) -> [String]
    /// Work that SQL alone cannot do (recomputing stored aggregates), run after the
    /// statements in the same transaction.
    let then: (@Sendable (any SQLConnection) async throws -> Void)?

    public init(version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.version = version; self.name = name; self.statements = statements; then = nil
    }

    public init(version: Int, name: String, sql: [String]) {
        self.init(version: version, name: name) { dialect in sql.map { Self.render($0, for: dialect) } }
    }

    /// Statements, then work in Swift on the same connection (filling what the statements made).
    init(version: Int, name: String, sql: [String], then: @escaping @Sendable (any SQLConnection) async throws -> Void) {
        self.version = version; self.name = name; statements = { dialect in sql.map { Self.render($0, for: dialect) } }; self.then = then
    }

    /// Statements for each dialect, then work in Swift on the same connection.
    init(
        version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [String],
        then: @escaping @Sendable (any SQLConnection) async throws -> Void
    ) {
        self.version = version; self.name = name; self.statements = statements; self.then = then
    }

    /// A migration done in Swift alone, on the migration's connection.
    init(version: Int, name: String, run: @escaping @Sendable (any SQLConnection) async throws -> Void) {
        self.version = version; self.name = name; statements = { _ in [] }; then = run
    }

    static func render(_ sql: String, for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: return sql.replacingAll("{serial}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
        case .postgres: return sql.replacingAll("{serial}", with: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard let first = target.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == first, self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}

/// Applies migrations not yet applied, each in its own transaction, in order.
public enum Migrator {
    public static let all: [Migration] = [
        Schema.v1, Schema.v2LedgerGuards, Schema.v3OpenWorklists, Schema.v4LeanerReferralIndexes,
        Schema.v5CountingWorklistIndexes, Schema.v6Partnership, Schema.v7SignalsRolesEventsFunding, Schema.v8PulseSurveys,
        Schema.v9ClimateAggregates, Schema.v10Responsiveness, Schema.v11ClimateMonths,
        Schema.v12ClimatePairMonths, Schema.v13ClientAccessIndex, Schema.v14Trust, Schema.v15Interoperability,
        Schema.v16Outbox, Schema.v17Notifications, Schema.v18SMART, Schema.v19History,
        Schema.v20Outbound, Schema.v21OwnerStatusIndex, Schema.v22Reminders, Schema.v23Directory,
        Schema.v24DirectoryMembers, Schema.v25DirectorySearch, Schema.v26DirectoryIndexed,
        Schema.v27DirectoryUpkeep, Schema.v28DirectoryTags, Schema.v29ScheduledJobs, Schema.v30ClimatePending,
        Schema.v31ClimatePractices, Schema.v32CommitmentJudgement, Schema.v33Perseverance, Schema.v34ClimateResults,
        Schema.v35OrganizationTimeZones, Schema.v36FollowUpsAndClosingNeeds,
        Schema.v37OnwardReferrals, Schema.v38ClientExperience, Schema.v39Appointments, Schema.v40Placements,
        Schema.v41ClientLinks,
        Schema.v42UserLanguage, Schema.v43ClientTasks, Schema.v44Evaluation
    ]

    @discardableResult
    public static func migrate(_ database: any SQLDatabase, migrations: [Migration] = all) async throws -> [Int] {
        try await database.write { db in
            // Several processes may start at once: one creates the table, the others wait for it.
            if db.dialect == .postgres { try await db.execute("SELECT pg_advisory_xact_lock(7261001)") }
            try await db.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """)
        }
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let didApply = try await database.write { db -> Bool in
                if db.dialect == .postgres {
                    // A migration may rebuild an index over millions of rows: the statement timeout
                    // that guards requests does not apply to it. Several server processes may start at
                    // once; one migrates, the others wait.
                    try await db.execute("SET LOCAL statement_timeout = 0")
                    try await db.execute("SELECT pg_advisory_xact_lock(7261001)")
                }
                if try await db.first("SELECT version FROM schema_migrations WHERE version = ?", migration.version) != nil {
                    return false
                }
                for statement in migration.statements(db.dialect) {
                    try await db.execute(statement, [])
                }
                try await migration.then?(db)
                try await db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    migration.version, migration.name, SystemClock().now())
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }
}
