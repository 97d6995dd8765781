import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What HTTP alone costs for the life cycle's traffic: a bare Hummingbird server that answers
/// each of the life cycle's requests with a response recorded from a real `thaw serve` (status,
/// content type, ETag and body, byte for byte). It reads every request's body and does nothing
/// else: no JSON, no authentication, no logging, no storage. Driven by `run`, it measures the
/// least CPU the server and the load generator can spend on this traffic over HTTP on these
/// cores; with `sql-floor`, the least any server on our statements can spend.
struct HTTPFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-floor",
        abstract: "Serve the life cycle's requests with responses recorded from a real server, and nothing else.")
    @Option(help: "Host to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8097
    @Option(help: "Port of a running `thaw serve` on the seeded database, to record the responses from.") var recordFrom: Int
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        let canned = try CannedLifeCycle.record(client: BlockingHTTPClient(host: host, port: recordFrom), seed: seed)
        let router = Router()
        router.get("healthz") { _, _ in canned.health.response }
        router.post("api/v1/referrals") { request, _ in try await canned.created.answering(request) }
        router.post("api/v1/referrals/:id/status") { request, _ in try await canned.statusChanged.answering(request) }
        router.post("api/v1/referrals/:id/messages") { request, _ in try await canned.messageSent.answering(request) }
        router.get("api/v1/referrals") { request, _ in
            (request.uri.queryParameters["view"] == "inbox" ? canned.inbox : canned.caseload).response
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "thaw"),
            logger: Logger(label: "http-floor"))
        // Unbuffered, as the benchmark script sends it to a file and prints it while the server runs.
        FileHandle.standardError.write(
            Data("== http-floor listening on \(host):\(port), responses recorded from port \(recordFrom): \(canned.sizes)\n".utf8))
        try await app.runService()
    }
}

/// One recorded response, served as it was.
struct CannedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    init(_ recorded: BlockingHTTPClient.Response) {
        status = HTTPResponse.Status(code: recorded.status)
        var headers = HTTPFields()
        for name in ["content-type", "etag", "location"] {
            if let value = recorded.header(name), let field = HTTPField.Name(name) { headers[field] = value }
        }
        self.headers = headers
        body = ByteBuffer(bytes: recorded.body)
    }

    var response: Response { Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body)) }

    /// Reads the request's body, as any server must, then answers.
    func answering(_ request: Request) async throws -> Response {
        _ = try await request.body.collect(upTo: 1 << 20)
        return response
    }
}

/// The responses of one life cycle run against the real server, as `run` drives it.
struct CannedLifeCycle: Sendable {
    var health, created, statusChanged, messageSent, caseload, inbox: CannedResponse

    static func record(client: BlockingHTTPClient, seed: SeedManifest) throws -> CannedLifeCycle {
        let nav = seed.navigatorHeaders, partner = seed.partnerHeaders
        func expect(_ status: Int, _ response: BlockingHTTPClient.Response) throws -> BlockingHTTPClient.Response {
            guard response.status == status else {
                throw ValidationError("recording: expected \(status), got \(response.status): \(response.text.prefix(300))")
            }
            return response
        }
        let health = try expect(200, client.request("GET", "/healthz"))
        let created = try expect(201, client.request("POST", "/api/v1/referrals", headers: nav, body: seed.referralBody(client: seed.clientIds[0])))
        let id = try Run.field("id", created)
        let accepted = try expect(
            200,
            client.request(
                "POST", "/api/v1/referrals/\(id)/status",
                headers: partner + [("If-Match", created.header("etag") ?? "")],
                body: #"{"status":"accepted"}"#))
        let message = try expect(201, client.request("POST", "/api/v1/referrals/\(id)/messages", headers: partner, body: #"{"body":"Update"}"#))
        let caseload = try expect(200, client.request("GET", "/api/v1/referrals?view=caseload&limit=50", headers: nav))
        let inbox = try expect(200, client.request("GET", "/api/v1/referrals?view=inbox&filter=open&limit=50", headers: partner))
        return CannedLifeCycle(
            health: CannedResponse(health), created: CannedResponse(created), statusChanged: CannedResponse(accepted),
            messageSent: CannedResponse(message), caseload: CannedResponse(caseload), inbox: CannedResponse(inbox))
    }

    var sizes: String {
        "referral \(created.body.readableBytes) B, status change \(statusChanged.body.readableBytes) B, "
            + "message \(messageSent.body.readableBytes) B, caseload \(caseload.body.readableBytes) B, inbox \(inbox.body.readableBytes) B"
    }
}
