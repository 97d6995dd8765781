import ArgumentParser

@main
struct Thaw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thaw",
        abstract: "Closed-loop referrals and partnership practice between primary care and its partners.",
        subcommands: [Serve.self, Migrate.self, Demo.self, OrganizationCommand.self, UserCommand.self, TokenCommand.self, ExportCommand.self])
}

/// Options every command that opens the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file (path or sqlite:path) or postgres://user:pass@host:port/db. Default: $THAW_DATABASE_URL, else thaw.sqlite.")
    var database: String?

    var url: String {
        database ?? Environment.value("THAW_DATABASE_URL") ?? "thaw.sqlite"
    }
}

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Mark the session cookie Secure (use behind HTTPS).") var secureCookies = false
}
