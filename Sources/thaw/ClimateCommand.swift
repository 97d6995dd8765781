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
        subcommands: [ReportCommand.self, RebuildCommand.self, ChangePointsCommand.self, NetworkCommand.self])
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
        let report = try await store.rebuildClimate { done, total in
            ProgressBar.draw(done, total, unit: "ledger entries")
        }
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            String(
                format: "rebuilt the climate aggregates from %d ledger entries in %.3f s (%.2f µs per entry)",
                report.entries, elapsed.seconds, report.entries > 0 ? elapsed.seconds * 1e6 / Double(report.entries) : 0))
        let rows = report.rows
        print(
            rows.unchanged
                ? "the \(rows.rows) stored month rows already held exactly that: none written"
                : "of \(rows.rows) month rows: \(rows.rewritten) stored rows differed and were rewritten, \(rows.added) were missing and added, "
                    + "\(rows.removed) had no ledger entries and were removed")
        print("steps: " + report.phases.map { "\($0.name) " + String(format: "%.2f s", $0.time.seconds) }.joined(separator: ", "))
        try await database.close()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The climate in the terminal, or as CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The network's climate per period, the partnerships cooling now and the coldest and warmest ties; or CSV.",
        discussion:
            "--csv ties gives every tie of the last period; --csv pair (with --pair twice) gives one pair's periods with every component and count.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case ties, pair }

    @OptionGroup var db: DatabaseOptions
    @Option(help: "week or month.") var period = "month"
    @Option(help: "First period, YYYY-MM or YYYY-MM-DD (default: twelve months back).") var from: String?
    @Option(help: "End of the range, exclusive (default: the start of the period under way).") var to: String?
    @Option(help: "Component weights, e.g. reciprocity:2,openness:1 (default: equal).") var weights: String?
    @Option(help: "Write CSV instead of the report: ties or pair.") var csv: Format?
    @Option(help: "An organisation id of the pair (give it twice) for --csv pair.") var pair: [String] = []

    func run() async throws {
        let period: ClimatePeriod, weights: ClimateWeights, start: CalendarDate?, end: CalendarDate?
        do {
            period = try ClimatePeriod.parse(self.period, field: "--period")
            weights = try ClimateWeights.parse(self.weights)
            start = try CalendarDate.dayOrMonth(from, field: "--from")
            end = try CalendarDate.dayOrMonth(to, field: "--to")
        } catch let error as ThawError { throw ValidationError(error.explanation) }
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        defer { Task { try? await database.close() } }
        let store = ThawStore(database: database, clock: SystemClock())
        // The command line reads the whole network, as an administrator would.
        let reader = store.scoped(to: Actor(userId: ID("cli"), organizationId: ID("cli"), sector: .government, roles: [.administrator]))
        let today = CalendarDate(store.clock.now())
        let upTo = end ?? ScopedStore.periodStart(today, period)
        let since = start ?? CalendarDate(year: upTo.year - 1, month: upTo.month, day: 1)!
        let organizations = try await store.organizations()
        let names = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) })
        let lastPeriod = ScopedStore.periodStart(CalendarDate(upTo.startOfDay.adding(days: -1)), period)
        do {
            switch csv {
            case .ties?:
                print(
                    ClimateExport.tiesCSV(
                        try await reader.networkTies(period: period, containing: lastPeriod, weights: weights), names: names, period: lastPeriod),
                    terminator: "")
            case .pair?:
                guard pair.count == 2, let a = organizations.first(where: { $0.id.raw == pair[0] }),
                    let b = organizations.first(where: { $0.id.raw == pair[1] })
                else {
                    throw ValidationError("--csv pair needs --pair twice, each an organisation id (see thaw organization list)")
                }
                print(
                    ClimateExport.pairCSV(a, b, try await reader.pairClimate(a.id, b.id, period: period, from: since, to: upTo, weights: weights)),
                    terminator: "")
            case nil:
                let network = try await reader.networkClimate(period: period, from: since, to: upTo, weights: weights, perOrganization: false)
                print(
                    ClimateExport.report(
                        network: network, cooling: try await reader.coolingPartnerships(period: period, weights: weights),
                        ties: try await reader.networkTies(period: period, containing: lastPeriod, weights: weights), names: names), terminator: "")
            }
        } catch let error as ThawError {
            throw ValidationError(error.explanation)
        }
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
        discussion:
            #"Input: {"nodes": [{"id": "a", "side": "primary-care"}, ...], "ties": [["a", "b"], ...]}; side is primary-care, central-system or other."#
    )

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
