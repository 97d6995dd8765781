import ArgumentParser
import Foundation
import Logging
import ThawServer
@_spi(Benchmarks) import ThawStorage

/// What the life cycle's SQL costs PostgreSQL by itself: the statements one life cycle runs
/// through the store on PostgreSQL (written down from a real run, with one sign-in lookup per
/// request as the server makes), replayed by `pgbench` — PostgreSQL's own C client, every
/// statement prepared once per connection — in the same transactions, over as many
/// connections as the HTTP load. Nothing of ours is in the replay, so it is the least any
/// server on these statements can ask of PostgreSQL, and the most it could get through.
struct PGFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pg-floor", abstract: "Replay one life cycle's SQL on PostgreSQL with pgbench and report its cost.")
    @Option(help: "PostgreSQL URL of a database seeded by `seed` (the replay writes to it).") var database: String
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Client connections (repeat for several runs).") var connections: [Int] = [32, 8]
    @Option(help: "Seconds per run.") var seconds = 10
    @Option(help: "Where to write the pgbench script.") var script = "/tmp/thaw-pg-floor.sql"

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let trace = try await SQLFloor.capture(database: database, seed: seed)
        let signIn = try await Self.captureSignIn(database: database, token: seed.navigatorToken)
        let text = PGBenchScript(trace: trace, signIn: signIn, requests: Self.requestsPerCycle).text
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let statements = text.split(separator: "\n").filter { !$0.hasPrefix("\\set") }.count
        print("== thaw-load pg-floor: one life cycle = \(statements) statements (BEGIN and COMMIT included), \(script)")
        for clients in connections {
            // pgbench's backends end with its connections, taking their CPU counts with them: what
            // PostgreSQL spent is the machine's CPU time less pgbench's (nothing else runs).
            let machineBefore = Self.machineCPU()
            let clientBefore = Self.childrenCPU()
            let output = try Self.pgbench(["-n", "-M", "prepared", "-c", "\(clients)", "-j", "1", "-T", "\(seconds)", "-f", script, database])
            let clientCPU = Self.childrenCPU() - clientBefore
            let databaseCPU = Self.machineCPU() - machineBefore - clientCPU
            guard let cycles = Self.number(after: "number of transactions actually processed: ", in: output),
                let latency = Self.number(after: "latency average = ", in: output)
            else { throw ValidationError("pgbench said:\n\(output)") }
            let failed = Self.number(after: "number of failed transactions: ", in: output) ?? 0
            let requests = cycles * Double(Self.requestsPerCycle)
            print(
                """
                \(clients) connections: \(Int(cycles * 4 / Double(seconds))) transitions/s (\(Int(requests / Double(seconds))) requests/s), \
                \(String(format: "%.2f", latency / Double(Self.requestsPerCycle))) ms per request on average, \(Int(failed)) failed; \
                CPU per request: PostgreSQL \(Int(databaseCPU / requests * 1e6)) µs, pgbench \(Int(clientCPU / requests * 1e6)) µs
                """)
        }
    }

    /// Requests in one life cycle over HTTP, each with its own sign-in lookup (four are transitions).
    static let requestsPerCycle = 8

    /// The statement the server runs to find each request's caller.
    static func captureSignIn(database: String, token: String) async throws -> RecordedStatement {
        let base = try await openDatabase(database, logger: Logger(label: "bench"))
        let trace = SQLTrace()
        let store = ThawStore(database: RecordingDatabase(base: base, trace: trace), clock: SystemClock())
        trace.recording = true
        _ = try await store.principal(bearerToken: token)
        trace.recording = false
        try await base.close()
        guard let statement = trace.transactions.first?.statements.first else { throw ValidationError("no sign-in statement was recorded") }
        return statement
    }

    /// Runs pgbench to its end and returns what it printed. Spawned with every signal unblocked
    /// and at its default: pgbench ends a timed run (`-T`) on SIGALRM, which this process's
    /// threads block, and a child inherits the mask of the thread that starts it.
    static func pgbench(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("thaw-pgbench-\(getpid()).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["pgbench"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "pgbench", &actions, &attributes, argv, environ) == 0 else {
            throw ValidationError("pgbench could not be started (Debian's postgresql-client has it)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: output)
        guard status == 0 else { throw ValidationError("pgbench failed:\n\(printed)") }
        return printed
    }

    static func number(after label: String, in output: String) -> Double? {
        guard let range = output.range(of: label) else { return nil }
        return Double(output[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    /// CPU time spent by the whole machine so far (every core, every process), from /proc/stat.
    static func machineCPU() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = stat.split(separator: "\n").first else { return 0 }
        // cpu user nice system idle iowait irq softirq steal ...: all but idle and iowait.
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return 0 }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU time (user and system) of this process's children that have ended: pgbench.
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// One life cycle as a pgbench script: each write transaction between BEGIN and COMMIT, reads
/// on their own (as `PostgresDatabase` runs them), the ids the cycle creates replaced by fresh
/// ones every time, and the ledger sequence number the climate mark refers to taken from the
/// ledger insert (`\gset`).
struct PGBenchScript {
    let trace: [RecordedTransaction]
    let signIn: RecordedStatement
    let requests: Int

    var text: String {
        let created = trace.createdIds
        let variables = Dictionary(uniqueKeysWithValues: created.enumerated().map { ($1, "id\($0)") })
        var lines = variables.values.sorted().map { "\\set \($0) random(1, 1000000000000000)" }
        for _ in 0..<requests { lines.append(line(signIn, variables)) }
        for transaction in trace {
            if transaction.isWrite { lines.append("BEGIN;") }
            lines += transaction.statements.map { line($0, variables) }
            if transaction.isWrite { lines.append("COMMIT;") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statement on one line with its values written in; a created id becomes its variable.
    private func line(_ statement: RecordedStatement, _ variables: [String: String]) -> String {
        var binds = statement.binds.makeIterator()
        var sql = ""
        for character in statement.sql {
            guard character == "?" else {
                sql.append(character.isNewline ? " " : character)
                continue
            }
            switch binds.next() {
            case .int? where statement.sql.hasPrefix("INSERT INTO climate_pending "): sql += ":seq"
            case .int(let i)?: sql += "\(i)"
            case .double(let d)?: sql += "\(d)"
            case .text(let s)?:
                if let variable = variables[s] {
                    sql += "('\(s.prefix { $0 != "_" })_f' || :\(variable))"
                } else {
                    sql += Self.literal(s)
                }
            case .null?, nil: sql += "NULL"
            }
        }
        let returnsSeq = statement.sql.hasPrefix("INSERT INTO activity ") && statement.sql.contains("RETURNING seq")
        return returnsSeq ? sql + " \\gset" : sql + ";"
    }

    /// A string constant pgbench leaves alone: an escape string whose colons are written `\x3a`,
    /// since pgbench reads `:name` anywhere in a statement as one of its variables.
    static func literal(_ text: String) -> String {
        var escaped = "E'"
        for character in text {
            switch character {
            case "'": escaped += "''"
            case "\\": escaped += "\\\\"
            case ":": escaped += "\\x3a"
            default: escaped.append(character)
            }
        }
        return escaped + "'"
    }
}
