import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// The evaluation's report and exports from the command line, acting as an evaluator (or a
/// network administrator): the same roles, suppression and access log as in the web app.
struct EvaluationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: "Evaluation reports and research exports, as an evaluator.",
        subcommands: [
            EvaluationReportCommand.self, EvaluationLedgerCommand.self, EvaluationQDPXCommand.self, EvaluationPackageCommand.self,
            EvaluationImportCommand.self
        ])
}

/// Who the command acts as, and the period.
struct EvaluatorOptions: ParsableArguments {
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("as"), help: "The email of the evaluator (in their period) or network administrator to act as.") var person: String
    @Option(help: "First day, YYYY-MM-DD (default: twelve whole months back).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD.") var until: String?

    func open() async throws -> (any SQLDatabase, ScopedStore, EvaluationPeriod) {
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        let store = ThawStore(database: database, clock: SystemClock())
        guard let principal = try await store.principal(email: person) else {
            try await database.close()
            throw ValidationError("no active user \(person)")
        }
        let period: EvaluationPeriod
        do {
            let first = try CalendarDate.dayOrMonth(from, field: "--from"), last = try CalendarDate.dayOrMonth(until, field: "--until")
            if let first, let last {
                period = try EvaluationPeriod(from: first, until: last)
            } else {
                period = .lastTwelveMonths(before: CalendarDate(store.clock.now()))
            }
        } catch let error as ThawError {
            try await database.close()
            throw ValidationError(error.explanation)
        }
        return (database, store.scoped(to: principal.actor), period)
    }
}

/// Runs `body`, closing the database after, and turning a refusal into its explanation.
func asEvaluator<T>(_ database: any SQLDatabase, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        try await database.close()
        return result
    } catch let refusal as ThawError {
        try? await database.close()
        throw CommandFailure(refusal.explanation)
    }
}

struct EvaluationReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The quadruple-aim and loop report: its headline, and every table as CSV in --out.")
    @OptionGroup var options: EvaluatorOptions
    @Option(help: "Limit the report to one organisation (its id).") var organization: String?
    @Option(help: "Hide counts below this (at least 5).") var threshold = SmallCells.defaultThreshold
    @Option(help: "A directory to write the CSV files into.") var out: String?

    func run() async throws {
        guard threshold >= SmallCells.defaultThreshold else { throw ValidationError("--threshold is at least \(SmallCells.defaultThreshold)") }
        let (database, scoped, period) = try await options.open()
        let report = try await asEvaluator(database) {
            try await scoped.evaluationReport(period, organization: organization.map { ID($0) }, threshold: threshold)
        }
        print("Evaluation report, \(report.organizationName ?? "the whole network"): \(report.period.label) (before: \(report.previousPeriod.label))")
        if let headline = report.table("headline") {
            for row in headline.rows {
                let cells = row.map { cell -> String in
                    switch cell {
                    case .label(let text): return text.padding(toLength: 40, withPad: " ", startingAt: 0)
                    case .number(let v): return String(Int(v)).padding(toLength: 10, withPad: " ", startingAt: 0)
                    case .hidden: return "<\(report.threshold)".padding(toLength: 10, withPad: " ", startingAt: 0)
                    case .none: return "–".padding(toLength: 10, withPad: " ", startingAt: 0)
                    }
                }
                print("  " + cells.joined())
            }
        }
        guard let out else { return }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let files = EvaluationFiles.report(report)
        for file in files { try Data(file.text.utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent(file.name)) }
        print("wrote \(files.count) CSV files to \(out)")
    }
}

struct EvaluationLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "The de-identified activity ledger as CSV, on standard output.")
    @OptionGroup var options: EvaluatorOptions

    func run() async throws {
        let (database, scoped, period) = try await options.open()
        let entries = try await asEvaluator(database) { try await scoped.deidentifiedLedger(from: period.from, until: period.until) }
        FileHandle.standardOutput.write(Data(EvaluationFiles.ledger(entries).utf8))
    }
}

struct EvaluationQDPXCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qdpx", abstract: "The partnership's qualitative record as a REFI-QDA project for MAXQDA, NVivo or ATLAS.ti.")
    @OptionGroup var options: EvaluatorOptions
    @Option(help: "The .qdpx file to write.") var out: String

    func run() async throws {
        let (database, scoped, period) = try await options.open()
        let sources = try await asEvaluator(database) { try await scoped.researchRecord(from: period.from, until: period.until) }
        let data = try EvaluationFiles.qdpx(sources, name: "Thaw partnership record \(period.from)_\(period.until)", at: SystemClock().now())
        try data.write(to: URL(fileURLWithPath: out))
        print("wrote \(sources.count) sources to \(out)")
    }
}

struct EvaluationPackageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "climate-package", abstract: "This network's de-identified climate package (JSON), for comparison elsewhere.")
    @OptionGroup var options: EvaluatorOptions
    @Option(help: "What this network calls itself in the package.") var networkName = "Thaw network"
    @Flag(help: "Name organisations and events (only where the network allows it).") var names = false
    @Option(help: "The JSON file to write.") var out: String

    func run() async throws {
        let (database, scoped, period) = try await options.open()
        let package = try await asEvaluator(database) {
            try await scoped.climatePackage(network: networkName, from: period.from, until: period.until, names: names)
        }
        try EvaluationFiles.json(package).write(to: URL(fileURLWithPath: out))
        print("wrote \(package.networkSeries.count) months, \(package.pairs.count) pairs and \(package.events.count) events to \(out)")
    }
}

struct EvaluationImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring in a researcher's .qdpx (their codings) or another network's climate package (.json).")
    @OptionGroup var db: DatabaseOptions
    @Option(name: .customLong("as"), help: "The email of the evaluator bringing it in.") var person: String
    @Argument(help: "The .qdpx or .json file.") var file: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        let store = ThawStore(database: database, clock: SystemClock())
        guard let principal = try await store.principal(email: person) else {
            try await database.close()
            throw ValidationError("no active user \(person)")
        }
        let scoped = store.scoped(to: principal.actor)
        if file.lowercased().hasSuffix(".json") {
            let id = try await asEvaluator(database) { try await EvaluationFiles.importPackage(data, by: scoped) }
            print("brought in the climate package as \(id)")
        } else {
            let result = try await asEvaluator(database) { try await EvaluationFiles.importCodings(data, by: scoped) }
            print("\(result.project): \(result.imported) codings brought in, \(result.skipped) left out")
        }
    }
}
