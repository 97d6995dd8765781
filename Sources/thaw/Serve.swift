import ArgumentParser
import Hummingbird
import Logging
import ThawServer
import ThawStorage

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Thaw server (migrates the database first).")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let logger = Logger(label: "thaw")
        let configuration = try server.configuration()
        // SQLite is opened and migrated before serving. PostgreSQL may not be reachable yet (it
        // starts beside us, or is restarting): the server answers /healthz at once, and the rest
        // once the database is reached and migrated.
        let database = try openDatabaseUnchecked(db.url, logger: logger)
        let preparing = database.dialect == .postgres ? database : nil
        if preparing == nil { try await Migrator.migrate(database) }
        let store = ThawStore(database: database, clock: SystemClock())
        try await buildApplication(configuration: configuration, store: store, logger: logger, preparing: preparing).runService()
        try await database.close()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"), migrate: false)
        let applied = try await Migrator.migrate(database)
        print(applied.isEmpty ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        try await database.close()
    }
}
