import ArgumentParser
import Foundation
import ThawCore
import ThawStorage

/// A consistent copy of a live SQLite database, taken while the server keeps writing.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a live SQLite database to a new file, consistent as of one moment, without stopping writes.",
        discussion: """
            Uses SQLite's online backup; the server may keep running. The copy is checked (integrity, foreign keys) \
            before it is given its name. For PostgreSQL use pg_dump or continuous archiving (README, Backups).
            """)

    @Option(help: "The SQLite file to back up. Default: $THAW_DATABASE_URL, else thaw.sqlite.") var database: String?
    @Option(help: "The backup file to write (it must not exist).") var to: String

    func run() throws {
        let source = database ?? Environment.value("THAW_DATABASE_URL") ?? "thaw.sqlite"
        guard !source.hasPrefix("postgres") else {
            throw ValidationError("thaw backup is for SQLite; back PostgreSQL up with pg_dump (README, Backups)")
        }
        let path = source.hasPrefix("sqlite:") ? String(source.dropFirst("sqlite:".count)) : source
        let summary = try refusalsAsErrors { try SQLiteBackup.backup(from: path, to: to) }
        print("backed up to \(to): \(describe(summary))")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Check a backup made by `thaw backup`, and restore it as the SQLite database.",
        discussion: """
            The backup is checked first (integrity, foreign keys, a Thaw schema no newer than this thaw). An existing \
            database is replaced only with --replace, and never while a server has it open. `thaw serve` migrates an \
            older backup when it starts.
            """)

    @Option(help: "The backup file.") var from: String
    @Option(help: "The SQLite file to restore to. Default: $THAW_DATABASE_URL, else thaw.sqlite.") var database: String?
    @Flag(help: "Replace the database if one is there (stop the server first).") var replace = false
    @Flag(help: "Only check the backup; restore nothing.") var checkOnly = false

    func run() throws {
        if checkOnly {
            print("\(from) is a usable backup: \(describe(try refusalsAsErrors { try SQLiteBackup.check(from) }))")
            return
        }
        let target = database ?? Environment.value("THAW_DATABASE_URL") ?? "thaw.sqlite"
        guard !target.hasPrefix("postgres") else { throw ValidationError("thaw restore is for SQLite; restore PostgreSQL with pg_restore") }
        let path = target.hasPrefix("sqlite:") ? String(target.dropFirst("sqlite:".count)) : target
        let summary = try refusalsAsErrors { try SQLiteBackup.restore(from: from, to: path, replace: replace) }
        print("restored \(path) from \(from): \(describe(summary))")
    }
}

private func describe(_ summary: SQLiteBackup.Summary) -> String {
    "\(summary.bytes) bytes, schema version \(summary.schemaVersion), \(summary.organizations) organisations, "
        + "\(summary.referrals) referrals, \(summary.ledgerEntries) ledger entries; integrity checked"
}

/// A command that could not do its work, said in one line (without the usage a mistyped
/// argument would get).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A refusal reads as one line, not as the error's structure.
func refusalsAsErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let refusal as ThawError { throw CommandFailure(refusal.explanation) }
}
