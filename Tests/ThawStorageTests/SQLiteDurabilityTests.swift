import Foundation
import Synchronization
import Testing
@testable import ThawStorage

/// The SQLite writer answers a write only after the WAL holding it has been
/// synced; these pin down what happens around that sync.
@Suite struct SQLiteDurabilityTests {
    /// What each job heard when it was finished, in order.
    final class Outcomes: Sendable {
        private let list = Mutex<[String]>([])
        var all: [String] { list.withLock { $0 } }
        func job() -> WriteJob {
            WriteJob(run: { _ in }, finish: { error in self.list.withLock { $0.append(error == nil ? "ok" : "failed: \(error!)") } })
        }
    }

    @Test func aBatchIsAnsweredAfterItsWALIsSynced() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wal = dir.appendingPathComponent("db.sqlite-wal").path
        FileManager.default.createFile(atPath: wal, contents: Data("frames".utf8))
        let syncer = WALSyncer(walPath: wal, durable: true)
        let outcomes = Outcomes()
        syncer.acknowledgeWhenDurable([outcomes.job(), outcomes.job()])
        syncer.acknowledgeWhenDurable([outcomes.job()])
        syncer.flush()
        #expect(outcomes.all == ["ok", "ok", "ok"])
        #expect(syncer.failure == nil)
        syncer.close()
    }

    @Test func aFailedSyncFailsItsBatchAndRefusesLaterWrites() async throws {
        let syncer = WALSyncer(walPath: "/nonexistent-thaw-dir/db.sqlite-wal", durable: true)
        let outcomes = Outcomes()
        syncer.acknowledgeWhenDurable([outcomes.job()])
        syncer.flush()
        let first = try #require(outcomes.all.first)
        #expect(first.hasPrefix("failed") && first.contains("did not confirm a write"))
        #expect(syncer.failure != nil)
        // Every later batch fails too: after a failed sync nothing on disk can be trusted.
        syncer.acknowledgeWhenDurable([outcomes.job()])
        syncer.flush()
        #expect(outcomes.all.count == 2 && outcomes.all[1].hasPrefix("failed"))
    }

    @Test func writesAreReadableByOthersAndSurviveReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-durable-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try SQLiteDatabase(path: path)
        try await database.write { db in _ = try await db.execute("CREATE TABLE t (n INTEGER)", []) }
        // Many writers at once: they share batches, and each is answered once it is durable.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<200 {
                group.addTask { try await database.write { db in _ = try await db.execute("INSERT INTO t VALUES (?)", [.int(Int64(n))]) } }
            }
            try await group.waitForAll()
        }
        #expect(try await database.read { db in try await db.query("SELECT COUNT(*) AS n FROM t", []).first?.int("n") } == 200)
        try await database.close()
        let reopened = try SQLiteDatabase(path: path)
        #expect(try await reopened.read { db in try await db.query("SELECT SUM(n) AS s FROM t", []).first?.int("s") } == 199 * 200 / 2)
        try await reopened.close()
    }
}
