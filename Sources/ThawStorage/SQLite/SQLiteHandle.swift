import VaporCSQLite
import ThawCore

// SQLITE_TRANSIENT tells SQLite to copy bound text before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One open SQLite connection with a cache of prepared statements.
/// Not thread-safe by itself: its owner (the writer, or the reader pool)
/// guarantees one user at a time, which is why it may be marked Sendable.
final class SQLiteHandle: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Column names per prepared statement: they never change, so build the lookup once.
    private var columnsByStatement: [OpaquePointer: SQLColumns] = [:]
    let path: String

    init(path: String, readOnly: Bool) throws {
        self.path = path
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        var handle: OpaquePointer?
        let rc = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite_nio_sqlite3_close(handle)
            throw SQLError(.other, "cannot open SQLite database at \(path): \(message)")
        }
        db = handle
        sqlite_nio_sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
    }

    deinit { close() }

    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// The raw connection, for the few calls this wrapper does not cover.
    var connection: OpaquePointer? { db }

    /// The database file, or nil for an in-memory database.
    var filePath: String? { mainFilename.map { String(cString: $0) } }

    /// The WAL file next to the database, or nil for an in-memory database.
    var walPath: String? { mainFilename.flatMap { sqlite_nio_sqlite3_filename_wal($0) }.map { String(cString: $0) } }

    /// SQLite's own name for the main database file (the WAL's name is derived from this pointer, not from a copy).
    private var mainFilename: UnsafePointer<CChar>? {
        guard let db, let name = sqlite_nio_sqlite3_db_filename(db, "main"), name.pointee != 0 else { return nil }
        return name
    }

    func close() {
        if let db { sqlite_nio_sqlite3_wal_hook(db, nil, nil) }
        walHookBox?.release()
        walHookBox = nil
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        columnsByStatement.removeAll()
        if let db { sqlite_nio_sqlite3_close_v2(db) }
        db = nil
    }

    /// Calls `onCommit` with the WAL's size in pages after every commit on this
    /// connection (sqlite3_wal_hook). Installing it turns off SQLite's own
    /// checkpoint-in-commit, so the owner must checkpoint.
    func onWALCommit(_ onCommit: @escaping @Sendable (Int32) -> Void) {
        let box = Unmanaged.passRetained(WALHookBox(onCommit))
        walHookBox?.release()
        walHookBox = box
        sqlite_nio_sqlite3_wal_hook(
            db,
            { context, _, _, pages in
                Unmanaged<WALHookBox>.fromOpaque(context!).takeUnretainedValue().onCommit(pages)
                return SQLITE_OK
            }, box.toOpaque())
    }
    private var walHookBox: Unmanaged<WALHookBox>?

    /// Runs one or more statements without parameters or results (PRAGMAs, DDL).
    func exec(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite_nio_sqlite3_exec(db, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(rc)"
            sqlite_nio_sqlite3_free(error)
            throw SQLError(Self.kind(of: rc), message)
        }
    }

    func run(_ sql: String, _ binds: [SQLValue]) throws -> (rows: [SQLRow], changes: Int) {
        let statement = try prepared(sql)
        // Reset, but its bindings left to be replaced by the next run's: clearing them marks a statement whose
        // plan looked at a bound value as expired, and SQLite 3.54 then prepares it again (it looks at many).
        defer { sqlite_nio_sqlite3_reset(statement) }
        try bind(binds, to: statement)
        let columnCount = sqlite_nio_sqlite3_column_count(statement)
        let columns: SQLColumns
        if let cached = columnsByStatement[statement], cached.names.count == Int(columnCount) {
            columns = cached
        } else {
            columns = SQLColumns((0..<columnCount).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) })
            columnsByStatement[statement] = columns
        }
        var rows: [SQLRow] = []
        while true {
            let rc = sqlite_nio_sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError(rc) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                switch sqlite_nio_sqlite3_column_type(statement, column) {
                case SQLITE_NULL: values.append(.null)
                case SQLITE_INTEGER: values.append(.int(sqlite_nio_sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: values.append(.double(sqlite_nio_sqlite3_column_double(statement, column)))
                default:
                    if let text = sqlite_nio_sqlite3_column_text(statement, column) {
                        // The byte count SQLite already knows spares a strlen per value.
                        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                        values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
                    } else {
                        values.append(.null)
                    }
                }
            }
            rows.append(SQLRow(columns: columns, values: values))
        }
        return (rows, Int(sqlite_nio_sqlite3_changes(db)))
    }

    /// Steps a query, handing each row to `body` in place (see `SQLConnection.scan`), as its own type: a caller
    /// generic over `SQLScanRow` is then compiled for it, its column reads direct calls (the climate rebuild reads
    /// tens of millions of rows this way).
    func scan(_ sql: String, _ binds: [SQLValue], _ body: (SQLiteScanRow) throws -> Void) throws {
        let statement = try prepared(sql)
        // Reset, but its bindings left to be replaced by the next run's: clearing them marks a statement whose
        // plan looked at a bound value as expired, and SQLite 3.54 then prepares it again (it looks at many).
        defer { sqlite_nio_sqlite3_reset(statement) }
        try bind(binds, to: statement)
        let row = SQLiteScanRow(statement: statement)
        while true {
            let rc = sqlite_nio_sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw lastError(rc) }
            try body(row)
        }
    }

    /// Binds `binds` to the statement's parameters in order, and NULL to any after them (the previous run's values
    /// are still bound).
    private func bind(_ binds: [SQLValue], to statement: OpaquePointer) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite_nio_sqlite3_bind_null(statement, index)
            case .int(let i): rc = sqlite_nio_sqlite3_bind_int64(statement, index, i)
            case .double(let d): rc = sqlite_nio_sqlite3_bind_double(statement, index, d)
            case .text(let s):
                try SQLValue.refuseNUL(s)
                rc = sqlite_nio_sqlite3_bind_text(statement, index, s, -1, transient)
            }
            guard rc == SQLITE_OK else { throw lastError(rc) }
        }
        let parameters = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        if binds.count < parameters {
            for index in binds.count + 1...parameters { sqlite_nio_sqlite3_bind_null(statement, Int32(index)) }
        }
    }

    /// How many times SQLite has prepared `sql`'s cached statement again since it was first prepared (nil if it
    /// is not cached): 0 for a statement whose runs reuse its plan.
    func timesPreparedAgain(_ sql: String) -> Int? {
        statements[sql].map { Int(sqlite_nio_sqlite3_stmt_status($0, SQLITE_STMTSTATUS_REPREPARE, 0)) }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw lastError(rc, sql: sql) }
        statements[sql] = statement
        return statement
    }

    private func lastError(_ rc: Int32, sql: String? = nil) -> SQLError {
        let message = String(cString: sqlite_nio_sqlite3_errmsg(db)) + (sql.map { " in: \($0)" } ?? "")
        return SQLError(Self.kind(of: rc), message)
    }

    private static func kind(of rc: Int32) -> SQLError.Kind {
        switch rc {
        case 2067, 1555: return .uniqueViolation  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        case _ where rc & 0xff == SQLITE_CONSTRAINT: return .constraint
        case _ where rc & 0xff == SQLITE_BUSY: return .busy
        default: return .other
        }
    }
}

