import Foundation
import Logging
import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// What PostgreSQL's failures become: a statement past the timeout is cancelled and reported as
/// a timeout, a server nobody answers at as unavailable, and a bad timeout in the URL refused.
@Suite struct PostgresFaultTests {
    static var quiet: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test(arguments: Backend.available.filter { $0 == .postgres })
    func aStatementPastTheTimeoutIsCancelledAndSaysSo(backend: Backend) async throws {
        let base = try #require(Backend.postgresURL, "THAW_TEST_POSTGRES_URL is required with THAW_REQUIRE_POSTGRES or CI")
        let database = try PostgresDatabase(url: base + (base.contains("?") ? "&" : "?") + "statement_timeout=200ms", logger: Self.quiet)
        let started = ContinuousClock.now
        do {
            _ = try await database.read { db in try await db.query("SELECT pg_sleep(30) AS slept", []) }
            Issue.record("a 30-second statement ran past a 200 ms timeout")
        } catch let error as SQLError {
            #expect(error.kind == .timeout, "\(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(15))  // cancelled, not slept through
        // The connection is still good for the next statement.
        #expect(try await database.read { db in try await db.query("SELECT 1 AS ok", []).first?.int("ok") } == 1)
        try await database.close()
    }

    @Test func aServerThatDoesNotAnswerIsUnavailableAndABadTimeoutIsRefused() async throws {
        // Nothing listens on port 9 of this machine.
        let nobody = try PostgresDatabase(url: "postgres://thaw@127.0.0.1:9/thaw", logger: Self.quiet)
        do {
            try await nobody.probe()
            Issue.record("a server that is not there answered")
        } catch let error as SQLError {
            #expect(error.kind == .unavailable, "\(error)")
        }
        try await nobody.close()
        #expect(throws: (any Error).self) { try PostgresDatabase(url: "postgres://thaw@127.0.0.1/thaw?statement_timeout=1;DROP", logger: Self.quiet) }
        // The pool: two connections per core and one for live events, unless the URL says otherwise, within bounds.
        #expect(try PostgresDatabase.poolSize(nil) == max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) + 1)
        #expect(try PostgresDatabase.poolSize("12") == 12)
        for bad in ["0", "1", "501", "many", ""] { #expect(throws: ThawError.self) { try PostgresDatabase.poolSize(bad) } }
    }
}
