import ArgumentParser
import Foundation
import HTTPTypes
import HummingbirdTesting
import Hummingbird

/// The server time to render the web app's busiest pages — the navigator's
/// caseload and the partner's inbox, each with its counts — measured one
/// request at a time over one keep-alive connection, after the same server's
/// /healthz as the reference in the same run.
struct Pages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure caseload and inbox page render times against a seeded server.")
    @Option(help: "Server host.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 8080
    @Option(help: "Manifest written by `seed`.") var manifest = "bench-manifest.json"
    @Option(help: "Requests per page.") var requests = 500
    @Option(help: "A label printed with the results.") var label = "sqlite"

    func run() async throws {
        let seed = try JSONDecoder().decode(SeedManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        guard let navigator = seed.navigatorSession, let partner = seed.partnerSession else {
            throw ValidationError("the manifest has no browser sessions; seed again with this version")
        }
        try await measurePages(
            [
                ("healthz", "/healthz", ""),
                ("caseload", "/caseload", navigator),
                ("caseload overdue", "/caseload?filter=overdue-first-response&sort=due", navigator),
                ("inbox", "/inbox", partner),
                ("inbox open", "/inbox?filter=open", partner)
            ], host: host, port: port, requests: requests, title: "thaw-load pages (\(label))")
        // The same pages in French: each literal run is looked up in the catalogue as it is drawn.
        for session in [navigator, partner] { try await chooseFrench(session) }
        try await measurePages(
            [("healthz", "/healthz", ""), ("caseload (fr)", "/caseload", navigator), ("inbox (fr)", "/inbox", partner)],
            host: host, port: port, requests: requests, title: "thaw-load pages in French (\(label))")
    }

    /// Switches a session's person to French the way the header's button does.
    private func chooseFrench(_ session: String) async throws {
        try await TestClient.withClient(host: host, port: port) { client in
            let cookie: HTTPFields = [.cookie: "thaw_session=" + session]
            let page = try await client.execute(.init("/notifications", method: .get, headers: cookie))
            let html = String(buffer: page.body ?? ByteBuffer())
            guard let at = html.range(of: "name=\"_csrf\" value=\"") else { throw ValidationError("no CSRF token on the page") }
            let csrf = html[at.upperBound...].prefix { $0 != "\"" }
            var headers = cookie
            headers[.contentType] = "application/x-www-form-urlencoded"
            let response = try await client.execute(
                .init("/language", method: .post, headers: headers, body: ByteBuffer(string: "language=fr&back=%2F&_csrf=\(csrf)")))
            guard response.status.code == 303 else { throw ValidationError("choosing French answered \(response.status.code)") }
        }
    }
}

/// Times each page one request at a time over one keep-alive connection (after a
/// warm-up) and prints p50, p95 and p99; `session` is a browser session cookie, or empty.
func measurePages(_ pages: [(name: String, path: String, session: String)], host: String, port: Int, requests: Int, title: String) async throws {
    let recorder = Recorder()
    let bytes = try await TestClient.withClient(host: host, port: port) { client in
        var bytes: [String: Int] = [:]
        for (name, path, session) in pages {
            let headers: HTTPFields = session.isEmpty ? [:] : [.cookie: "thaw_session=" + session]
            // Warm up (fewer times for pages measured only a few times: they are the slow ones). The first
            // request is timed on its own: what the first visitor after a start (or a rebuild) waits.
            _ = try await recorder.time(name + " first", 200) { try await client.execute(.init(path, method: .get, headers: headers)) }
            for _ in 1..<min(20, max(2, requests / 5)) { _ = try await client.execute(.init(path, method: .get, headers: headers)) }
            for _ in 0..<requests {
                let response = try await recorder.time(name, 200) { try await client.execute(.init(path, method: .get, headers: headers)) }
                bytes[name] = response.body?.readableBytes ?? 0
            }
        }
        return bytes
    }
    print("== \(title), \(requests) sequential requests per page, one connection")
    for (name, _, _) in pages {
        print(
            "\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) p50 \(recorder.ms(name, 0.50)) ms  p95 \(recorder.ms(name, 0.95)) ms  p99 \(recorder.ms(name, 0.99)) ms  first \(recorder.ms(name + " first", 0.5)) ms  (\(bytes[name] ?? 0) bytes)"
        )
    }
    print("errors: \(recorder.errors)")
}
