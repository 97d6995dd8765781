import VaporCSQLite
import Dispatch
import Synchronization
import ThawCore
#if canImport(Glibc)
    import Glibc
#endif

/// SQLite in WAL mode: a write is acknowledged only after its commit has
/// reached the disk.
///
/// All writes go through one connection, driven by a thread of its own. Writes
/// that arrive while a batch is running are gathered and committed together
/// (group commit): each runs in its own SAVEPOINT, so one failing write rolls
/// back alone. A committed batch goes to the WALSyncer, whose fdatasync makes
/// it durable before anyone is told, while the writer goes on to the next
/// batch. Reads use a small pool of read-only connections, which WAL lets run
/// alongside the writer.
public final class SQLiteDatabase: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }
    private let writer: SQLiteHandle
    private let readers: Mutex<[SQLiteHandle]>
    private let queue = Mutex(WriteQueueState())
    private let path: String
    /// The writer's drain loop and the write bodies run here, not on the cooperative threads.
    private let writerExecutor = SerialQueueExecutor(label: "thaw.sqlite.writer")
    private let syncer: WALSyncer
    private let checkpointQueue = DispatchQueue(label: "thaw.sqlite.checkpoint")
    private let checkpointer: SQLiteHandle
    /// The database file, for the checkpointer's own sync (-1 when nothing is synced).
    private let databaseDescriptor: Int32
    private let walLimits: WALLimits
    private let wal = Mutex(WALState())
    static let maxIdleReaders = 8
    /// The writer's page cache (8 MB), kept small on purpose. When a B-tree balance
    /// reorders its new pages, SQLite parks one under the page number of the lock byte
    /// (at 1 GiB), and in a database smaller than that, the commit then walks the
    /// writer's whole cache to drop pages past the end of the file. With 64 MB that
    /// walk was 16 % of a writer-only run; with 8 MB the same run took 10-20 % less
    /// time (BENCHMARKS.md). The hot ends of the indexes a write touches fit easily.
    static let writerCacheSize = -8192  // negative: KiB, as SQLite reads it
    /// Readers map the file (up to SQLite's 2 GB cap) instead of copying each page
    /// they miss into their own cache with a read() call: a worklist touches a few
    /// hundred pages scattered over a large history.
    @_spi(Benchmarks) public static let readerSettings = "PRAGMA query_only=ON; PRAGMA cache_size=-32768; PRAGMA mmap_size=2147418112;"

    /// The writer connection's settings (the benchmarks' bare replay opens its own with them).
    @_spi(Benchmarks) public static func writerSettings(durable: Bool) -> String {
        """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=\(durable ? "NORMAL" : "OFF");
        PRAGMA foreign_keys=ON;
        PRAGMA temp_store=MEMORY;
        PRAGMA cache_size=\(writerCacheSize);
        """
    }

    /// `durable: false` skips the fsync of each commit: only for throwaway
    /// databases (a simulated benchmark history), where a power cut may lose
    /// the last writes. Everything else about the writes is the same.
    public init(path: String, readers readerCount: Int = 4, durable: Bool = true, walLimits: WALLimits = .standard) throws {
        self.path = path
        self.walLimits = walLimits
        writer = try SQLiteHandle(path: path, readOnly: false)
        try writer.exec(Self.writerSettings(durable: durable))
        // NORMAL syncs the WAL before each checkpoint and the database after it; the syncer syncs each commit.
        syncer = WALSyncer(walPath: writer.walPath, durable: durable)
        checkpointer = try SQLiteHandle(path: path, readOnly: false)
        databaseDescriptor = durable ? writer.filePath.map { open($0, O_RDONLY | O_CLOEXEC) } ?? -1 : -1
        var pool: [SQLiteHandle] = []
        for _ in 0..<readerCount {
            let reader = try SQLiteHandle(path: path, readOnly: true)
            try reader.exec(Self.readerSettings)
            pool.append(reader)
        }
        readers = Mutex(pool)
        writer.onWALCommit { [weak self] pages in self?.walCommitted(pages: pages) }
    }

    /// Asks for a checkpoint each time `checkpointPages` more pages have been committed since
    /// the last one was asked for. (Asking after every commit once the WAL was that large ran a
    /// checkpoint, with its two fsyncs, about 100 times a second under load.)
    private func walCommitted(pages: Int32) {
        let start = wal.withLock { wal -> Bool in
            wal.pages = pages
            // Fewer pages than at the mark: the WAL was started again from its beginning.
            if pages < wal.checkpointMark { wal.checkpointMark = 0 }
            guard pages - wal.checkpointMark >= walLimits.checkpointPages else { return false }
            wal.checkpointMark = pages
            // One checkpoint at a time; a running one copies these pages too.
            if wal.checkpointRunning { return false }
            wal.checkpointRunning = true
            return true
        }
        if start { checkpoint() }
    }

    /// A PASSIVE checkpoint never blocks the writer or readers; it copies what
    /// it can and the next one carries on.
    private func checkpoint() {
        checkpointQueue.async { [self] in
            try? checkpointer.exec("PRAGMA wal_checkpoint(PASSIVE)")
            // Again, for what was committed while the first ran: the restart that follows
            // copies what is left with the writes waiting, so leave it as little as possible.
            try? checkpointer.exec("PRAGMA wal_checkpoint(PASSIVE)")
            let synced = syncCopiedPages()
            wal.withLock { wal in
                wal.checkpointRunning = false
                wal.restartDue = synced
            }
        }
    }

    /// Flushes the pages the passive checkpoints copied into the database file.
    ///
    /// SQLite syncs the database file only after a checkpoint that copied the whole WAL. Under a
    /// steady load a passive one never does (something new is always committed), so that sync fell to
    /// the writer's restart, with every page the passive passes had copied still to be written out:
    /// about 9 ms of fsync, with all writes waiting (strace; BENCHMARKS.md). Here the checkpointer
    /// pays for it, and the restart syncs only the few pages it copies itself.
    private func syncCopiedPages() -> Bool {
        guard databaseDescriptor >= 0 else { return true }
        if fdatasync(databaseDescriptor) == 0 { return true }
        // After a failed sync the kernel may have dropped the pages, and a later sync by SQLite could
        // report success: so no restart (the WAL keeps every frame), and no more writes.
        syncer.fail("the disk did not confirm a write to \(path) (errno \(errno)); restart the server")
        return false
    }

    /// Commits everything queued (write-behind audits included), then closes.
    /// Writes after this fail instead of touching a closed connection.
    public func close() async throws {
        _ = try? await write { _ in }
        queue.withLock { $0.closed = true }
        // A write that slipped in between is still allowed to finish.
        while queue.withLock({ $0.draining }) { try await Task.sleep(for: .milliseconds(1)) }
        syncer.close()
        readers.withLock { pool in
            pool.forEach { $0.close() }; pool.removeAll()
        }
        checkpointQueue.sync {
            checkpointer.close()
            if databaseDescriptor >= 0 { Glibc.close(databaseDescriptor) }
        }
        writer.close()
    }

    // MARK: reads

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let handle = try readers.withLock { pool -> SQLiteHandle in
            if let handle = pool.popLast() { return handle }
            // Pool exhausted: open another read connection rather than wait.
            let extra = try SQLiteHandle(path: path, readOnly: true)
            try extra.exec(Self.readerSettings)
            return extra
        }
        // Keep at most `maxIdleReaders`; a burst's extra connections are closed after use.
        defer {
            let kept = readers.withLock { pool -> Bool in
                guard pool.count < Self.maxIdleReaders else { return false }
                pool.append(handle)
                return true
            }
            if !kept { handle.close() }
        }
        // One read transaction, so a multi-statement read sees a single snapshot.
        _ = try handle.run("BEGIN", [])
        do {
            let result = try await body(SQLiteConnection(handle: handle))
            _ = try handle.run("COMMIT", [])
            return result
        } catch {
            try? handle.exec("ROLLBACK")
            throw error
        }
    }

    // MARK: writes with group commit

    @discardableResult

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        return try await withCheckedThrowingContinuation { continuation in
            enqueue(
                WriteJob(
                    run: { connection in box.value = try await body(connection) },
                    finish: { error in
                        if let error {
                            continuation.resume(throwing: error)
                        } else if let value = box.value {
                            continuation.resume(returning: value)
                        } else {
                            continuation.resume(throwing: SQLError(.other, "a write finished without running"))
                        }
                    }))
        }
    }

    /// Queued in order with every other write and committed in the next batch;
    /// the caller does not wait for the fsync. A failure rolls back only this
    /// job's savepoint (the batch carries on).
    public func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws {
        enqueue(WriteJob(run: { connection in try await body(connection) }, finish: { _ in }))
    }

    private func enqueue(_ job: WriteJob) {
        let startDrain = queue.withLock { state -> Bool? in
            if state.closed || syncer.failure != nil { return nil }
            state.pending.append(job)
            if state.draining { return false }
            state.draining = true
            return true
        }
        switch startDrain {
        case nil: job.finish(SQLError(.other, syncer.failure ?? "the database is closed"))
        case true?: Task(executorPreference: writerExecutor) { await self.drain() }
        case false?: break
        }
    }

    /// Commits batches until the queue is empty.
    private func drain() async {
        while true {
            let batch = queue.withLock { state -> [WriteJob] in
                let jobs = state.pending
                state.pending.removeAll()
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [WriteJob]) async {
        let connection = SQLiteConnection(handle: writer)
        do {
            _ = try writer.run("BEGIN IMMEDIATE", [])
        } catch {
            batch.forEach { $0.finish(error) }
            return
        }
        var succeeded: [WriteJob] = []
        for job in batch {
            do {
                _ = try writer.run("SAVEPOINT job", [])
                try await job.run(connection)
                _ = try writer.run("RELEASE job", [])
                succeeded.append(job)
            } catch {
                _ = try? writer.run("ROLLBACK TO job", [])
                _ = try? writer.run("RELEASE job", [])
                job.finish(error)
            }
        }
        do {
            _ = try writer.run("COMMIT", [])
        } catch {
            try? writer.exec("ROLLBACK")
            succeeded.forEach { $0.finish(error) }
            return
        }
        syncer.acknowledgeWhenDurable(succeeded)
        // Sustained writes can outrun the passive checkpoints (readers keep old frames
        // alive); the writer catches up here, before the next batch, so the WAL stays bounded.
        let (pages, restartDue) = wal.withLock { wal in
            defer { wal.restartDue = false }
            return (wal.pages, wal.restartDue)
        }
        if pages >= walLimits.hardLimitPages {
            try? writer.exec("PRAGMA wal_checkpoint(TRUNCATE)")
            wal.withLock { $0.pages = 0 }
        } else if restartDue {
            restartWAL()
        }
    }

    /// Starts the WAL again from its beginning once a passive checkpoint has copied it.
    ///
    /// SQLite does that by itself only if, when a write begins, no reader is using the WAL.
    /// Under a steady load some reader always is, so the WAL grew by every commit (to 30,000 –
    /// 64,000 pages in a ten-second benchmark), each append claimed new blocks of the file, and
    /// at the hard limit every write waited for a TRUNCATE. A RESTART checkpoint copies the few
    /// pages committed since the passive ones, then waits for the readers that started before it
    /// (readers starting after it read the database file alone), and the next commit writes
    /// from the WAL's start. Writes wait meanwhile, about twice a second under the benchmark's load.
    /// The wait was 7 to 26 ms, nearly all of it the fsync of what the passive passes had copied;
    /// since the checkpointer syncs that itself, the restart's own fsync takes 1.4 to 1.8 ms
    /// (BENCHMARKS.md). A reader that does not finish within `restartWaitMilliseconds` (an export,
    /// say) leaves the WAL as it is until the next passive checkpoint.
    private func restartWAL() {
        sqlite_nio_sqlite3_busy_timeout(writer.connection, walLimits.restartWaitMilliseconds)
        defer { sqlite_nio_sqlite3_busy_timeout(writer.connection, SQLiteHandle.busyTimeoutMilliseconds) }
        try? writer.exec("PRAGMA wal_checkpoint(RESTART)")
    }
}

/// When SQLite's WAL is copied into the database and started again, in pages (4 KB each).
public struct WALLimits: Sendable {
    /// A passive checkpoint after each this many committed pages, then a restart.
    public var checkpointPages: Int32
    /// Past this size the passive checkpoints are not keeping up (a long reader holds old
    /// pages); the writer then truncates the WAL itself between batches, writes waiting.
    public var hardLimitPages: Int32
    /// How long a restart waits for the readers that started before it.
    public var restartWaitMilliseconds: Int32

    public init(checkpointPages: Int32, hardLimitPages: Int32, restartWaitMilliseconds: Int32) {
        self.checkpointPages = checkpointPages
        self.hardLimitPages = hardLimitPages
        self.restartWaitMilliseconds = restartWaitMilliseconds
    }

    /// 16 MB between checkpoints, 256 MB at most.
    public static let standard = WALLimits(checkpointPages: 4000, hardLimitPages: 64_000, restartWaitMilliseconds: 50)
}

/// What the writer and the checkpointer know of the WAL, under one lock.
private struct WALState {
    /// The WAL's size in pages after the last commit.
    var pages: Int32 = 0
    /// The WAL's size in pages when the last checkpoint was asked for.
    var checkpointMark: Int32 = 0
    var checkpointRunning = false
    /// Set when a passive checkpoint has copied the WAL into the database: the writer
    /// then starts the WAL again from its beginning (see `restartWAL`).
    var restartDue = false
}

private struct WriteQueueState {
    var pending: [WriteJob] = []
    var draining = false
    var closed = false
}

struct WriteJob: Sendable {
    let run: @Sendable (SQLiteConnection) async throws -> Void
    let finish: @Sendable ((any Error)?) -> Void
}

/// Carries a write's result from its body to its continuation; written once by
/// the writer before `finish`, read once after, so no lock is needed.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
