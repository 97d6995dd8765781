import ArgumentParser
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Drives the referral life cycle over HTTP with one keep-alive connection per
/// virtual user, after measuring the same server's /healthz throughput as the
/// ceiling, and prints the figures BENCHMARKS.md records.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the load against a server seeded by `seed`.")
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Concurrent connections (virtual users).") var connections = 32
    @Option(help: "Seconds per phase.") var seconds = 20
    @Option(help: "A label printed with the results (e.g. sqlite, postgres).") var label = "sqlite"

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let health = try await phase { client, deadline, rec in
            while ContinuousClock.now < deadline {
                try await rec.time("healthz", 200) { try await client.execute(.init("/healthz", method: .get)) }
            }
        }
        let life = try await phase { client, deadline, rec in
            var n = 0
            let nav: HTTPFields = [.authorization: "Bearer \(seed.navigatorToken)", .contentType: "application/json"]
            let partner: HTTPFields = [.authorization: "Bearer \(seed.partnerToken)", .contentType: "application/json"]
            while ContinuousClock.now < deadline {
                n += 1
                let clientID = seed.clientIds[Int.random(in: 0..<seed.clientIds.count)]
                let create = #"{"clientId":"\#(clientID)","serviceId":"\#(seed.serviceId)","needCategory":"housing","note":"bench"}"#
                var r = try await rec.time("transition", 201) {
                    try await client.execute(.init("/api/v1/referrals", method: .post, headers: nav, body: ByteBuffer(string: create)))
                }
                let id = try Self.field("id", r)
                for status in ["accepted", "in-progress"] {
                    var h = partner; h[.ifMatch] = r.headers[.eTag] ?? ""
                    r = try await rec.time("transition", 200) {
                        try await client.execute(.init("/api/v1/referrals/\(id)/status", method: .post, headers: h,
                                                       body: ByteBuffer(string: #"{"status":"\#(status)"}"#)))
                    }
                }
                let etag = r.headers[.eTag] ?? ""
                for headers in [partner, nav] {
                    try await rec.time("message", 201) {
                        try await client.execute(.init("/api/v1/referrals/\(id)/messages", method: .post, headers: headers,
                                                       body: ByteBuffer(string: #"{"body":"Update \#(n)"}"#)))
                    }
                }
                var h = partner; h[.ifMatch] = etag
                try await rec.time("transition", 200) {
                    try await client.execute(.init("/api/v1/referrals/\(id)/status", method: .post, headers: h,
                        body: ByteBuffer(string: #"{"status":"completed","outcome":{"code":"need-met","summary":"Housed"}}"#)))
                }
                try await rec.time("worklist", 200) {
                    try await client.execute(.init("/api/v1/referrals?view=caseload&limit=50", method: .get, headers: nav))
                }
                try await rec.time("worklist", 200) {
                    try await client.execute(.init("/api/v1/referrals?view=inbox&filter=open&limit=50", method: .get, headers: partner))
                }
            }
        }
        let secs = Double(seconds)
        let healthRate = Double(health.count("healthz")) / secs
        let transitions = Double(life.count("transition")) / secs
        let requests = Double(life.total) / secs
        print("""
        == thaw-load (\(label)) \(connections) connections, \(seconds) s per phase
        healthz ceiling:      \(Int(healthRate)) req/s   p50 \(health.ms("healthz", 0.50)) ms  p99 \(health.ms("healthz", 0.99)) ms
        life cycle:           \(Int(requests)) req/s (\(String(format: "%.2f", requests / healthRate)) of the healthz ceiling)
        transitions:          \(Int(transitions)) /s   p50 \(life.ms("transition", 0.50)) ms  p99 \(life.ms("transition", 0.99)) ms
        messages:             \(Int(Double(life.count("message")) / secs)) /s   p50 \(life.ms("message", 0.50)) ms  p99 \(life.ms("message", 0.99)) ms
        worklist reads:       \(Int(Double(life.count("worklist")) / secs)) /s   p50 \(life.ms("worklist", 0.50)) ms  p95 \(life.ms("worklist", 0.95)) ms  p99 \(life.ms("worklist", 0.99)) ms
        errors:               \(life.errors + health.errors)
        """)
    }

    static func field(_ name: String, _ response: TestClient.Response) throws -> String {
        let data = Data(buffer: response.body ?? ByteBuffer())
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let value = object[name] as? String else {
            throw ValidationError("response had no \(name): \(String(decoding: data, as: UTF8.self).prefix(300))")
        }
        return value
    }

    /// Runs `body` on every connection until the deadline and merges what they recorded.
    func phase(_ body: @escaping @Sendable (TestClient, ContinuousClock.Instant, Recorder) async throws -> Void) async throws -> Recorder {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let host = self.host, port = self.port
        return try await withThrowingTaskGroup(of: Recorder.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    let recorder = Recorder()
                    try await TestClient.withClient(host: host, port: port) { client in
                        try await body(client, deadline, recorder)
                    }
                    return recorder
                }
            }
            let merged = Recorder()
            for try await part in group { merged.merge(part) }
            return merged
        }
    }
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
        let elapsed = ContinuousClock.now - start
        samples[kind, default: []].append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        if response.status.code != expected {
            errors += 1
            if errors <= 5 {
                print("unexpected \(response.status.code) for \(kind): \(String(buffer: response.body ?? ByteBuffer()).prefix(300))")
            }
        }
        return response
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
