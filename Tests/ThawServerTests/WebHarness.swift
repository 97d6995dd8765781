import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// A page as a browser would get it.
struct Page {
    let status: Int
    let headers: HTTPFields
    let html: String
    var location: String? { headers[.location] }
    func contains(_ text: String) -> Bool { html.contains(text) }

    /// Every href and form action on the page.
    var links: [String] {
        let pattern = try! NSRegularExpression(pattern: #"(?:href|action)="([^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).map { String(html[$0]) }
        }
    }

    /// The hidden `version` of the first form with this action value.
    func version(of action: String) -> String? {
        guard let at = html.range(of: "name=\"action\" value=\"\(action)\"") else { return nil }
        let rest = html[at.upperBound...]
        guard let v = rest.range(of: "name=\"version\" value=\"") else { return nil }
        return String(rest[v.upperBound...].prefix { $0 != "\"" })
    }
}

/// A signed-in browser session for one of the world's people.
struct Browser: Sendable {
    let client: any TestClientProtocol
    let cookie: String?
    let csrf: String

    func get(_ path: String) async throws -> Page {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = "thaw_session=" + cookie }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        return Page(status: response.status.code, headers: response.headers, html: String(buffer: response.body))
    }

    /// Posts a form; `_csrf` is added unless `csrf: false`.
    func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true, extraCookie: String? = nil) async throws -> Page {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let cookies = [cookie.map { "thaw_session=" + $0 }, extraCookie].compactMap { $0 }
        if !cookies.isEmpty { headers[.cookie] = cookies.joined(separator: "; ") }
        var all = fields
        if csrf { all.append(("_csrf", self.csrf)) }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = all.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return Page(status: response.status.code, headers: response.headers, html: String(buffer: response.body))
    }
}

/// A fresh world and browsers signed in as its people.
func withWeb(backend: Backend = .sqlite, _ body: @Sendable ([String: Browser], World, any TestClientProtocol) async throws -> Void) async throws {
    try await withDatabase(backend) { db in
        let world = try await World.make(db.database)
        let configuration = ServerConfiguration(bcryptCost: 4, maxBodyBytes: 64 * 1024, logLevel: .error)
        let app = Application(router: buildRouter(configuration: configuration, store: world.store))
        let people: [(String, Actor)] = [
            ("navigator", world.navigator), ("clinicAdmin", world.clinicAdmin), ("clinicLead", world.clinicLead),
            ("networkAdmin", world.networkAdmin),
            ("housing", world.housingStaff), ("food", world.foodStaff), ("unrelated", world.unrelatedStaff)
        ]
        var sessions: [String: (String, String)] = [:]
        for (name, actor) in people {
            let session = try await world.store.startSession(user: actor.userId, lifetimeSeconds: 90 * 86_400)  // outlives the clock moves in tests
            sessions[name] = (session.secret, session.csrf)
        }
        let finalSessions = sessions
        try await app.test(.router) { client in
            let browsers = finalSessions.mapValues { Browser(client: client, cookie: $0.0, csrf: $0.1) }
            try await body(browsers, world, client)
        }
    }
}
