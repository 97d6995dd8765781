import Foundation
import Logging
import ThawCore
import ThawStorage

/// The databases the contract suite runs on. SQLite always; PostgreSQL when
/// THAW_TEST_POSTGRES_URL names a server (scripts/test starts one), and always
/// under CI, where a missing server fails the run instead of skipping it.
public enum Backend: String, CaseIterable, Sendable {
    case sqlite, postgres

    public static let postgresURL = ProcessInfo.processInfo.environment["THAW_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static let postgresRequired =
        ProcessInfo.processInfo.environment["THAW_REQUIRE_POSTGRES"] == "1"
        || ProcessInfo.processInfo.environment["CI"] != nil

    public static let available: [Backend] = {
        if postgresURL != nil || postgresRequired { return [.sqlite, .postgres] }
        FileHandle.standardError.write(
            Data(
                """

                ************************************************************************
                * PostgreSQL contract tests NOT RUN: THAW_TEST_POSTGRES_URL is not set. *
                * Run scripts/test (it starts a private PostgreSQL) to run them.        *
                ************************************************************************

                """.utf8))
        return [.sqlite]
    }()
}

/// A fresh, migrated database for one test, removed afterwards.
public struct TestDatabase: Sendable {
    public let database: any SQLDatabase
    public let reopen: @Sendable () async throws -> any SQLDatabase
    public let cleanup: @Sendable () async -> Void

    /// `migrations`: the schema to start from (all of them unless a test of a migration says otherwise).
    public static func make(_ backend: Backend, migrations: [Migration] = Migrator.all) async throws -> TestDatabase {
        let logger = Logger(label: "test")
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-test-\(UUID().uuidString).sqlite").path
            let database = try SQLiteDatabase(path: path)
            try await Migrator.migrate(database, migrations: migrations)
            return TestDatabase(
                database: database, reopen: { try SQLiteDatabase(path: path) },
                cleanup: {
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                })
        case .postgres:
            guard let base = Backend.postgresURL else {
                throw TestSetupError("CI requires the PostgreSQL contract tests, but THAW_TEST_POSTGRES_URL is not set")
            }
            await PostgresTestSlots.shared.acquire()
            let name = "thaw_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let dropAndRelease: @Sendable () async -> Void = {
                if let admin = try? await PostgresTestSlots.shared.admin(base: base, logger: logger) {
                    _ = try? await admin.read { db in try await db.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", []) }
                }
                await PostgresTestSlots.shared.release()
            }
            do {
                let admin = try await PostgresTestSlots.shared.admin(base: base, logger: logger)
                _ = try await admin.read { db in try await db.execute("CREATE DATABASE \(name)", []) }
                let url = try PostgresTestSlots.url(base: base, database: name)
                let database = try PostgresDatabase(url: url, logger: logger)
                do {
                    try await Migrator.migrate(database, migrations: migrations)
                } catch {
                    try? await database.close()
                    throw error
                }
                return TestDatabase(
                    database: database, reopen: { try PostgresDatabase(url: url, logger: logger) },
                    cleanup: {
                        try? await database.close()
                        await dropAndRelease()
                    })
            } catch {
                await dropAndRelease()
                throw error
            }
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a test body against a fresh database, always cleans up, and returns what the body returned.
@discardableResult
public func withDatabase<T>(
    _ backend: Backend, migrations: [Migration] = Migrator.all,
    _ body: (TestDatabase) async throws -> T
) async throws -> T {
    let db = try await TestDatabase.make(backend, migrations: migrations)
    do {
        let result = try await body(db)
        await db.cleanup()
        return result
    } catch {
        await db.cleanup()
        throw error
    }
}

/// Bounds how many PostgreSQL test databases exist at once, and shares one administrative
/// connection pool among them. Swift Testing starts every test at once; unbounded, the tests'
/// pools together asked the server for more connections than it allows ("too many clients"),
/// and tests failed waiting for a connection that was never going to come.
actor PostgresTestSlots {
    static let shared = PostgresTestSlots(limit: 16)
    /// Each test database's pool keeps at most this many connections (unless the URL says).
    static let poolSize = 4

    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var sharedAdmin: PostgresDatabase?

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot straight to the next waiting test, if any.
    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    func admin(base: String, logger: Logger) async throws -> PostgresDatabase {
        if let sharedAdmin { return sharedAdmin }
        // Kept before the probe's wait, so tests asking meanwhile share this one.
        let admin = try PostgresDatabase(url: base, logger: logger)
        sharedAdmin = admin
        try await admin.probe()
        return admin
    }

    /// The server's URL naming another database, with the test pool's size unless one is given.
    static func url(base: String, database: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw TestSetupError("THAW_TEST_POSTGRES_URL is not a URL: \(base)")
        }
        components.path = "/" + database
        var query = components.queryItems ?? []
        if !query.contains(where: { $0.name == "pool_size" }) { query.append(URLQueryItem(name: "pool_size", value: String(poolSize))) }
        components.queryItems = query
        guard let url = components.string else { throw TestSetupError("no URL for test database \(database)") }
        return url
    }
}

/// The broken rules a 422 names, as `field:rule` joined by commas; nil for any other error.
public func brokenRules(_ error: any Error) -> String? {
    guard case ThawError.unprocessable(let violations) = error else { return nil }
    return violations.map { "\($0.field):\($0.rule)" }.joined(separator: ",")
}