final class WALHookBox: Sendable {
    let onCommit: @Sendable (Int32) -> Void
    init(_ onCommit: @escaping @Sendable (Int32) -> Void) { self.onCommit = onCommit }
}

/// A connection view over a handle for the duration of one read or write.
struct SQLiteConnection: SQLConnection {
    let handle: SQLiteHandle
    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try handle.run(sql, binds).rows
    }
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        try handle.run(sql, binds).changes
    }
    func scan(_ sql: String, _ binds: [SQLValue], _ body: (any SQLScanRow) throws -> Void) async throws {
        try handle.scan(sql, binds, body)
    }
}

/// The current row of a stepping statement, read in place.
struct SQLiteScanRow: SQLScanRow {
    let statement: OpaquePointer
    func int64(_ column: Int) -> Int64? {
        // NULL reads as 0, so only a 0 needs its type asked (one call fewer per value on a scan of millions of rows).
        let value = sqlite_nio_sqlite3_column_int64(statement, Int32(column))
        return value != 0 || sqlite_nio_sqlite3_column_type(statement, Int32(column)) != SQLITE_NULL ? value : nil
    }
    func withText<R>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard let text = sqlite_nio_sqlite3_column_text(statement, Int32(column)) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: text, count: Int(sqlite_nio_sqlite3_column_bytes(statement, Int32(column)))))
    }
}
