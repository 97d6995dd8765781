import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// Moving an installation's data whole.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Move an installation's data whole, and compare two copies of it.",
        subcommands: [DataCopyCommand.self, DataCompareCommand.self])
}

struct DataCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite installation into an empty PostgreSQL database, and verify it.",
        discussion: """
            Every table is copied: the ledger and the access log in their order, ids, sequence numbers and \
            timestamps as they were. The copy is one transaction: it is there whole or not at all. A target that \
            holds any data is refused. Afterwards each table's rows are counted and summed (SHA-256) on both sides, \
            and the command fails if any differs. Stop the server first (or copy from a backup: `thaw backup`), so \
            nothing is written to the source meanwhile.
            """)

    @Option(help: "The SQLite file to copy from (migrated to this version of thaw: `thaw migrate` first).") var from: String
    @Option(help: "The PostgreSQL database to copy into: postgres://user:pass@host:port/db. It must be empty.") var to: String

    func run() async throws {
        guard to.hasPrefix("postgres://") || to.hasPrefix("postgresql://") else { throw ValidationError("--to takes a postgres:// URL") }
        guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("--from: no file at \(from)") }
        let logger = Logger(label: "thaw")
        let source = try openDatabaseUnchecked(from, logger: logger)
        let target = try await openDatabase(to, logger: logger, migrate: false)
        let tables: [DatabaseCopy.Table]
        do {
            tables = try await DatabaseCopy.copy(from: source, to: target) { table, done, total in
                ProgressBar.draw(done, total, unit: "rows of \(table)" + String(repeating: " ", count: max(0, 28 - table.count)))
            }
        } catch {
            try? await source.close()
            try? await target.close()
            if let refusal = error as? ThawError { throw CommandFailure(refusal.explanation) }
            throw error
        }
        FileHandle.standardError.write(Data("\n".utf8))
        try await source.close()
        try await target.close()
        try report(tables, what: "the copy differs from the source")
        print("copied and verified: \(tables.count) tables, \(tables.reduce(0) { $0 + $1.targetRows }) rows")
    }
}

struct DataCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two databases table by table: rows and a checksum of each (a restored backup or dump with its original).",
        discussion: "Either may be SQLite or PostgreSQL. Fails if any table differs. Compare copies nobody is writing to.")

    @Option(help: "One database (a SQLite file or a postgres:// URL).") var from: String
    @Option(help: "The other.") var to: String

    func run() async throws {
        let logger = Logger(label: "thaw")
        let first = try await openDatabase(from, logger: logger, migrate: false)
        let second = try await openDatabase(to, logger: logger, migrate: false)
        let tables = try await DatabaseCopy.compare(first, second)
        try await first.close()
        try await second.close()
        try report(tables, what: "the databases differ")
        print("the same: \(tables.count) tables, \(tables.reduce(0) { $0 + $1.targetRows }) rows")
    }
}

/// Prints each table's rows and checksum on both sides, and fails naming the tables that differ.
private func report(_ tables: [DatabaseCopy.Table], what: String) throws {
    print("table".padding(toLength: 32, withPad: " ", startingAt: 0) + "rows".padding(toLength: 12, withPad: " ", startingAt: 0) + "checksum")
    for table in tables {
        let rows = table.sourceRows == table.targetRows ? "\(table.targetRows)" : "\(table.sourceRows)→\(table.targetRows)"
        let sum = table.sourceChecksum == table.targetChecksum ? table.targetChecksum : "DIFFERS \(table.sourceChecksum) ≠ \(table.targetChecksum)"
        print(table.name.padding(toLength: 32, withPad: " ", startingAt: 0) + rows.padding(toLength: 12, withPad: " ", startingAt: 0) + sum)
    }
    let differing = tables.filter { !$0.matches }
    guard differing.isEmpty else { throw CommandFailure("\(what) in \(differing.map(\.name).joined(separator: ", "))") }
}
