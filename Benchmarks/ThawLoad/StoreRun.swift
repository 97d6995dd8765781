import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// The same life cycle as `run`, called straight on the store in this process:
/// what storage alone can do, to tell its share of the cost from HTTP's.
struct StoreRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Drive the life cycle through ScopedStore, without HTTP.")
    @Option(help: "Database seeded by `seed`.") var database: String
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Concurrent tasks.") var concurrency = 32
    @Option(help: "Seconds to run.") var seconds = 10

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let db = try await openDatabase(database, logger: Logger(label: "bench"))
        let store = ThawStore(database: db, clock: SystemClock())
        guard let navigator = try await store.principal(bearerToken: seed.navigatorToken)?.actor,
            let partner = try await store.principal(bearerToken: seed.partnerToken)?.actor
        else {
            throw ValidationError("the manifest's tokens are not in this database")
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        let cpuBefore = ServerCPU.seconds(pid: getpid())
        let recorder = try await withThrowingTaskGroup(of: Recorder.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    let rec = Recorder()
                    let nav = store.scoped(to: navigator), staff = store.scoped(to: partner)
                    while ContinuousClock.now < deadline {
                        try await Self.lifeCycle(navigator: nav, partner: staff, seed: seed, recorder: rec)
                    }
                    return rec
                }
            }
            let merged = Recorder()
            for try await part in group { merged.merge(part) }
            return merged
        }
        let cpuAfter = ServerCPU.seconds(pid: getpid())
        let secs = Double(seconds)
        // Every life cycle is 8 calls (as over HTTP: 8 requests); the process's CPU per call is what storage
        // itself costs, with nothing of HTTP in it.
        let calls = recorder.total
        let cpuPerCall = cpuBefore.flatMap { before in cpuAfter.map { ($0 - before) / Double(max(calls, 1)) * 1e6 } }
        print(
            """
            == thaw-load store (no HTTP) \(concurrency) tasks, \(seconds) s
            transitions:    \(Int(Double(recorder.count("transition")) / secs)) /s   p50 \(recorder.ms("transition", 0.5)) ms  p99 \(recorder.ms("transition", 0.99)) ms
            messages:       \(Int(Double(recorder.count("message")) / secs)) /s   p50 \(recorder.ms("message", 0.5)) ms  p99 \(recorder.ms("message", 0.99)) ms
            worklist reads: \(Int(Double(recorder.count("worklist")) / secs)) /s   p50 \(recorder.ms("worklist", 0.5)) ms  p95 \(recorder.ms("worklist", 0.95)) ms
            CPU per call:   \(cpuPerCall.map { "\(Int($0)) µs" } ?? "-") (this process, all threads)
            """)
        try await db.close()
    }
}

extension StoreRun {
    /// One referral's life, as the HTTP load drives it: 8 calls, 4 of them transitions.
    static func lifeCycle(navigator nav: ScopedStore, partner staff: ScopedStore, seed: SeedManifest, recorder rec: Recorder) async throws {
        let client = ID<Client>(seed.clientIds.randomElement()!)
        var r = try await rec.measure("transition") {
            try await nav.createReferral(NewReferral(clientId: client, serviceId: ID(seed.serviceId), needCategory: .housing, note: "bench")).0
        }
        for status in [TaskStatus.accepted, .inProgress] {
            let version = r.version
            r = try await rec.measure("transition") { try await staff.changeStatus(r.id, StatusChange(status: status), expectedVersion: version) }
        }
        let id = r.id, version = r.version
        _ = try await rec.measure("message") { try await staff.sendMessage(referral: id, body: "update") }
        _ = try await rec.measure("message") { try await nav.sendMessage(referral: id, body: "thanks") }
        _ = try await rec.measure("transition") {
            try await staff.changeStatus(
                id, StatusChange(status: .completed, outcome: ReferralOutcome(code: .needMet, summary: "Housed")), expectedVersion: version)
        }
        _ = try await rec.measure("worklist") { try await nav.worklist(WorklistQuery(view: .caseload)) }
        _ = try await rec.measure("worklist") { try await staff.worklist(WorklistQuery(view: .inbox, filter: .open)) }
    }
}

extension Recorder {
    func measure<T>(_ kind: String, _ call: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        let value = try await call()
        let elapsed = ContinuousClock.now - start
        samples[kind, default: []].append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        return value
    }
}
