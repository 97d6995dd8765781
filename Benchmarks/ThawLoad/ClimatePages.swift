import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// The climate pages' server time on a simulated network: the dashboard (map,
/// network over time, cooling list, every tie), the busiest pair's page and the
/// cooling list over the API, after /healthz as the reference in the same run.
struct ClimatePages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "climate-pages",
        abstract: "Measure the climate dashboard and pair page against a server on a simulated database.")
    @Option(help: "The database the server runs on (a session is started in it for a simulated lead).") var database: String
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "Requests per page.") var requests = 200

    func run() async throws {
        let db = try await openDatabase(database, logger: Logger(label: "bench"))
        let store = ThawStore(database: db, clock: SystemClock())
        try await store.foldPendingClimate()  // the simulation's last entries, if no server has folded them yet
        let (lead, pair) = try await db.read { c in
            (
                try await c.query("SELECT id FROM users WHERE roles LIKE '%partnership-lead%' ORDER BY id LIMIT 1", []).first?.string("id"),
                try await c.query(
                    "SELECT org_lo, org_hi, SUM(formal + informal + referral) AS n FROM climate_months GROUP BY org_lo, org_hi ORDER BY n DESC LIMIT 1",
                    []
                ).first
            )
        }
        guard let lead, let pair else { throw ValidationError("no partnership lead or no climate in \(database): run thaw simulate first") }
        let session = try await store.startSession(user: ID(lead), lifetimeSeconds: 86_400).secret
        try await db.close()
        let pairPath = "/climate/pairs/\(pair.string("org_lo"))/\(pair.string("org_hi"))"
        try await measurePages(
            [
                ("healthz", "/healthz", ""),
                ("dashboard", "/climate", session),
                ("pair page", pairPath, session),
                ("cooling (API)", "/api/v1/climate/cooling", session)
            ], host: host, port: port, requests: requests, title: "thaw-load climate-pages")
        try await measurePages(
            [("dashboard weeks", "/climate?period=week", session), ("cooling weeks (API)", "/api/v1/climate/cooling?period=week", session)],
            host: host, port: port, requests: requests, title: "thaw-load climate-pages (weekly)")
    }
}
