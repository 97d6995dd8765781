import Foundation
import Synchronization
import Testing
@testable import ThawStorage

/// Under a steady load some reader is always inside a transaction, and SQLite then
/// never starts its WAL again by itself: the WAL grows by every commit. The writer
/// restarts it after each passive checkpoint.
@Suite struct SQLiteWALRestartTests {
    static let frameBytes = 24 + 4096
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    @Test func theWALStartsAgainWhileReadersKeepReading() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-wal-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        // A generous wait: when the whole suite runs in parallel the readers' short transactions can
        // take long, and a restart that gives up leaves the WAL growing until the next checkpoint.
        let limits = WALLimits(checkpointPages: 50, hardLimitPages: 1_000_000, restartWaitMilliseconds: 5000)
        let database = try SQLiteDatabase(path: path, walLimits: limits)
        try await database.write { db in _ = try await db.execute("CREATE TABLE t (n INTEGER, pad TEXT)", []) }
        let pad = String(repeating: "x", count: 3000)  // about a page per row
        let writes = 200

        let stop = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Two readers, each always inside a transaction and started apart, so that at
            // every moment at least one of them holds a snapshot that uses the WAL.
            for reader in 0..<2 {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(2 * reader))
                    while !stop.isSet {
                        _ = try await database.read { db in
                            let rows = try await db.query("SELECT COUNT(*) AS n FROM t", [])
                            try await Task.sleep(for: .milliseconds(4))
                            return rows
                        }
                    }
                }
            }
            // One write after another: each commits on its own and adds at least one page.
            for n in 0..<writes {
                try await database.write { db in
                    _ = try await db.execute("INSERT INTO t VALUES (?, ?)", [.int(Int64(n)), .text(pad)])
                }
            }
            stop.set()
            try await group.waitForAll()
        }
        let count = try await database.read { db in try await db.query("SELECT COUNT(*) AS n FROM t", []).first?.int("n") }
        #expect(count == writes)
        // The WAL file keeps its largest size, so it tells how far the WAL ever grew.
        let walBytes = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
        let frames = walBytes / Self.frameBytes
        // Without the restarts it grows to about three pages a commit (600 here); with them, under the
        // whole suite's load in parallel, it has been seen at 312 when a restart or two gave up waiting.
        #expect(frames < 2 * writes, "the WAL grew to \(frames) pages over \(writes) commits of a page or more each")
        try await database.close()
    }
}
