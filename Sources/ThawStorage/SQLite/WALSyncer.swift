import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// Runs the tasks that prefer it on one serial dispatch queue, off Swift's
/// cooperative threads (one per core here). The SQLite writer's drain loop
/// runs on it, so the one writer every write waits for is never queued behind
/// request handlers for a free cooperative thread.
final class SerialQueueExecutor: TaskExecutor {
    let queue: DispatchQueue
    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Makes committed batches durable, then tells their writers.
///
/// The writer commits with `synchronous=NORMAL` (SQLite writes the WAL frames but
/// does not wait for the disk) and hands the batch here; this queue calls
/// fdatasync on the WAL and only then acknowledges. Meanwhile the writer is
/// already running the next batch, so the disk's flush time no longer stalls
/// the writes behind it, and one fdatasync covers every batch committed before
/// it started. A write is still acknowledged only once it is on disk.
///
/// WAL frames are appended in commit order and chained by checksum, so a power
/// cut can only lose a tail of commits: nothing acknowledged (each was synced),
/// and never an earlier commit while keeping a later one. The one thing a
/// reader can do is see a commit up to one fdatasync before its writer hears of
/// it; if the power fails in that window, the writer was never told it succeeded
/// (and a retried create with its Idempotency-Key makes it once).
final class WALSyncer: Sendable {
    private struct State {
        var waiting: [WriteJob] = []
        var running = false
        var walDescriptor: Int32 = -1
        /// After a failed fdatasync the WAL's state on disk is unknown (the kernel may
        /// have dropped the dirty pages), so every later write fails until a restart.
        var failure: String?
    }
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "thaw.sqlite.sync")
    private let walPath: String?
    private let durable: Bool

    /// `walPath` nil (an in-memory database) or `durable` false: acknowledge without syncing.
    init(walPath: String?, durable: Bool) {
        self.walPath = walPath
        self.durable = durable
    }

    var failure: String? { state.withLock { $0.failure } }

    /// Fails every later write: a sync of the database's files failed, so what is on the disk is unknown.
    func fail(_ message: String) {
        state.withLock { state in if state.failure == nil { state.failure = message } }
    }

    /// `jobs` have just been committed; they are acknowledged after the next fdatasync.
    func acknowledgeWhenDurable(_ jobs: [WriteJob]) {
        guard durable, walPath != nil else { jobs.forEach { $0.finish(nil) }; return }
        let start = state.withLock { state -> Bool in
            state.waiting += jobs
            if state.running { return false }
            state.running = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Waits until every batch handed over so far has been synced and acknowledged.
    func flush() { queue.sync {} }

    func close() {
        flush()
        state.withLock { state in
            if state.walDescriptor >= 0 { Glibc.close(state.walDescriptor) }
            state.walDescriptor = -1
        }
    }

    private func drain() {
        while true {
            let (batch, descriptor) = state.withLock { state -> ([WriteJob], Int32) in
                let jobs = state.waiting
                state.waiting.removeAll()
                if jobs.isEmpty { state.running = false }
                return (jobs, state.walDescriptor)
            }
            if batch.isEmpty { return }
            let error = sync(descriptor)
            batch.forEach { $0.finish(error) }
        }
    }

    private func sync(_ known: Int32) -> SQLError? {
        if let failure = self.failure { return SQLError(.other, failure) }
        var descriptor = known
        if descriptor < 0, let walPath {
            // The WAL exists once anything was committed; the writer's connection keeps it from being deleted.
            descriptor = open(walPath, O_RDWR | O_CLOEXEC)
            if descriptor >= 0 { state.withLock { $0.walDescriptor = descriptor } }
        }
        if descriptor >= 0, fdatasync(descriptor) == 0 { return nil }
        let message = "the disk did not confirm a write to \(walPath ?? "the WAL") (errno \(errno)); restart the server"
        fail(message)
        return SQLError(.other, message)
    }
}
