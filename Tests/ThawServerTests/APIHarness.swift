import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// A JSON reply, parsed loosely so tests can look at any field.
struct Reply {
    let status: Int
    let headers: HTTPFields
    let text: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    subscript(_ key: String) -> Any? { json[key] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var etag: String { headers[.eTag] ?? "" }
    var problemField: String? { ((json["errors"] as? [[String: Any]])?.first)?["field"] as? String }
    var problemRule: String? { ((json["errors"] as? [[String: Any]])?.first)?["rule"] as? String }
}

/// Calls the API as one of the world's people, by bearer token.
struct API: Sendable {
    let client: any TestClientProtocol
    let tokens: [String: String]

    func call(
        _ method: HTTPRequest.Method, _ path: String, as who: String? = nil, json: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        if let who { headers[.authorization] = "Bearer " + tokens[who]! }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: path, method: method, headers: headers,
            body: json.map { ByteBuffer(string: $0) })
        return Reply(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
    }

    func referral(_ world: World, as who: String = "navigator", key: String? = nil, body: String? = nil) async throws -> Reply {
        try await call(
            .post, "/api/v1/referrals", as: who,
            json: body
                ?? #"{"clientId":"\#(world.client.id)","serviceId":"\#(world.housingService.id)","needCategory":"housing","note":"urgent housing"}"#,
            headers: key.map { [HTTPField.Name("Idempotency-Key")!: $0] } ?? [:])
    }

    func status(_ id: String, _ status: String, as who: String, etag: String, extra: String = "") async throws -> Reply {
        try await call(.post, "/api/v1/referrals/\(id)/status", as: who, json: #"{"status":"\#(status)"\#(extra)}"#, headers: [.ifMatch: etag])
    }
}

/// A fresh SQLite world, tokens for its people, and the app under test.
func withAPI(
    bcryptCost: UInt8 = 4, backend: Backend = .sqlite, configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (API, World) async throws -> Void
) async throws {
    try await withDatabase(backend) { db in
        let world = try await World.make(db.database)
        var tokens: [String: String] = [:]
        let people: [(String, Actor)] = [
            ("navigator", world.navigator), ("clinician", world.clinician),
            ("clinicAdmin", world.clinicAdmin), ("clinicLead", world.clinicLead), ("networkAdmin", world.networkAdmin),
            ("housing", world.housingStaff), ("food", world.foodStaff), ("unrelated", world.unrelatedStaff)
        ]
        for (name, actor) in people {
            tokens[name] = try await world.store.createToken(user: actor.userId, name: name, expiresAt: nil, by: nil).secret
        }
        var configuration = ServerConfiguration(bcryptCost: bcryptCost, maxBodyBytes: 64 * 1024, logLevel: .error)
        configure(&configuration)
        let app = Application(router: buildRouter(configuration: configuration, store: world.store))
        let finalTokens = tokens
        try await app.test(.router) { client in try await body(API(client: client, tokens: finalTokens), world) }
    }
}
