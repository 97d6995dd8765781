import ArgumentParser
import Foundation
import Logging
import ThawServer
import ThawStorage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a fresh SQLite database holding a realistic demo network, print the sign-ins, and serve it.")
    @OptionGroup var server: ServerOptions
    @Option(help: "Where to put the demo database (replaced if it exists).") var file = "thaw-demo.sqlite"
    @Option(help: "A PostgreSQL database (postgres://...) to load the demo into instead of a file; it must be empty.")
    var postgres: String?
    @Flag(help: "Load the demo network and exit, without serving (to serve it from several processes with `thaw serve`).")
    var loadOnly = false

    func run() async throws {
        let logger = Logger(label: "thaw")
        let database: any SQLDatabase
        if let postgres {
            guard postgres.hasPrefix("postgres://") || postgres.hasPrefix("postgresql://") else {
                throw ValidationError("--postgres takes a postgres:// URL")
            }
            database = try await openDatabase(postgres, logger: logger)
            guard try await ThawStore(database: database, clock: SystemClock()).organizations().isEmpty else {
                throw CommandFailure("the database already holds organisations: the demo loads only into an empty one")
            }
        } else {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            database = try await openDatabase(file, logger: logger)
        }
        var demo = DemoNetwork()
        try await demo.load(into: database, endingAt: SystemClock().now())
        print(
            """

            Thaw demo: \(demo.organizations.count) organisations, \(demo.referralCount) referrals, database \(postgres == nil ? file : "on PostgreSQL")
            \(loadOnly ? "Loaded; serve it with `thaw serve`." : "Open http://\(server.host):\(server.port)/ in a browser (the API: /api/v1/openapi.json; health: /healthz; metrics: /metrics)")
            Sign in with the password "\(DemoNetwork.password)" as:
            """)
        for signIn in demo.signIns {
            print(
                "  \(signIn.email.padding(toLength: 32, withPad: " ", startingAt: 0)) \(signIn.role.padding(toLength: 18, withPad: " ", startingAt: 0)) \(signIn.organization)"
            )
        }
        print("")
        fflush(nil)  // show the sign-ins before the server starts logging
        if loadOnly {
            try await database.close()
            return
        }
        let configuration = try server.configuration()
        let store = ThawStore(database: database, clock: SystemClock())
        try await buildApplication(configuration: configuration, store: store, logger: logger).runService()
        try await database.close()
    }
}
