import ArgumentParser
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization

/// Drives the referral life cycle over HTTP with one keep-alive connection per
/// virtual user, after measuring the same server's /healthz throughput as the
/// ceiling, and prints the figures BENCHMARKS.md records.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the load against a server seeded by `seed`.")
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Concurrent connections (virtual users), one thread each.") var connections = 32
    @Option(help: "Seconds per phase.") var seconds = 20
    @Option(help: "A label printed with the results (e.g. sqlite, postgres).") var label = "sqlite"
    @Option(help: "The server's process id, to report its CPU time per request in each phase (Linux).") var serverPid: Int32?
    @Option(help: "The database server's process name (postgres), to report the CPU of all its processes per request (Linux).")
    var databaseProcess: String?

    func run() throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let cpuBeforeHealth = serverPid.flatMap(ServerCPU.seconds)
        let databaseBeforeHealth = databaseProcess.map(ServerCPU.seconds(processesNamed:))
        let ownBeforeHealth = ServerCPU.seconds(pid: getpid())
        let health = try phase { client, deadline, rec in
            while ContinuousClock.now < deadline {
                try rec.time("healthz", 200) { try client.request("GET", "/healthz") }
            }
        }
        let cpuBeforeLife = serverPid.flatMap(ServerCPU.seconds)
        let databaseBeforeLife = databaseProcess.map(ServerCPU.seconds(processesNamed:))
        let ownBeforeLife = ServerCPU.seconds(pid: getpid())
        let life = try phase { client, deadline, rec in
            var n = 0
            let nav = seed.navigatorHeaders, partner = seed.partnerHeaders
            while ContinuousClock.now < deadline {
                n += 1
                let clientId = seed.clientIds[Int.random(in: 0..<seed.clientIds.count)]
                var r = try rec.time("transition", 201) {
                    try client.request("POST", "/api/v1/referrals", headers: nav, body: seed.referralBody(client: clientId))
                }
                let id = try Self.field("id", r)
                for status in ["accepted", "in-progress"] {
                    let h = partner + [("If-Match", r.header("etag") ?? "")]
                    r = try rec.time("transition", 200) {
                        try client.request("POST", "/api/v1/referrals/\(id)/status", headers: h, body: #"{"status":"\#(status)"}"#)
                    }
                }
                let etag = r.header("etag") ?? ""
                for headers in [partner, nav] {
                    try rec.time("message", 201) {
                        try client.request("POST", "/api/v1/referrals/\(id)/messages", headers: headers, body: #"{"body":"Update \#(n)"}"#)
                    }
                }
                try rec.time("transition", 200) {
                    try client.request(
                        "POST", "/api/v1/referrals/\(id)/status", headers: partner + [("If-Match", etag)],
                        body: #"{"status":"completed","outcome":{"code":"need-met","summary":"Housed"}}"#)
                }
                try rec.time("worklist", 200) { try client.request("GET", "/api/v1/referrals?view=caseload&limit=50", headers: nav) }
                try rec.time("worklist", 200) { try client.request("GET", "/api/v1/referrals?view=inbox&filter=open&limit=50", headers: partner) }
            }
        }
        let cpuAfterLife = serverPid.flatMap(ServerCPU.seconds)
        let databaseAfterLife = databaseProcess.map(ServerCPU.seconds(processesNamed:))
        let ownAfterLife = ServerCPU.seconds(pid: getpid())
        let secs = Double(seconds)
        let healthRate = Double(health.count("healthz")) / secs
        let transitions = Double(life.count("transition")) / secs
        let requests = Double(life.total) / secs
        print(
            """
            == thaw-load (\(label)) \(connections) connections, \(seconds) s per phase
            healthz ceiling:      \(Int(healthRate)) req/s   p50 \(health.ms("healthz", 0.50)) ms  p99 \(health.ms("healthz", 0.99)) ms
            life cycle:           \(Int(requests)) req/s (\(String(format: "%.2f", requests / healthRate)) of the healthz ceiling)
            transitions:          \(Int(transitions)) /s   p50 \(life.ms("transition", 0.50)) ms  p99 \(life.ms("transition", 0.99)) ms
            messages:             \(Int(Double(life.count("message")) / secs)) /s   p50 \(life.ms("message", 0.50)) ms  p99 \(life.ms("message", 0.99)) ms
            worklist reads:       \(Int(Double(life.count("worklist")) / secs)) /s   p50 \(life.ms("worklist", 0.50)) ms  p95 \(life.ms("worklist", 0.95)) ms  p99 \(life.ms("worklist", 0.99)) ms
            errors:               \(life.errors + health.errors)
            """)
        if let cpuBeforeHealth, let cpuBeforeLife, let cpuAfterLife {
            // The server's own CPU per request, whatever share of the cores the load generator took: a
            // /healthz request is the reference, so the ratio compares runs on machines of different speeds.
            let healthMicros = (cpuBeforeLife - cpuBeforeHealth) / Double(health.total) * 1e6
            let lifeMicros = (cpuAfterLife - cpuBeforeLife) / Double(life.total) * 1e6
            print(
                "server CPU / request: healthz \(Int(healthMicros)) µs   life cycle \(Int(lifeMicros)) µs "
                    + "(\(String(format: "%.1f", lifeMicros / healthMicros)) healthz requests' worth)")
        }
        if let databaseBeforeHealth, let databaseBeforeLife, let databaseAfterLife, let databaseProcess {
            // The sum over its processes alive at each reading: a backend that exits within a phase takes its time
            // with it, but the server's pooled connections live through the whole run.
            print(
                "database (\(databaseProcess)) CPU / request: healthz \(Int((databaseBeforeLife - databaseBeforeHealth) / Double(health.total) * 1e6)) µs   "
                    + "life cycle \(Int((databaseAfterLife - databaseBeforeLife) / Double(life.total) * 1e6)) µs")
        }
        if let ownBeforeHealth, let ownBeforeLife, let ownAfterLife {
            // The load generator shares the cores: what it takes per request is not left for the server.
            print(
                "load generator CPU / request: healthz \(Int((ownBeforeLife - ownBeforeHealth) / Double(health.total) * 1e6)) µs   "
                    + "life cycle \(Int((ownAfterLife - ownBeforeLife) / Double(life.total) * 1e6)) µs")
        }
    }

    static func field(_ name: String, _ response: BlockingHTTPClient.Response) throws -> String {
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], let value = object[name] as? String else {
            throw ValidationError("response had no \(name): \(response.text.prefix(300))")
        }
        return value
    }

    func phase(_ body: @escaping @Sendable (BlockingHTTPClient, ContinuousClock.Instant, Recorder) throws -> Void) throws -> Recorder {
        try loadPhase(host: host, port: port, connections: connections, seconds: seconds, body)
    }
}

