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
        let database = try await openDatabase(db.url, logger: logger)
        let store = ThawStore(database: database, clock: SystemClock())
        try await buildApplication(configuration: configuration, store: store, logger: logger).runService()
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
