import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization
import ThawCore

/// PostgreSQL through PostgresNIO's connection pool. Each write is one
/// transaction on one pooled connection; several Thaw processes can share
/// the database.
public final class PostgresDatabase: SQLDatabase {
    public var dialect: SQLDialect { .postgres }
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// The pool's settings, kept to open a connection of its own when the pool cannot (`probe`).
    private let settings: PostgresClient.Configuration
    private let requiresTLS: Bool
    /// How long a request waits for a pooled connection while the pool hands out none at all
    /// before it is answered 503. While the database cannot be reached, the pool keeps trying
    /// to connect and would hold requests for a minute before failing them; a person waiting
    /// should hear sooner, and try again. A pool that is merely busy (others got connections
    /// meanwhile) is waited on.
    static let connectionWait: Duration = .seconds(5)
    /// When the pool last handed out a connection.
    private let lastLease = Mutex<ContinuousClock.Instant>(.now)

    /// Connects to a `postgres://user:password@host:port/database` URL.
    public init(url: String, logger: Logger) throws {
        (settings, requiresTLS) = try Self.configuration(from: url)
        client = PostgresClient(configuration: settings, backgroundLogger: logger)
        self.logger = logger
        let client = self.client
        runner = Task { await client.run() }
    }

    /// Several processes share the database: live events travel between them by NOTIFY.
    public func makeLiveRelay() -> (any LiveRelay)? { PostgresLiveRelay(database: self, logger: logger) }

    /// Runs `body` with a pooled connection held for as long as it listens (the relay's LISTEN).
    func withListeningConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        do {
            try await client.withConnection { connection in
                guard !connection.isClosed else { throw SQLError(.unavailable, "the database connection was closed") }
                try await body(connection)
            }
        } catch let error as PSQLError {
            throw PostgresSQLConnection.translate(error)
        }
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await withPooledConnection { connection in
            try await body(PostgresSQLConnection(connection: connection))
        }
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await withPooledConnection { connection in
            let wrapped = PostgresSQLConnection(connection: connection)
            _ = try await wrapped.execute("BEGIN", [])
            do {
                let result = try await body(wrapped)
                _ = try await wrapped.execute("COMMIT", [])
                return result
            } catch {
                // A lost connection has no transaction left to roll back: the server ended it (and
                // the statement would never be answered; see `requireOpen`).
                if (error as? SQLError)?.kind != .unavailable { _ = try? await wrapped.execute("ROLLBACK", []) }
                throw error
            }
        }
    }

    /// Runs `body` on a pooled connection, waiting for one as long as the pool is handing them out.
    ///
    /// The work runs in a task of its own, watched: the caller gets 503 when the pool hands out
    /// no connection at all for `connectionWait`, or when the connection the work holds has been
    /// closed under it and the work is still waiting. PostgresNIO 1.33 never answers a statement
    /// written to a connection just closed by the server (a restart, a terminated backend), so
    /// such work is abandoned rather than awaited: the request, and a graceful shutdown, would
    /// otherwise wait for ever.
    private func withPooledConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let run = PooledRun<T>()
        let work = Task {
            do {
                let value = try await self.client.withConnection { connection in
                    run.leased(connection)
                    self.lastLease.withLock { $0 = .now }
                    return try await body(connection)
                }
                run.finish(.success(value))
            } catch {
                run.finish(.failure(error))
            }
        }
        let watch = Task {
            var closedSeen = false
            while !run.isFinished {
                try? await Task.sleep(for: .milliseconds(500))
                if run.isFinished { return }
                switch run.connection {
                case nil:
                    if ContinuousClock.now - run.started >= Self.connectionWait,
                        ContinuousClock.now - self.lastLease.withLock({ $0 }) >= Self.connectionWait
                    {
                        run.finish(.failure(SQLError(.unavailable, "no database connection could be had for \(Self.connectionWait)")))
                        work.cancel()
                    }
                case let connection?:
                    // Closed at two looks in a row: the answer is not coming.
                    if connection.isClosed {
                        if closedSeen { run.finish(.failure(SQLError(.unavailable, "the database connection closed during the request"))) }
                        closedSeen = true
                    }
                }
            }
        }
        defer { watch.cancel() }
        // A cancelled caller cancels the work; the watcher stays, in case the work does not end.
        return try await withTaskCancellationHandler {
            try await run.result()
        } onCancel: {
            work.cancel()
        }
    }

    /// Opens a connection of its own (not the pool's) and runs one query: when the pool cannot
    /// connect, this tells why (refused, unknown host, authentication, no such database).
    public func probe() async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host ?? "localhost", port: settings.port ?? 5432, username: settings.username, password: settings.password,
            database: settings.database, tls: requiresTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                _ = try await connection.query("SELECT 1", logger: logger)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as PSQLError {
            throw PostgresSQLConnection.translate(error)
        }
    }

    /// Read audits commit asynchronously (PostgreSQL's `synchronous_commit = off`
    /// for this transaction only): the caller does not wait for the WAL flush,
    /// commits stay in order, and the WAL writer makes them durable within
    /// `wal_writer_delay`. The same promise as SQLite's write-behind.
    public func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws {
        try await write { db in
            try await db.execute("SET LOCAL synchronous_commit TO OFF", [])
            try await body(db)
        }
    }

    static let defaultStatementTimeout = "30s"

    /// Connections a process keeps at most: `?pool_size=N` in the URL, else two per core of this
    /// machine and one more for live events. More connections than the database's cores can run
    /// at once only queue inside PostgreSQL, each holding its locks longer.
    static func poolSize(_ given: String?) throws -> Int {
        guard let given else { return max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) + 1 }
        guard let size = Int(given), (2...500).contains(size) else {
            throw ThawError.invalid("database", "pool-size", "pool_size is a number of connections from 2 to 500")
        }
        return size
    }

    /// The pool's configuration, and whether the URL asks for TLS (`sslmode=require`).
    static func configuration(from url: String) throws -> (PostgresClient.Configuration, requiresTLS: Bool) {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else {
            throw ThawError.invalid(
                "database", "postgres-url",
                "expected postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let query = components.queryItems ?? []
        let requiresTLS = query.first(where: { $0.name == "sslmode" })?.value == "require"
        let tls: PostgresClient.Configuration.TLS = requiresTLS ? .require(.makeClientConfiguration()) : .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls)
        configuration.options.maximumConnections = try poolSize(query.first(where: { $0.name == "pool_size" })?.value)
        // No statement holds a connection for ever: `?statement_timeout=…` in the URL, 30 s by default.
        let timeout = query.first(where: { $0.name == "statement_timeout" })?.value ?? defaultStatementTimeout
        guard !timeout.isEmpty, timeout.count <= 12, timeout.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ThawError.invalid("database", "statement-timeout", "statement_timeout is a duration such as 30s or 500ms")
        }
        configuration.options.additionalStartupParameters = [("statement_timeout", timeout)]
        return (configuration, requiresTLS)
    }
}

