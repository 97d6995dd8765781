import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// Integration-climate tools. `changepoints` and `network` read JSON on
/// standard input and write JSON, so the measures can be checked against the
/// reference implementations (ruptures, networkx) and used from scripts.
struct ClimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "climate", abstract: "Integration-climate measures.",
        subcommands: [RebuildCommand.self, ChangePointsCommand.self, NetworkCommand.self])
}

/// Recomputes the climate aggregates from the whole activity ledger.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Recompute every climate aggregate from the activity ledger, with a progress bar.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        let store = ThawStore(database: database, clock: SystemClock())
        let started = ContinuousClock.now
        try await store.rebuildClimate { done, total in ProgressBar.draw(done, total, unit: "ledger entries") }
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("\n".utf8))
        print("rebuilt the climate aggregates in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        try await database.close()
    }
}

struct ChangePointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changepoints",
        abstract: "Freeze and thaw change points of a series (JSON array of numbers on stdin) by exact PELT with an l2 cost.")
    @Option(help: "Penalty per change point on the standardised series (default: max(4, 1.25·ln n)).") var penalty: Double?
    @Option(help: "Shortest segment, in periods.") var minSize = 2
    @Flag(help: "Use the series as given instead of standardising it (z-scores).") var raw = false

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let series = try? JSONDecoder().decode([Double].self, from: data) else {
            throw ValidationError("standard input must be a JSON array of numbers, e.g. [0.4, 0.5, 0.1]")
        }
        if let penalty, !(penalty > 0 && penalty.isFinite) { throw ValidationError("--penalty must be a positive number") }
        guard minSize >= 1 else { throw ValidationError("--min-size must be at least 1") }
        let input = raw ? series : ChangePoints.standardise(series)
        let penalty = penalty ?? ChangePoints.defaultPenalty(count: series.count)
        let breakpoints: [Int]
        do { breakpoints = try ChangePoints.pelt(input, penalty: penalty, minSize: minSize) } catch ThawError.invalid(let v) {
            throw ValidationError(v.map(\.message).joined(separator: "; "))
        }
        let out: [String: JSONNumberOrList] = ["breakpoints": .list(breakpoints), "penalty": .number(penalty)]
        print(String(decoding: try JSONEncoder().encode(out), as: UTF8.self))
    }
}

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Density, degree centralisation, degree and betweenness centrality, and directness of a tie graph (JSON on stdin).",
        discussion: #"Input: {"nodes": [{"id": "a", "side": "primary-care"}, ...], "ties": [["a", "b"], ...]}; side is primary-care, central-system or other."#)

    struct Input: Decodable {
        struct Node: Decodable { var id: String; var side: NetworkMeasures.Side? }
        var nodes: [Node]
        var ties: [[String]]
    }

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let input: Input
        do { input = try JSONDecoder().decode(Input.self, from: data) } catch {
            throw ValidationError("standard input must be {\"nodes\": [{\"id\": ...}], \"ties\": [[a, b], ...]}: \(error)")
        }
        guard input.ties.allSatisfy({ $0.count == 2 }) else { throw ValidationError("each tie is a pair of node ids") }
        let measures = NetworkMeasures.compute(nodes: input.nodes.map { ($0.id, $0.side ?? .other) }, ties: input.ties.map { ($0[0], $0[1]) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(measures), as: UTF8.self))
    }
}

enum JSONNumberOrList: Encodable {
    case number(Double), list([Int])
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .list(let l): try c.encode(l)
        }
    }
}
