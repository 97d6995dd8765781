import Foundation
import Testing
import ThawTestSupport
@testable import ThawStorage

/// On PostgreSQL, queries and data changes run as statements prepared once per connection.
/// (Without a server these have no cases; `Backend.available` says so loudly, and CI always has one.)
@Suite struct PostgresPreparedStatementTests {
    static let postgres = Backend.available.filter { $0 == .postgres }

    @Test(arguments: postgres)
    func aStatementFirstPreparedInAFailedTransactionRunsOnceItIsOver(_ backend: Backend) async throws {
        try await withDatabase(backend) { test in
            // One connection throughout: a read lends one and opens no transaction of its own.
            try await test.database.read { db in
                let probe = "SELECT ? + 1 AS n -- \(UUID())"  // never prepared on this connection
                _ = try await db.execute("BEGIN", [])
                await #expect(throws: SQLError.self) { try await db.query("SELECT 1 / ? AS n", [.int(0)]) }
                // Preparing it now fails (the transaction has failed), and PostgresNIO remembers that failure.
                await #expect(throws: SQLError.self) { try await db.query(probe, [.int(41)]) }
                _ = try await db.execute("ROLLBACK", [])
                #expect(try await db.query(probe, [.int(41)]).first?.int64("n") == 42)
            }
        }
    }

    @Test(arguments: postgres)
    func aNullFirstAndANumberLaterAreTwoStatements(_ backend: Backend) async throws {
        try await withDatabase(backend) { test in
            try await test.database.write { db in
                _ = try await db.execute("CREATE TEMP TABLE probe (n INTEGER)", [])
                // Prepared with a NULL, the parameter's type is the column's (integer); a number bound
                // later is a bigint, which that statement would refuse.
                let insert = "INSERT INTO probe (n) VALUES (?) RETURNING n"
                for value: SQLValue in [.null, .int(7), .null, .int(5)] {
                    #expect(try await db.query(insert, [value]).first?.values == [value])
                }
                let totals = try await db.query("SELECT count(*) AS rows, sum(n) AS total FROM probe", []).first
                #expect(totals?.int64("rows") == 4)
                #expect(totals?.int64("total") == 12)
            }
        }
    }

    @Test(arguments: Backend.available)
    func aDataChangeCountsTheRowsItChangedPreparedOnPostgres(_ backend: Backend) async throws {
        try await withDatabase(backend) { test in
            // One connection throughout, so its prepared statements can be listed after.
            try await test.database.write { db in
                _ = try await db.execute("CREATE TEMP TABLE probe (n INTEGER PRIMARY KEY, tag TEXT)", [])
                #expect(try await db.execute("INSERT INTO probe (n, tag) VALUES (?, ?)", [.int(1), .text("a")]) == 1)
                #expect(try await db.execute("INSERT INTO probe (n, tag) VALUES (?, ?)", [.int(2), .text("a")]) == 1)
                #expect(try await db.execute("INSERT INTO probe (n, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", [.int(2), .text("b")]) == 0)
                #expect(try await db.execute("UPDATE probe SET tag = ? WHERE tag = ?", [.text("c"), .text("a")]) == 2)
                #expect(try await db.execute("UPDATE probe SET tag = ? WHERE tag = ?", [.text("c"), .text("none")]) == 0)
                // A batch past 64 values runs unnamed, and is counted all the same.
                let many = (3...80).map { SQLValue.int(Int64($0)) }
                for value in many { _ = try await db.execute("INSERT INTO probe (n) VALUES (?)", [value]) }
                let marks = Array(repeating: "?", count: many.count).joined(separator: ", ")
                #expect(try await db.execute("DELETE FROM probe WHERE n IN (\(marks))", many) == many.count)
                #expect(try await db.execute("DELETE FROM probe WHERE n > ?", [.int(0)]) == 2)
                guard backend == .postgres else { return }
                let prepared = try await db.query("SELECT statement FROM pg_prepared_statements", []).map { $0.string("statement") }
                #expect(prepared.contains("UPDATE probe SET tag = $1 WHERE tag = $2 RETURNING 1"))
                #expect(prepared.contains("INSERT INTO probe (n, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1"))
                #expect(!prepared.contains { $0.hasPrefix("DELETE FROM probe WHERE n IN") })
            }
        }
    }

    @Test func aDataChangeIsCountedByItsRowsUnlessItReturnsRowsOrIsABatch() {
        #expect(PostgresStatementCache.counted("UPDATE t SET a = ?", [.int(1)]) == "UPDATE t SET a = ? RETURNING 1")
        #expect(PostgresStatementCache.counted("INSERT INTO t VALUES (?) RETURNING id", [.int(1)]) == nil)
        #expect(PostgresStatementCache.counted("SELECT 1", []) == nil)
        #expect(PostgresStatementCache.counted("DELETE FROM t WHERE a IN (?)", Array(repeating: .int(1), count: 65)) == nil)
    }

    @Test func onlyQueriesAndDataChangesCanBePrepared() {
        for sql in [
            "SELECT 1", "  select 1", "\n  INSERT INTO t VALUES (?)", "UPDATE t SET a = ?", "DELETE FROM t", "WITH x AS (SELECT 1) SELECT * FROM x"
        ] {
            #expect(PostgresStatementCache.isPreparable(sql), "\(sql)")
        }
        for sql in ["BEGIN", "COMMIT", "ROLLBACK", "SET LOCAL synchronous_commit TO OFF", "CREATE TABLE t (a INT)", "SELECTED"] {
            #expect(!PostgresStatementCache.isPreparable(sql), "\(sql)")
        }
    }
}
