import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawSimulation
import ThawStorage

/// Generates a network whose partnerships follow planted warm and cold regimes,
/// written through the store as real use would be, then scores how well the
/// climate's change points find the planted changes.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a partnership network with planted warm and cold regimes, and score how well freezes and thaws are found.",
        discussion: """
            Adds the simulated organisations (with three partnership leads each) to the database and plays their weeks out \
            through the same store calls people use. Prints the precision and recall of the change points found in each \
            pair's monthly index against the planted changes (within one month).
            """)
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Organisations to create.") var organizations = 20
    @Option(help: "Partners each organisation has, about.") var partners = 4
    @Option(help: "First day (moved back to its Monday), YYYY-MM-DD.") var start = "2021-01-04"
    @Option(help: "Weeks to simulate.") var weeks = 156
    @Option(help: "Standard deviation of the weekly noise around each planted temperature (0–1).") var noise = 0.1
    @Option(help: "Random seed: the same seed gives the same network and history.") var seed: UInt64 = 1
    @Option(help: "Write the plan (pairs and their planted regimes) as JSON to this file.") var planOut: String?
    @Option(
        help:
            "Play the pairs in this many concurrent streams, each with its own random stream: much faster for a large network; a different history from the same seed, as reproducible."
    )
    var streams = 1
    @Flag(help: "Skip the fsync of each commit (SQLite only): for throwaway benchmark databases, where a power cut may lose the history.")
    var noFsync = false

    func validate() throws {
        guard organizations >= 2 && organizations <= 5_000 else { throw ValidationError("--organizations must be from 2 to 5000") }
        guard partners >= 1 && partners < organizations else { throw ValidationError("--partners must be at least 1 and fewer than --organizations") }
        guard weeks >= 1 && weeks <= 1_040 else { throw ValidationError("--weeks must be from 1 to 1040 (twenty years)") }
        guard streams >= 1 && streams <= 64 else { throw ValidationError("--streams must be from 1 to 64") }
        guard noise >= 0 && noise <= 1 else { throw ValidationError("--noise must be from 0 to 1") }
        guard CalendarDate(start) != nil else { throw ValidationError("--start must be a date like 2021-01-04") }
    }

    func run() async throws {
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"), durable: !noFsync)
        let monday = ScopedStore.weekStart(CalendarDate(start)!)
        let store = ThawStore(database: database, clock: ManualClock(monday.startOfDay))
        let people = try await SimulatedNetwork.create(in: store, organizations: organizations)
        let plan = SimulationPlan.random(
            organizations: people.keys.sorted { $0.raw < $1.raw }, partnersEach: partners, start: monday,
            weeks: weeks, noise: noise, seed: seed)
        if let planOut {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(plan).write(to: URL(fileURLWithPath: planOut))
        }
        let started = ContinuousClock.now
        let summary = try await Simulator(database: database, people: people).run(plan, streams: streams) { done, total in
            ProgressBar.draw(done, total, unit: "weeks")
        }
        FileHandle.standardError.write(Data("\n".utf8))
        let elapsed = ContinuousClock.now - started
        let recovery = try await RegimeRecovery.measure(plan, store: store, people: people)
        let entries = try await store.ledgerEntryCount()
        print(
            """
            simulated \(organizations) organisations, \(summary.pairs) partnerships, \(weeks) weeks from \(monday) at noise \(noise) (seed \(seed)):
              \(summary.actions) actions in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))); \(entries) ledger entries in the database
              scored \(RegimeRecovery.scoredRange(plan).from) to \(RegimeRecovery.scoredRange(plan).to) (the climate answers at most five years at a time)
              planted changes \(recovery.planted), found \(recovery.detected), matched within one month \(recovery.matched) (same direction \(recovery.sameDirection))
              precision \(String(format: "%.2f", recovery.precision)), recall \(String(format: "%.2f", recovery.recall))
            """)
        try await database.close()
    }
}

/// A one-line progress bar on standard error.
enum ProgressBar {
    static func draw(_ done: Int, _ total: Int, unit: String) {
        let width = 40, filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total) \(unit)".utf8))
    }
}
