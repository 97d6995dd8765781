import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import ThawCore
import ThawServer
@_spi(Benchmarks) import ThawStorage

/// What the load run needs to know about the seeded world.
struct SeedManifest: Codable {
    var navigatorToken: String
    var partnerToken: String
    var serviceId: String
    var clientIds: [String]
    /// Browser sessions for the page benchmark (`thaw-load pages`).
    var navigatorSession: String?
    var partnerSession: String?
}

extension SeedManifest {
    /// A bearer API client's headers, as the load sends them.
    var navigatorHeaders: [(String, String)] { [("Authorization", "Bearer \(navigatorToken)"), ("Content-Type", "application/json")] }
    var partnerHeaders: [(String, String)] { [("Authorization", "Bearer \(partnerToken)"), ("Content-Type", "application/json")] }

    /// The body of the life cycle's create request.
    func referralBody(client: String) -> String {
        #"{"clientId":"\#(client)","serviceId":"\#(serviceId)","needCategory":"housing","note":"bench"}"#
    }
}

/// Builds a network through the store (organisations, users, services,
/// clients with consent), then bulk-inserts historical referrals with
/// multi-row INSERTs so a million rows take seconds, not hours.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a benchmark database.")
    @Option(help: "SQLite path or postgres:// URL.") var database: String
    @Option(help: "Historical referrals to insert.") var referrals = 1_000_000
    @Option(help: "Clients (each with consent for the benchmark partner).") var clients = 2_000
    @Option(help: "Where to write the manifest (tokens, ids).") var manifest = "bench-manifest.json"

    func run() async throws {
        let db = try await openDatabase(database, logger: Logger(label: "seed"))
        let store = ThawStore(database: db, clock: SystemClock())
        var requesters: [Actor] = []
        var owners: [Actor] = []
        var services: [Service] = []
        for i in 0..<10 {
            let clinic = try await store.createOrganization(NewOrganization(name: "Clinic \(i)", sector: .primaryCare))
            let partner = try await store.createOrganization(NewOrganization(name: "Partner \(i)", sector: .socialCare))
            let nav = try await store.createUser(
                NewUser(
                    organizationId: clinic.id, email: "nav\(i)@bench.test", displayName: "Nav \(i)",
                    roles: [.navigator], password: "bench-password-1"), passwordHash: "unused")
            let staff = try await store.createUser(
                NewUser(
                    organizationId: partner.id, email: "staff\(i)@bench.test", displayName: "Staff \(i)",
                    roles: [.partnerStaff], password: "bench-password-1"), passwordHash: "unused")
            requesters.append(Actor(userId: nav.id, organizationId: clinic.id, sector: .primaryCare, roles: [.navigator]))
            owners.append(Actor(userId: staff.id, organizationId: partner.id, sector: .socialCare, roles: [.partnerStaff]))
            services.append(
                try await store.createService(
                    NewService(
                        name: "Service \(i)", description: "", needCategories: [.housing, .food],
                        eligibility: "all", areaServed: "all", languages: ["en"], capacity: .accepting), organization: partner.id))
        }
        // Clients belong to clinic 0 (the benchmark navigator's) and consent to the whole social-care sector.
        var clientIds: [ID<Client>] = []
        let nav = store.scoped(to: requesters[0])
        for i in 0..<clients {
            let client = try await nav.createClient(NewClient(givenName: "Client", familyName: "Number \(i)"))
            _ = try await nav.recordConsent(
                client: client.id, NewConsent(grantee: .sector(.socialCare), scopes: [.contact, .needs, .notes], purpose: .referral))
            clientIds.append(client.id)
        }
        try await bulkReferrals(db, requesters: requesters, owners: owners, services: services, clients: clientIds)
        let navToken = try await store.createToken(user: requesters[0].userId, name: "bench", expiresAt: nil, by: nil).secret
        let partnerToken = try await store.createToken(user: owners[0].userId, name: "bench", expiresAt: nil, by: nil).secret
        let day: Int64 = 86_400
        let navSession = try await store.startSession(user: requesters[0].userId, lifetimeSeconds: 30 * day).secret
        let partnerSession = try await store.startSession(user: owners[0].userId, lifetimeSeconds: 30 * day).secret
        let out = SeedManifest(
            navigatorToken: navToken, partnerToken: partnerToken, serviceId: services[0].id.raw,
            clientIds: clientIds.map(\.raw), navigatorSession: navSession, partnerSession: partnerSession)
        try JSONEncoder().encode(out).write(to: URL(fileURLWithPath: manifest))
        try await db.close()
    }

    func bulkReferrals(_ db: any SQLDatabase, requesters: [Actor], owners: [Actor], services: [Service], clients: [ID<Client>]) async throws {
        let statuses: [TaskStatus] = [.completed, .completed, .completed, .rejected, .cancelled, .failed, .inProgress, .accepted, .onHold, .requested]
        let batch = 500
        let start = SystemClock().now().adding(days: -730)
        var written = 0
        let columns = Referral.columns
        while written < referrals {
            let n = min(batch, referrals - written)
            var values: [SQLValue] = []
            values.reserveCapacity(n * 25)
            for k in 0..<n {
                let i = written + k
                let r = i % requesters.count, o = (i / 7) % owners.count
                let created = start.adding(seconds: Int64(i) * 60)
                // Spread independently of the requester (i % 10) and the owner ((i / 7) % 10), so
                // every organisation gets the whole mix. As in real use, the history is closed:
                // referrals older than 90 days ended long ago (the first six statuses are final);
                // the last 90 days hold the full mix, 40 % of it open (~5,000 per organisation).
                let spread = Int((UInt64(i) &* 11_400_714_819_323_198_485) >> 40)
                let recent = created > SystemClock().now().adding(days: -90)
                let status = recent ? statuses[spread % statuses.count] : statuses[spread % 6]
                values += [
                    .text("ref_seed\(i)"), .text(clients[i % clients.count].raw), .text(requesters[r].organizationId.raw),
                    .text(requesters[r].userId.raw), .text(owners[o].organizationId.raw), .text(services[o].id.raw),
                    .text("housing"), .text(""), .text("routine"), .text(status.rawValue), .null, .null, .null,
                    status == .completed ? .text("need-met") : .null, status == .completed ? .text("Done") : .null,
                    .text("seeded"), .int(created.adding(days: 5).millis), .int(created.adding(seconds: 3600).millis),
                    .int(created.adding(days: 14).millis), .null, .null, .int(created.millis), .int(created.adding(seconds: 7200).millis), .int(3),
                    .null
                ]
            }
            let placeholders = Array(repeating: "(" + Array(repeating: "?", count: 25).joined(separator: ",") + ")", count: n).joined(separator: ",")
            let sql = "INSERT INTO referrals (\(columns)) VALUES \(placeholders)"
            let finalValues = values
            _ = try await db.write { c in try await c.execute(sql, finalValues) }
            written += n
            if written % 100_000 < batch { print("seeded \(written) referrals"); fflush(nil) }
        }
    }
}
