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
            let name = "thaw_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresDatabase(url: base, logger: logger)
            try await admin.probe()
            _ = try await admin.read { db in try await db.execute("CREATE DATABASE \(name)", []) }
            var components = URLComponents(string: base)!
            components.path = "/" + name
            let url = components.string!
            let database = try PostgresDatabase(url: url, logger: logger)
            try await Migrator.migrate(database, migrations: migrations)
            return TestDatabase(
                database: database, reopen: { try PostgresDatabase(url: url, logger: logger) },
                cleanup: {
                    try? await database.close()
                    _ = try? await admin.read { db in try await db.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", []) }
                    try? await admin.close()
                })
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
