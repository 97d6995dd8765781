import Foundation
import Testing
@testable import ThawStorage

/// A cached statement is run again with new values without SQLite preparing it
/// again, and a run's bindings never leak into the next one.
@Suite struct SQLiteStatementTests {
    private func withHandle(_ body: (SQLiteHandle) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-statements-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let handle = try SQLiteHandle(path: path, readOnly: false)
        defer { handle.close() }
        try handle.exec(
            """
            CREATE TABLE items (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, kind TEXT, at INTEGER NOT NULL);
            CREATE INDEX items_by_owner ON items (owner, at);
            CREATE INDEX items_open ON items (owner, at) WHERE kind <> 'closed';
            """)
        for row in 0..<200 {
            _ = try handle.run(
                "INSERT INTO items (owner, kind, at) VALUES (?, ?, ?)",
                [.text("org_\(row % 7)"), .text(row % 3 == 0 ? "closed" : "open"), .int(Int64(row))])
        }
        try body(handle)
    }

    /// The shapes of Thaw's hot reads: an equality on an index, a filter beside it, a partial index,
    /// and a page through `SQLText.limit`, each run with other values again and again.
    @Test func statementsRunWithNewValuesAreNotPreparedAgain() throws {
        try withHandle { handle in
            let reads = [
                "SELECT id FROM items WHERE owner = ? ORDER BY at, id",
                "SELECT id FROM items WHERE owner = ? AND kind = ? AND at > ? ORDER BY at DESC \(SQLText.limit)",
                "SELECT id FROM items INDEXED BY items_open WHERE owner = ? AND kind <> 'closed' ORDER BY at DESC \(SQLText.limit)"
            ]
            for round in 0..<20 {
                let owner = SQLValue.text("org_\(round % 7)")
                #expect(try handle.run(reads[0], [owner]).rows.count > 0)
                _ = try handle.run(reads[1], [owner, .text("open"), .int(Int64(round)), .int(Int64(5 + round % 3))])
                let page = try handle.run(reads[2], [owner, .int(Int64(1 + round % 4))]).rows
                #expect(page.count == 1 + round % 4)
            }
            for sql in reads { #expect(handle.timesPreparedAgain(sql) == 0, "\(sql)") }

            // The measure is real: SQLite 3.54 plans a bare `LIMIT ?` with its value and prepares it again when it changes.
            let bare = "SELECT id FROM items WHERE owner = ? ORDER BY at LIMIT ?"
            for round in 0..<5 { _ = try handle.run(bare, [.text("org_1"), .int(Int64(1 + round))]) }
            #expect((handle.timesPreparedAgain(bare) ?? 0) >= 4)
        }
    }

    /// Bindings stay in a cached statement after its run; parameters a later run leaves unbound read NULL.
    @Test func parametersLeftUnboundReadNullNotTheLastRunsValues() throws {
        try withHandle { handle in
            let sql = "SELECT ? AS first, ? AS second"
            let bound = try handle.run(sql, [.text("a"), .int(2)]).rows
            #expect(bound.first?.values == [.text("a"), .int(2)])
            let partly = try handle.run(sql, [.text("b")]).rows
            #expect(partly.first?.values == [.text("b"), .null])
            let none = try handle.run(sql, []).rows
            #expect(none.first?.values == [.null, .null])
        }
    }
}
