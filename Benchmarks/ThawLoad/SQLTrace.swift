import Synchronization
import ThawStorage

/// One statement a store ran, with its binds and what it did (rows returned, or rows changed).
struct RecordedStatement: Sendable {
    var sql: String
    var binds: [SQLValue]
    var isQuery: Bool
    var rowsOrChanges: Int
}

/// One read or write transaction, in the order the store opened them.
struct RecordedTransaction: Sendable {
    var isWrite: Bool
    var statements: [RecordedStatement] = []
}

extension Array where Element == RecordedTransaction {
    /// The ids the recorded life cycle created (its referral, its messages, its outbox events),
    /// which a replay must replace with new ones every time round.
    var createdIds: [String] {
        flatMap(\.statements).compactMap { statement in
            guard ["INSERT INTO referrals ", "INSERT INTO referral_messages ", "INSERT INTO outbox_events "].contains(where: statement.sql.hasPrefix),
                case .text(let id)? = statement.binds.first
            else { return nil }
            return id
        }
    }
}

/// What a store ran while `recording` was on.
final class SQLTrace: Sendable {
    private let log = Mutex<[RecordedTransaction]>([])
    private let on = Atomic<Bool>(false)

    var recording: Bool {
        get { on.load(ordering: .relaxed) }
        set { on.store(newValue, ordering: .relaxed) }
    }

    var transactions: [RecordedTransaction] { log.withLock { $0 } }

    /// Opens a transaction's entry; nil while not recording.
    func begin(write: Bool) -> Int? {
        guard recording else { return nil }
        return log.withLock { log in
            log.append(RecordedTransaction(isWrite: write))
            return log.count - 1
        }
    }

    func add(_ statement: RecordedStatement, to index: Int?) {
        guard let index else { return }
        log.withLock { $0[index].statements.append(statement) }
    }
}

/// A database that writes down every statement run through it, then runs it on `base`.
struct RecordingDatabase: SQLDatabase {
    let base: any SQLDatabase
    let trace: SQLTrace
    var dialect: SQLDialect { base.dialect }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let trace = self.trace
        return try await base.read { db in try await body(RecordingConnection(base: db, trace: trace, index: trace.begin(write: false))) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let trace = self.trace
        return try await base.write { db in try await body(RecordingConnection(base: db, trace: trace, index: trace.begin(write: true))) }
    }

    func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws {
        let trace = self.trace
        try await base.writeBehind { db in try await body(RecordingConnection(base: db, trace: trace, index: trace.begin(write: true))) }
    }

    func close() async throws { try await base.close() }
}

struct RecordingConnection: SQLConnection {
    let base: any SQLConnection
    let trace: SQLTrace
    let index: Int?
    var dialect: SQLDialect { base.dialect }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows = try await base.query(sql, binds)
        trace.add(RecordedStatement(sql: sql, binds: binds, isQuery: true, rowsOrChanges: rows.count), to: index)
        return rows
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        let changes = try await base.execute(sql, binds)
        trace.add(RecordedStatement(sql: sql, binds: binds, isQuery: false, rowsOrChanges: changes), to: index)
        return changes
    }

    func scan(_ sql: String, _ binds: [SQLValue], _ body: (any SQLScanRow) throws -> Void) async throws {
        var rows = 0
        try await base.scan(sql, binds) { row in
            rows += 1; try body(row)
        }
        trace.add(RecordedStatement(sql: sql, binds: binds, isQuery: true, rowsOrChanges: rows), to: index)
    }
}
