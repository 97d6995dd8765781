import Foundation
import ThawCore
import VaporCSQLite

/// Backups of a live SQLite database, and their restoring.
///
/// A backup is SQLite's online backup of one read snapshot: in WAL mode a reader holds no lock
/// that stops writers, so the server keeps taking writes while the pages are copied, and the
/// copy is the database as it was at one moment, whole (a write either is in it entirely or not
/// at all). The copy is written beside its destination and renamed into place once it is on
/// disk and has passed SQLite's integrity check, so an interrupted backup leaves no file that
/// looks whole.
public enum SQLiteBackup {
    /// What a backup file holds, as checked.
    public struct Summary: Sendable, Equatable {
        public var pages: Int
        public var bytes: Int
        public var schemaVersion: Int
        public var organizations: Int
        public var referrals: Int
        public var ledgerEntries: Int
    }

    /// Copies the database at `source` (which may be in use) to a new file at `destination`.
    public static func backup(from source: String, to destination: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: source) else { throw failure("no database at \(source)") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw failure("\(destination) already exists: a backup never overwrites a file")
        }
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            // Opened for writing only so SQLite may open its shared-memory file; nothing is written to it.
            let from = try SQLiteHandle(path: source, readOnly: false)
            let to = try SQLiteHandle(path: partial, readOnly: false)
            guard let backup = sqlite_nio_sqlite3_backup_init(to.connection, "main", from.connection, "main") else {
                throw failure("the backup could not start: " + String(cString: sqlite_nio_sqlite3_errmsg(to.connection)))
            }
            // All pages in one step: one read snapshot, so the copy is consistent however busy the writers are.
            let stepped = sqlite_nio_sqlite3_backup_step(backup, -1)
            let finished = sqlite_nio_sqlite3_backup_finish(backup)
            guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
                throw failure("the backup stopped: " + String(cString: sqlite_nio_sqlite3_errstr(stepped == SQLITE_DONE ? finished : stepped)))
            }
            // The copy is a plain rollback-journal file: one file, whole, wherever it is moved.
            _ = try to.run("PRAGMA journal_mode = DELETE", [])
            to.close()
            from.close()
            let summary = try check(partial)
            try durablyRename(partial, to: destination)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Checks a backup: SQLite's integrity check, the foreign keys, and a schema this version of
    /// Thaw can open (it may be older: `thaw serve` migrates it).
    public static func check(_ path: String) throws -> Summary {
        guard FileManager.default.fileExists(atPath: path) else { throw failure("no backup at \(path)") }
        let handle = try SQLiteHandle(path: path, readOnly: true)
        defer { handle.close() }
        let integrity = try handle.run("PRAGMA integrity_check", []).rows.map { $0.values.first.map(text) ?? "" }
        guard integrity == ["ok"] else { throw failure("\(path) is damaged: " + integrity.prefix(5).joined(separator: "; ")) }
        let brokenLinks = try handle.run("PRAGMA foreign_key_check", []).rows.count
        guard brokenLinks == 0 else { throw failure("\(path) has \(brokenLinks) rows citing rows it does not hold") }
        let tables = Set(try handle.run("SELECT name FROM sqlite_master WHERE type = 'table'", []).rows.compactMap { $0.values.first.map(text) })
        guard tables.isSuperset(of: ["schema_migrations", "organizations", "referrals", "activity"]) else {
            throw failure("\(path) is not a Thaw database")
        }
        func count(_ sql: String) throws -> Int {
            guard case .int(let n) = try handle.run(sql, []).rows.first?.values.first else { return 0 }
            return Int(n)
        }
        let version = try count("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        let newest = Migrator.all.map(\.version).max() ?? 0
        guard version <= newest else { throw failure("\(path) is at schema version \(version), newer than this thaw (\(newest))") }
        let pages = try count("PRAGMA page_count"), pageSize = try count("PRAGMA page_size")
        return Summary(
            pages: pages, bytes: pages * pageSize, schemaVersion: version, organizations: try count("SELECT COUNT(*) FROM organizations"),
            referrals: try count("SELECT COUNT(*) FROM referrals"), ledgerEntries: try count("SELECT COUNT(*) FROM activity"))
    }

    /// Restores a checked backup as the database at `database`. A database already there is
    /// replaced only when `replace` is given, and never while a server may have it open (its
    /// write-ahead log is there).
    public static func restore(from backup: String, to database: String, replace: Bool) throws -> Summary {
        let summary = try check(backup)
        let exists = FileManager.default.fileExists(atPath: database)
        if exists, !replace { throw failure("\(database) exists: restore over it only with --replace") }
        if FileManager.default.fileExists(atPath: database + "-wal") {
            throw failure(
                "\(database) is open (its -wal file is there): stop the server first; if it is stopped, `thaw migrate` closes the database cleanly")
        }
        let partial = database + ".restoring"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try FileManager.default.copyItem(atPath: backup, toPath: partial)
            _ = try check(partial)
            try? FileManager.default.removeItem(atPath: database + "-shm")
            try durablyRename(partial, to: database)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return summary
    }

    /// Flushes `file` to disk, renames it, and flushes the directory, so the name points at the
    /// whole file after a crash.
    static func durablyRename(_ file: String, to destination: String) throws {
        try sync(file)
        guard rename(file, destination) == 0 else { throw failure("could not move \(file) to \(destination): errno \(errno)") }
        try sync((destination as NSString).deletingLastPathComponent.isEmpty ? "." : (destination as NSString).deletingLastPathComponent)
    }

    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure("could not open \(path) to flush it: errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("could not flush \(path): errno \(errno)") }
    }

    private static func text(_ value: SQLValue) -> String {
        switch value {
        case .text(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .null: ""
        }
    }

    private static func failure(_ message: String) -> ThawError { .unprocessable("backup", "usable", message) }
}
