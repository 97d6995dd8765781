import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
@_spi(Benchmarks) import ThawStorage
import VaporCSQLite

/// What the life cycle's SQL costs by itself: the statements one life cycle runs through
/// the store (written down from a real run, binds and all), replayed on one thread with
/// bare SQLite calls, in the same transactions, with the same group commit, fdatasync and
/// checkpoints as `SQLiteDatabase`. Nothing of Swift's concurrency, our row types, JSON or
/// HTTP is in it, so no server built on these statements can spend less CPU on them.
struct SQLFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql-floor", abstract: "Replay one life cycle's SQL with bare SQLite calls and report its CPU cost.")
    @Option(help: "SQLite database seeded by `seed` (a copy: the replay writes to it).") var database: String
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Life cycles whose writes share each commit, as the server's group commit gathers them (repeat for several runs).")
    var batch: [Int] = [4, 16]
    @Option(help: "Seconds to replay each batch size.") var seconds = 10
    @Option(help: "The transition rate to express the cost at, in cores.") var targetTransitions = 3000

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let trace = try await Self.capture(database: database, seed: seed)
        let replay = try BareReplay(path: database, trace: trace)
        let statements = trace.reduce(0) { $0 + $1.statements.count }
        print("== thaw-load sql-floor: one life cycle = \(trace.count) transactions, \(statements) statements, replayed on one thread")
        for batch in self.batch {
            let result = try replay.run(seconds: seconds, batch: batch)
            let perCycle = result.cpuMicros / Double(result.cycles)
            let cores = perCycle * Double(targetTransitions) / 4 / 1e6
            print(
                """
                \(batch) life cycles per commit: \(Int(Double(result.cycles) * 4 / result.seconds)) transitions/s; CPU per life cycle \(Int(perCycle)) µs \
                (\(Int(perCycle / 8)) per request: reads \(result.share(.read)), writes \(result.share(.write)), \
                commit+fdatasync \(result.share(.commit)), checkpoints \(result.share(.checkpoint))); \
                at \(targetTransitions) transitions/s this SQL alone takes \(String(format: "%.2f", cores)) cores
                """)
        }
    }

    /// Runs a few life cycles through the store as the server would (each request's caller
    /// looked up by its token), then writes down every statement of one more.
    static func capture(database: String, seed: SeedManifest) async throws -> [RecordedTransaction] {
        let base = try await openDatabase(database, logger: Logger(label: "bench"))
        let trace = SQLTrace()
        let store = ThawStore(database: RecordingDatabase(base: base, trace: trace), clock: SystemClock())
        func caller(_ token: String) async throws -> ScopedStore {
            guard let principal = try await store.principal(bearerToken: token) else {
                throw ValidationError("the manifest's tokens are not in this database")
            }
            return store.scoped(to: principal.actor)
        }
        let navigator = try await caller(seed.navigatorToken), partner = try await caller(seed.partnerToken)
        for _ in 0..<3 { try await StoreRun.lifeCycle(navigator: navigator, partner: partner, seed: seed, recorder: Recorder()) }
        try await base.write { _ in }  // the audits queued behind the reads, committed before recording starts
        trace.recording = true
        try await StoreRun.lifeCycle(navigator: navigator, partner: partner, seed: seed, recorder: Recorder())
        try await base.write { _ in }  // and this cycle's, inside the recording
        trace.recording = false
        try await base.close()
        return trace.transactions.filter { !$0.statements.isEmpty }
    }
}

/// Replays a recorded life cycle with SQLite's C API: one writer, one reader and one
/// checkpointing connection, set up as `SQLiteDatabase` sets up its own.
final class BareReplay {
    enum Part: Int, CaseIterable { case read, write, commit, checkpoint }
    struct Result {
        var cycles = 0
        var seconds = 0.0
        var cpuMicros = 0.0
        var parts = [Double](repeating: 0, count: Part.allCases.count)
        func share(_ part: Part) -> String { "\(Int(parts[part.rawValue] / cpuMicros * 100)) %" }
    }

