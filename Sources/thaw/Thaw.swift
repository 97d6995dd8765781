import Foundation
import ArgumentParser
import Logging
import ThawCore
import ThawServer

@main
struct Thaw: AsyncParsableCommand {
    /// Logs are JSON lines on standard error; THAW_LOG_LEVEL (trace ... critical) sets the level.
    static func bootstrapLogging() {
        let level = Environment.value("THAW_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    }

    static func main() async {
        bootstrapLogging()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "thaw",
        abstract: "Closed-loop referrals and partnership practice between primary care and its partners.",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, OrganizationCommand.self, UserCommand.self, TokenCommand.self, ExportCommand.self,
            ClimateCommand.self, EvaluationCommand.self, SimulateCommand.self, DirectoryCommand.self, DataCommand.self, BackupCommand.self,
            RestoreCommand.self
        ])
}

/// Options every command that opens the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long, help: "SQLite file (path or sqlite:path) or postgres://user:pass@host:port/db. Default: $THAW_DATABASE_URL, else thaw.sqlite.")
    var database: String?

    var url: String {
        database ?? Environment.value("THAW_DATABASE_URL") ?? "thaw.sqlite"
    }
}

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Mark the session cookie Secure (use behind HTTPS).") var secureCookies = false
    @Option(help: "Seconds a connection has to deliver a whole request head.") var headerTimeout = 10
    @Option(help: "Seconds a request body may pause before its connection is closed.") var idleTimeout = 30
    @Option(help: "Open connections at most (also kept below the process's file limit).") var maxConnections = 2048
    @Option(help: "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable).") var trustedProxy: [String] = []
    @Option(help: "The URL others reach this server at, for links in notifications (default: THAW_PUBLIC_URL, else http://host:port).")
    var publicURL: String?
    @Option(
        help: "SMTP server for email, e.g. smtp://user:password@mail.example.org:587?from=thaw@example.org (default: THAW_SMTP_URL; none: no email).")
    var smtp: String?
    @Option(help: "The hour (UTC) the daily digest email goes out.") var digestHour = 12
    @Option(help: "Seconds between reads of partners' own systems for the referrals sent there.") var partnerFollowSeconds: Int64 = 15
    @Flag(help: "Answer the HSDS directory API (/hsds) without signing in, for anyone to read.") var publicDirectory = false
    @Option(help: "Seconds between sweeps for what has come due: missed commitments, overdue first responses, reminders.")
    var deadlineSweepSeconds: Int64 = 600
    @Option(help: "Days a directory record may go unverified before it is flagged as stale.") var directoryStaleDays = 180
    @Option(help: "Evaluation reports hide counts below this (an evaluator may ask for more, never fewer).") var evaluationThreshold = 5
    @Option(help: "What this network calls itself in the climate package it publishes.") var networkName = "Thaw network"
    @Flag(help: "Name organisations and outside events in the published climate package (the network's decision).")
    var climatePackageNames = false
    @Option(help: "The network's time zone (IANA, e.g. America/Edmonton) for opening hours in local time (default: the system's).")
    var timeZone: String?

    /// The server's configuration from these options. The process's limit on open files
    /// is raised to its hard limit first, and the connection limit kept well below it,
    /// so accepting connections never fails for want of a descriptor.
    func configuration() throws -> ServerConfiguration {
        guard headerTimeout > 0, idleTimeout > 0, maxConnections > 0 else {
            throw ValidationError("--header-timeout, --idle-timeout and --max-connections must be positive")
        }
        var configuration = ServerConfiguration(host: host, port: port, secureCookies: secureCookies)
        let files = FileLimit.raiseToHardLimit()
        configuration.connections = ConnectionLimits(
            headerTimeout: .seconds(headerTimeout), idleTimeout: .seconds(idleTimeout),
            maxConnections: min(maxConnections, max(16, files - 256)))
        configuration.trustedProxies = Set(trustedProxy)
        configuration.publicURL = publicURL ?? ProcessInfo.processInfo.environment["THAW_PUBLIC_URL"]
        if let smtp = smtp ?? ProcessInfo.processInfo.environment["THAW_SMTP_URL"], !smtp.isEmpty {
            do {
                configuration.smtp = try SMTPConfiguration(url: smtp)
            } catch let error as ThawError {
                throw ValidationError("--smtp: \(error.explanation)")
            }
        }
        guard (0..<24).contains(digestHour) else { throw ValidationError("--digest-hour is an hour, 0 to 23") }
        configuration.digestHourUTC = digestHour
        guard partnerFollowSeconds >= 1 else { throw ValidationError("--partner-follow-seconds is at least 1") }
        configuration.partnerFollowSeconds = partnerFollowSeconds
        guard deadlineSweepSeconds >= 1 else { throw ValidationError("--deadline-sweep-seconds is at least 1") }
        configuration.deadlineSweepSeconds = deadlineSweepSeconds
        configuration.publicDirectory = publicDirectory
        guard (1...3650).contains(directoryStaleDays) else { throw ValidationError("--directory-stale-days is between 1 and 3650") }
        configuration.directoryStaleDays = directoryStaleDays
        guard (2...1000).contains(evaluationThreshold) else { throw ValidationError("--evaluation-threshold is from 2 to 1000") }
        configuration.evaluationThreshold = evaluationThreshold
        configuration.networkName = networkName
        configuration.climatePackageNames = climatePackageNames
        if let timeZone {
            guard let zone = TimeZone(identifier: timeZone) else { throw ValidationError("--time-zone: \(timeZone) is not an IANA time zone") }
            configuration.timeZone = zone
        }
        return configuration
    }
}