/// Runs `body` on every connection, each on its own thread, until the deadline and merges what they recorded.
func loadPhase(
    host: String, port: Int, connections: Int, seconds: Int,
    _ body: @escaping @Sendable (BlockingHTTPClient, ContinuousClock.Instant, Recorder) throws -> Void
) throws -> Recorder {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let recorders = (0..<connections).map { _ in Recorder() }
    let failures = Mutex<[String]>([])
    let done = DispatchGroup()
    for recorder in recorders {
        done.enter()
        let thread = Thread {
            defer { done.leave() }
            do { try body(try BlockingHTTPClient(host: host, port: port), deadline, recorder) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    done.wait()
    if let first = failures.withLock({ $0.first }) { throw ValidationError("a connection failed: \(first)") }
    let merged = Recorder()
    recorders.forEach(merged.merge)
    return merged
}

/// Latencies per kind of request, kept by one connection's loop (no sharing until merged).
final class Recorder: @unchecked Sendable {
    var samples: [String: [Double]] = [:]
    var errors = 0
    var total: Int { samples.values.reduce(0) { $0 + $1.count } }

    @discardableResult
    func time(_ kind: String, _ expected: Int, _ call: () async throws -> TestClient.Response) async throws -> TestClient.Response {
        let start = ContinuousClock.now
        let response = try await call()
        add(kind, since: start, status: Int(response.status.code), expected: expected, body: String(buffer: response.body ?? ByteBuffer()))
        return response
    }

    @discardableResult
    func time(_ kind: String, _ expected: Int, _ call: () throws -> BlockingHTTPClient.Response) throws -> BlockingHTTPClient.Response {
        let start = ContinuousClock.now
        let response = try call()
        add(kind, since: start, status: response.status, expected: expected, body: response.text)
        return response
    }

    private func add(_ kind: String, since start: ContinuousClock.Instant, status: Int, expected: Int, body: @autoclosure () -> String) {
        let elapsed = ContinuousClock.now - start
        samples[kind, default: []].append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        if status != expected {
            errors += 1
            if errors <= 5 { print("unexpected \(status) for \(kind): \(body().prefix(300))") }
        }
    }

    func merge(_ other: Recorder) {
        for (k, v) in other.samples { samples[k, default: []] += v }
        errors += other.errors
    }

    func count(_ kind: String) -> Int { samples[kind]?.count ?? 0 }

    func ms(_ kind: String, _ quantile: Double) -> String {
        guard let values = samples[kind]?.sorted(), !values.isEmpty else { return "-" }
        let index = min(values.count - 1, Int((Double(values.count) * quantile).rounded(.up)) - 1)
        return String(format: "%.2f", values[max(0, index)])
    }
}

/// A process's CPU time (user and system) so far, from Linux's /proc.
enum ServerCPU {
    static func seconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses come the fields from the third on; utime and stime are the 14th and 15th.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The CPU time so far of every running process with this command name.
    static func seconds(processesNamed name: String) -> Double {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.reduce(0) { total, pid in
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
            return comm == name ? total + (seconds(pid: pid) ?? 0) : total
        }
    }
}
