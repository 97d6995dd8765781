import ArgumentParser
import Foundation
import Synchronization
@_spi(Benchmarks) import ThawStorage

/// The FHIR figures of BENCHMARKS.md, against a server seeded by `seed`: the partner's open-referral
/// search with its ServiceRequests; a status update through FHIR (PUT) beside the same update
/// through /api/v1, interleaved in one phase; and, with a subscription to a local receiver, the
/// time from each event's transaction to its delivery while the life cycle runs.
struct FHIRRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fhir", abstract: "Measure /fhir: search, updates, subscription delivery.")
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Concurrent connections.") var connections = 8
    @Option(help: "Seconds per phase.") var seconds = 20
    @Option(help: "The server's SQLite database, to read delivery times from the outbox after the run.") var database: String?
    @Option(help: "A local endpoint that answers 200 to notifications (for the delivery phase).") var receiver: String?

    func run() throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let setup = try BlockingHTTPClient(host: host, port: port)
        let service = try setup.request("GET", "/api/v1/services/\(seed.serviceId)", headers: seed.partnerHeaders)
        let partnerOrg = try Run.field("organizationId", service).replacingOccurrences(of: "_", with: "-")
        let partnerFHIR = [("Authorization", "Bearer \(seed.partnerToken)"), ("Content-Type", "application/fhir+json")]

        let search = try loadPhase(host: host, port: port, connections: connections, seconds: seconds) { client, deadline, rec in
            while ContinuousClock.now < deadline {
                try rec.time("search", 200) {
                    try client.request(
                        "GET", "/fhir/Task?owner=Organization/\(partnerOrg)&status=requested&_include=Task:focus&_count=50", headers: partnerFHIR)
                }
            }
        }

        let updates = try loadPhase(host: host, port: port, connections: connections, seconds: seconds) { client, deadline, rec in
            var useFHIR = false
            while ContinuousClock.now < deadline {
                useFHIR.toggle()
                let clientId = seed.clientIds[Int.random(in: 0..<seed.clientIds.count)]
                let created = try client.request(
                    "POST", "/api/v1/referrals", headers: seed.navigatorHeaders, body: seed.referralBody(client: clientId))
                let id = try Run.field("id", created)
                if useFHIR {
                    let task = try client.request("GET", "/fhir/Task/\(id.replacingOccurrences(of: "_", with: "-"))", headers: partnerFHIR)
                    let accepted = task.text.replacingOccurrences(of: #""status":"requested""#, with: #""status":"accepted""#)
                    try rec.time("fhir", 200) {
                        try client.request(
                            "PUT", "/fhir/Task/\(id.replacingOccurrences(of: "_", with: "-"))", headers: partnerFHIR + [("If-Match", "W/\"1\"")],
                            body: accepted)
                    }
                } else {
                    try rec.time("api", 200) {
                        try client.request(
                            "POST", "/api/v1/referrals/\(id)/status", headers: seed.partnerHeaders + [("If-Match", created.header("etag") ?? "")],
                            body: #"{"status":"accepted"}"#)
                    }
                }
            }
        }
        let mean = { (kind: String) -> Double in (updates.samples[kind] ?? []).reduce(0, +) / Double(max(1, updates.count(kind))) }
        print(
            """
            == thaw-load fhir, \(connections) connections, \(seconds) s per phase
            Task?owner&status=requested&_include=Task:focus: \(search.count("search") / seconds) /s   p50 \(search.ms("search", 0.5)) ms  p95 \(search.ms("search", 0.95)) ms  p99 \(search.ms("search", 0.99)) ms
            status update /api/v1:  p50 \(updates.ms("api", 0.5)) ms  p99 \(updates.ms("api", 0.99)) ms  mean \(String(format: "%.2f", mean("api"))) ms
            status update FHIR PUT: p50 \(updates.ms("fhir", 0.5)) ms  p99 \(updates.ms("fhir", 0.99)) ms  mean \(String(format: "%.2f", mean("fhir"))) ms
            FHIR update rate as a share of the API's (mean time per update, same phase): \(String(format: "%.0f", 100 * mean("api") / max(0.001, mean("fhir")))) %
            errors: \(search.errors + updates.errors)
            """)
        if let receiver, let database { try deliveries(seed, receiver: receiver, database: database, partnerOrg: partnerOrg) }
    }

    /// Subscribes the partner to a local receiver, runs the life cycle, and reads from the outbox
    /// how long each event took from its transaction to the receiver's 200.
    private func deliveries(_ seed: SeedManifest, receiver: String, database: String, partnerOrg: String) throws {
        let setup = try BlockingHTTPClient(host: host, port: port)
        let subscription = #"""
            {"resourceType":"Subscription","status":"requested","reason":"bench","criteria":"https://thaw.health/fhir/SubscriptionTopic/task-changed",
             "channel":{"type":"rest-hook","endpoint":"\#(receiver)","payload":"application/fhir+json"}}
            """#
        let made = try setup.request(
            "POST", "/fhir/Subscription", headers: [("Authorization", "Bearer \(seed.partnerToken)"), ("Content-Type", "application/fhir+json")],
            body: subscription)
        guard made.status == 201 else { throw ValidationError("the subscription was refused: \(made.text)") }
        Thread.sleep(forTimeInterval: 2)  // the handshake
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let life = try loadPhase(host: host, port: port, connections: connections, seconds: seconds) { client, deadline, rec in
            while ContinuousClock.now < deadline {
                let clientId = seed.clientIds[Int.random(in: 0..<seed.clientIds.count)]
                var r = try rec.time("transition", 201) {
                    try client.request("POST", "/api/v1/referrals", headers: seed.navigatorHeaders, body: seed.referralBody(client: clientId))
                }
                let id = try Run.field("id", r)
                for status in ["accepted", "in-progress"] {
                    r = try rec.time("transition", 200) {
                        try client.request(
                            "POST", "/api/v1/referrals/\(id)/status", headers: seed.partnerHeaders + [("If-Match", r.header("etag") ?? "")],
                            body: #"{"status":"\#(status)"}"#)
                    }
                }
            }
        }
        Thread.sleep(forTimeInterval: 5)  // what is still in flight
        let sqlite = try SQLiteDatabase(path: database)
        let rows = try awaitBlocking {
            try await sqlite.read { db in
                try await db.query(
                    """
                    SELECT d.delivered_at - e.created_at AS ms, d.delivered_at IS NULL AS pending FROM deliveries d
                    JOIN outbox_events e ON e.id = d.event_id WHERE e.created_at >= ?
                    """, started)
            }
        }
        let delivered = rows.filter { $0.int("pending") == 0 }.map { Double($0.int64("ms")) }.sorted()
        func quantile(_ q: Double) -> String {
            delivered.isEmpty ? "-" : String(Int(delivered[min(delivered.count - 1, Int(Double(delivered.count) * q))]))
        }
        print(
            """
            subscription delivery while the life cycle ran at \(life.count("transition") / seconds) transitions/s:
              \(delivered.count) of \(rows.count) events delivered; commit to delivery p50 \(quantile(0.5)) ms  p99 \(quantile(0.99)) ms  max \(quantile(1)) ms
            """)
    }
}

/// Runs async work from the blocking load driver and waits for it.
func awaitBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        do {
            let value = try await work()
            outcome.withLock { $0 = .success(value) }
        } catch {
            outcome.withLock { $0 = .failure(error) }
        }
        done.signal()
    }
    done.wait()
    guard let result = outcome.withLock({ $0 }) else { throw ValidationError("the work did not finish") }
    return try result.get()
}