    private let writer: OpaquePointer, reader: OpaquePointer, checkpointer: OpaquePointer
    private var statements: [OpaquePointer: [String: OpaquePointer]] = [:]
    private let trace: [RecordedTransaction]
    /// The ids each life cycle creates (its referral, its messages, its outbox events): replaced by new ones in every replayed cycle.
    private let createdIds: [String]
    private let databasePath: String, walPath: String
    private var databaseDescriptor: Int32 = -1, walDescriptor: Int32 = -1
    private let pages = WALPages()
    private var checkpointMark: Int32 = 0
    private var lastLedgerSeq: Int64 = 0

    init(path: String, trace: [RecordedTransaction]) throws {
        writer = try Self.open(path, readOnly: false)
        reader = try Self.open(path, readOnly: true)
        checkpointer = try Self.open(path, readOnly: false)
        databasePath = path
        walPath = path + "-wal"
        self.trace = trace
        createdIds = trace.createdIds
        try exec(writer, SQLiteDatabase.writerSettings(durable: true))
        try exec(reader, SQLiteDatabase.readerSettings)
        sqlite_nio_sqlite3_wal_hook(
            writer,
            { context, _, _, pages in
                Unmanaged<WALPages>.fromOpaque(context!).takeUnretainedValue().count = pages
                return SQLITE_OK
            }, Unmanaged.passUnretained(pages).toOpaque())
    }

    deinit {
        sqlite_nio_sqlite3_wal_hook(writer, nil, nil)
        for (_, byText) in statements { byText.values.forEach { sqlite_nio_sqlite3_finalize($0) } }
        [writer, reader, checkpointer].forEach { sqlite_nio_sqlite3_close_v2($0) }
        for descriptor in [databaseDescriptor, walDescriptor] where descriptor >= 0 { Glibc.close(descriptor) }
    }

    func run(seconds: Int, batch: Int) throws -> Result {
        var result = Result()
        let start = ContinuousClock.now, deadline = start + .seconds(seconds)
        let cpuStart = Self.threadCPU()
        while ContinuousClock.now < deadline {
            let renames = (0..<batch).map { _ in
                // A new id of the same kind and shape (time first); the entity type only tags the ID.
                Dictionary(
                    uniqueKeysWithValues: createdIds.map { old in
                        (old, IDGenerator.make(String(old.prefix { $0 != "_" }), createdAt: SystemClock().now(), as: Referral.self).raw)
                    })
            }
            for transaction in trace {
                if transaction.isWrite {
                    try timed(.write, &result) {
                        try exec(writer, "BEGIN IMMEDIATE")
                        for rename in renames {
                            try exec(writer, "SAVEPOINT job")
                            for statement in transaction.statements { try step(writer, statement, rename) }
                            try exec(writer, "RELEASE job")
                        }
                    }
                    try timed(.commit, &result) {
                        try exec(writer, "COMMIT")
                        try sync(walPath, &walDescriptor)
                    }
                    try timed(.checkpoint, &result) { try checkpointIfDue() }
                } else {
                    try timed(.read, &result) {
                        for rename in renames {
                            try exec(reader, "BEGIN")
                            for statement in transaction.statements { try step(reader, statement, rename) }
                            try exec(reader, "COMMIT")
                        }
                    }
                }
            }
            result.cycles += batch
        }
        result.seconds = (ContinuousClock.now - start) / .seconds(1)
        result.cpuMicros = Self.threadCPU() - cpuStart
        return result
    }

    private func timed(_ part: Part, _ result: inout Result, _ body: () throws -> Void) throws {
        let before = Self.threadCPU()
        try body()
        result.parts[part.rawValue] += Self.threadCPU() - before
    }