/// One piece of work on a pooled connection: when it started, the connection once it has one,
/// and its outcome, given once (by the work, or by its watcher giving up on it).
private final class PooledRun<T: Sendable>: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var outcome: Result<T, any Error>?
        var waiting: CheckedContinuation<T, any Error>?
    }
    private let state = Mutex(State())
    let started = ContinuousClock.now

    func leased(_ connection: PostgresConnection) { state.withLock { $0.connection = connection } }
    var connection: PostgresConnection? { state.withLock { $0.connection } }
    var isFinished: Bool { state.withLock { $0.outcome != nil } }

    /// The first outcome counts; a later one (abandoned work finishing after all) is dropped.
    func finish(_ outcome: Result<T, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiting = nil }
            return state.waiting
        }
        waiting?.resume(with: outcome)
    }

    func result() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                if let outcome = state.outcome { return outcome }
                state.waiting = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}

/// Numbers `?` placeholders as `$1, $2, ...`, runs queries as statements prepared once per
/// connection (`PostgresStatementCache`), and maps PostgreSQL errors onto ours.
struct PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let result = try await rows(sql, binds)
        var rows: [SQLRow] = []
        rows.reserveCapacity(result.count)
        var columns: SQLColumns?
        for row in result {
            var values: [SQLValue] = []
            for cell in row { values.append(try Self.value(of: cell)) }
            if columns == nil { columns = SQLColumns(row.map(\.columnName)) }
            rows.append(SQLRow(columns: columns!, values: values))
        }
        return rows
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
        let statement = PostgresStatementCache.statement(sql, binds, forCount: true)
        // A data change is prepared like a query, and counted by the rows its `RETURNING 1` gives.
        if statement.name != nil { return try await rows(statement, binds).count }
        try requireOpen()
        do {
            return try await unnamed(statement, try Self.bindings(binds)).metadata.rows ?? 0
        } catch let error as PSQLError {
            throw Self.translate(error)
        }
    }

    func scan(_ sql: String, _ binds: [SQLValue], _ body: (any SQLScanRow) throws -> Void) async throws {
        for row in try await rows(sql, binds) {
            try body(BuiltScanRow(values: try row.map { try Self.value(of: $0) }))
        }
    }

    private func rows(_ sql: String, _ binds: [SQLValue]) async throws -> [PostgresRow] {
        try await rows(PostgresStatementCache.statement(sql, binds), binds)
    }

    /// All of a statement's rows: prepared on this connection when it has a name, otherwise unnamed.
    private func rows(_ statement: PostgresStatementCache.Statement, _ binds: [SQLValue]) async throws -> [PostgresRow] {
        try requireOpen()
        let bindings = try Self.bindings(binds)
        do {
            guard statement.name != nil else { return try await unnamed(statement, bindings).rows }
            do {
                return try await CurrentStatement.$value.withValue(statement) {
                    var rows: [PostgresRow] = []
                    for try await row in try await connection.execute(NamedQuery(bindings: bindings), logger: connection.logger) {
                        rows.append(row)
                    }
                    return rows
                }
            } catch let error as PSQLError where PostgresStatementCache.mayBeLeftFromFailedPreparation(error) {
                return try await unnamed(statement, bindings, else: error).rows
            }
        } catch let error as PSQLError {
            throw Self.translate(error)
        }
    }

    /// PostgresNIO 1.33 drops a statement written to a connection that has closed (the server
    /// ended it: a restart, a terminated backend) without ever answering it, and the request
    /// would wait for ever. A connection seen closed is reported lost instead.
    private func requireOpen() throws {
        if connection.isClosed { throw SQLError(.unavailable, "the database connection was closed") }
    }

    /// Runs the statement unnamed: parsed and planned for this run only. After `earlier` (a prepared
    /// run's error that a failed preparation may have left), a failure here reports `earlier`.
    private func unnamed(
        _ statement: PostgresStatementCache.Statement, _ bindings: PostgresBindings,
        else earlier: PSQLError? = nil
    ) async throws -> PostgresQueryResult {
        do {
            return try await connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: bindings), logger: connection.logger).get()
        } catch let error as PSQLError {
            throw earlier ?? error
        }
    }

    static func bindings(_ binds: [SQLValue]) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .int(let i): bindings.append(i)
            case .double(let d): bindings.append(d)
            case .text(let s):
                try SQLValue.refuseNUL(s)
                bindings.append(s)
            }
        }
        return bindings
    }

    static func translate(_ error: PSQLError) -> any Error {
        guard let fields = error.serverInfo else {
            // No answer from the server at all: the connection failed or closed under us.
            let lost: Set<PSQLError.Code> = [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed]
            return SQLError(lost.contains(error.code) ? .unavailable : .other, String(reflecting: error))
        }
        let code = fields[.sqlState] ?? ""
        let message = fields[.message] ?? "PostgreSQL error \(code)"
        switch code {
        case "23505": return SQLError(.uniqueViolation, message)
        case _ where code.hasPrefix("23"): return SQLError(.constraint, message)
        case "40001", "40P01": return SQLError(.busy, message)
        case "57014": return SQLError(.timeout, message)  // cancelled: the statement timeout
        case "57P01", "57P02", "57P03": return SQLError(.unavailable, message)  // shutting down, or not yet accepting
        case _ where code.hasPrefix("08"): return SQLError(.unavailable, message)  // connection exceptions
        default: return SQLError(.other, message)
        }
    }

    /// Our SQL's `?` placeholders as PostgreSQL's `$1`, `$2`, ... Every statement goes
    /// through this, so it walks UTF-8 bytes (a `?` byte is never part of a longer
    /// character) rather than Characters, which cost a grapheme break test each.
    static func numbered(_ sql: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "?") {
                n += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(n).utf8)
            } else {
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2: return .int(Int64(try cell.decode(Int16.self)))
        case .int4: return .int(Int64(try cell.decode(Int32.self)))
        case .int8: return .int(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }
}
