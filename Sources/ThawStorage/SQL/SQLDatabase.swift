import ThawCore

public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// Pieces of SQL written the same way everywhere.
enum SQLText {
    /// `LIMIT` with a bound count that the planner does not look at. SQLite 3.54
    /// plans a bare `LIMIT ?` with the bound count, and so re-prepares the statement
    /// every time a count is bound, even the same one (a worklist read parsed and
    /// planned its query again each time); through a cast it plans without it, as
    /// SQLite 3.40 did. PostgreSQL reads both alike.
    static let limit = "LIMIT CAST(? AS INTEGER)"
}

/// A connection inside a read or a write. SQL is written once with `?`
/// placeholders; the PostgreSQL driver numbers them.
public protocol SQLConnection: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int
    /// Hands each result row to `body` as it is read, by column position, without
    /// building rows: for passes over many rows (the climate rebuild reads the whole ledger).
    func scan(_ sql: String, _ binds: [SQLValue], _ body: (any SQLScanRow) throws -> Void) async throws
}

/// A result row seen in passing by `scan`; valid only inside the call that received it.
public protocol SQLScanRow {
    func int64(_ column: Int) -> Int64?
    /// The column's text as UTF-8 (nil for NULL), valid only inside `body`.
    func withText<R>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R
}

/// A built row seen through `SQLScanRow` (PostgreSQL, whose driver builds its rows anyway).
struct BuiltScanRow: SQLScanRow {
    let values: [SQLValue]
    func int64(_ column: Int) -> Int64? {
        if case .int(let value) = values[column] { return value }
        return nil
    }
    func withText<R>(_ column: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        guard case .text(var text) = values[column] else { return try body(nil) }
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

public extension SQLConnection {
    func query(_ sql: String, _ binds: any SQLBindable...) async throws -> [SQLRow] {
        try await query(sql, binds.map(\.sqlValue))
    }
    @discardableResult
    func execute(_ sql: String, _ binds: any SQLBindable...) async throws -> Int {
        try await execute(sql, binds.map(\.sqlValue))
    }
    func first(_ sql: String, _ binds: any SQLBindable...) async throws -> SQLRow? {
        try await query(sql, binds.map(\.sqlValue)).first
    }
}

/// The one storage abstraction both databases implement. A write runs in one
/// transaction and is acknowledged only once durably committed; if the body
/// throws, nothing of it is written.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Queues a small append (the audit of a read) to commit with the next
    /// write, without making the reader wait for the disk. Any later `write`
    /// finishes only after it, so awaiting a write also flushes these.
    func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws
    func close() async throws
    /// How live events reach other processes on this database; nil where only one process
    /// can use it (SQLite).
    func makeLiveRelay() -> (any LiveRelay)?
    /// Reaches the database afresh and runs one query, failing with the reason it cannot
    /// (for `/readyz` and for a server waiting for its database to come up).
    func probe() async throws
}

public extension SQLDatabase {
    func makeLiveRelay() -> (any LiveRelay)? { nil }
    func probe() async throws { _ = try await read { db in try await db.query("SELECT 1 AS ok", []) } }

    /// Databases with concurrent commits (PostgreSQL) simply write.
    func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws {
        try await write(body)
    }
}

/// A driver-level failure (constraint, I/O, syntax) with the database's message.
public struct SQLError: Error, CustomStringConvertible, Sendable {
    /// `timeout`: the statement ran past the database's statement timeout and was cancelled.
    /// `unavailable`: the database cannot be reached or is shutting down; worth trying again shortly.
    public enum Kind: Sendable { case uniqueViolation, constraint, busy, timeout, unavailable, other }
    public let kind: Kind
    public let message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { "SQL error: \(message)" }
}