    /// Runs one recorded statement with the cycle's new ids, reading every column of every row as
    /// the store would; refuses to go on if it did not do what it did when recorded.
    private func step(_ db: OpaquePointer, _ recorded: RecordedStatement, _ rename: [String: String]) throws {
        let statement = try prepared(db, recorded.sql)
        defer { sqlite_nio_sqlite3_reset(statement) }
        // The ledger entry marked for the climate is the one this cycle just wrote (its seq, as `RETURNING` gave the store).
        let newSeq = recorded.sql.hasPrefix("INSERT INTO climate_pending ") ? lastLedgerSeq : nil
        for (offset, value) in recorded.binds.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite_nio_sqlite3_bind_null(statement, index)
            case .int(let i): sqlite_nio_sqlite3_bind_int64(statement, index, newSeq ?? i)
            case .double(let d): sqlite_nio_sqlite3_bind_double(statement, index, d)
            case .text(let s): sqlite_nio_sqlite3_bind_text(statement, index, rename[s] ?? s, -1, Self.transient)
            }
        }
        var rows = 0
        while true {
            let rc = sqlite_nio_sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(db, recorded.sql) }
            rows += 1
            for column in 0..<sqlite_nio_sqlite3_column_count(statement) {
                switch sqlite_nio_sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: _ = sqlite_nio_sqlite3_column_int64(statement, column)
                case SQLITE_TEXT: _ = (sqlite_nio_sqlite3_column_text(statement, column), sqlite_nio_sqlite3_column_bytes(statement, column))
                default: break
                }
            }
        }
        if recorded.sql.hasPrefix("INSERT INTO activity ") { lastLedgerSeq = sqlite_nio_sqlite3_last_insert_rowid(db) }
        let did = recorded.isQuery ? rows : Int(sqlite_nio_sqlite3_changes(db))
        // A renamed id that matched nothing would make the replay cheaper than the real thing.
        if (recorded.rowsOrChanges > 0) != (did > 0) {
            throw ValidationError("replayed \(did) rows where the store had \(recorded.rowsOrChanges): \(recorded.sql.prefix(120))")
        }
    }

    /// fdatasync on `path`, opened on first use: the WAL after each commit (as `WALSyncer`), the
    /// database file after the passive checkpoints (as `SQLiteDatabase.syncCopiedPages`).
    private func sync(_ path: String, _ descriptor: inout Int32) throws {
        if descriptor < 0 { descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0, fdatasync(descriptor) == 0 else { throw ValidationError("fdatasync of \(path) failed") }
    }

    /// As `SQLiteDatabase`: two passive passes each 4,000 committed pages, the database file synced, then a restart.
    private func checkpointIfDue() throws {
        let committed = pages.count
        if committed < checkpointMark { checkpointMark = 0 }
        guard committed - checkpointMark >= WALLimits.standard.checkpointPages else { return }
        try exec(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)")
        try sync(databasePath, &databaseDescriptor)
        try exec(writer, "PRAGMA wal_checkpoint(RESTART)")
        checkpointMark = 0
    }

    private func prepared(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        if let cached = statements[db]?[sql] { return cached }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else { throw error(db, sql) }
        statements[db, default: [:]][sql] = statement
        return statement
    }

    private func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error(db, sql) }
    }

    private func error(_ db: OpaquePointer, _ sql: String) -> ValidationError {
        ValidationError("SQLite: \(String(cString: sqlite_nio_sqlite3_errmsg(db))) in \(sql.prefix(120))")
    }

    private static func open(_ path: String, readOnly: Bool) throws -> OpaquePointer {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            throw ValidationError("cannot open \(path)")
        }
        sqlite_nio_sqlite3_busy_timeout(db, 10_000)
        return db
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// This thread's CPU time (user and system, so the fdatasync calls count), in µs.
    private static func threadCPU() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1e6 + Double(now.tv_nsec) / 1e3
    }
}

/// The WAL's size after the writer's last commit, from SQLite's WAL hook.
final class WALPages {
    var count: Int32 = 0
}
