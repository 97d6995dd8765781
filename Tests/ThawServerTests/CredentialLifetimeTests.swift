import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// A bearer token's caller is found afresh for every request: a token revoked,
/// expired or deactivated elsewhere (another server, the CLI) fails the very next
/// request, on every kind of route, and nothing is written for it; roles changed
/// elsewhere are the ones the next request is judged by.
@Suite struct CredentialLifetimeTests {
    /// A world, an app over its store, and a second store on the same database
    /// standing for another process.
    private func withApp(
        _ backend: Backend,
        _ body: @Sendable (API, World, _ elsewhere: ThawStore) async throws -> Void
    ) async throws {
        try await withDatabase(backend) { db in
            let world = try await World.make(db.database)
            let elsewhereDatabase = try await db.reopen()
            let elsewhere = ThawStore(database: elsewhereDatabase, clock: world.clock)
            let configuration = ServerConfiguration(bcryptCost: 4, maxBodyBytes: 64 * 1024, logLevel: .error)
            let app = Application(router: buildRouter(configuration: configuration, store: world.store))
            do {
                try await app.test(.router) { client in try await body(API(client: client, tokens: [:]), world, elsewhere) }
                try await elsewhereDatabase.close()
            } catch {
                try? await elsewhereDatabase.close()
                throw error
            }
        }
    }

    private func token(_ world: World, _ actor: Actor, expiresAt: Timestamp? = nil) async throws -> (id: ID<APIToken>, secret: String) {
        let (token, secret) = try await world.store.createToken(user: actor.userId, name: "t", expiresAt: expiresAt, by: nil)
        return (token.id, secret)
    }

    private func call(_ api: API, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [.authorization: "Bearer " + token]
        if json != nil { headers[.contentType] = "application/json" }
        return try await api.call(method, path, json: json, headers: headers)
    }

    @Test(arguments: Backend.available)
    func aTokenRevokedElsewhereFailsItsNextRequestOnEveryKindOfRoute(_ backend: Backend) async throws {
        try await withApp(backend) { api, w, elsewhere in
            // One token per kind of route, each used once before it is revoked.
            let reader = try await token(w, w.navigator), writer = try await token(w, w.navigator), me = try await token(w, w.navigator)
            let create = #"{"clientId":"\#(w.client.id)","serviceId":"\#(w.housingService.id)","needCategory":"housing"}"#
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: reader.secret).status == 200)
            #expect(try await call(api, .post, "/api/v1/referrals", token: writer.secret, json: create).status == 201)
            #expect(try await call(api, .get, "/api/v1/me", token: me.secret).status == 200)
            // A second use works as the first.
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: reader.secret).items.count == 1)

            for token in [reader, writer, me] { try await elsewhere.revokeToken(token.id, by: nil) }
            let referrals = try await w.count("referrals"), ledger = try await w.count("activity")

            let read = try await call(api, .get, "/api/v1/referrals?view=caseload", token: reader.secret)
            #expect(read.status == 401, "\(read.text)")
            #expect(read.text.contains("revoked"))
            #expect(try await call(api, .post, "/api/v1/referrals", token: writer.secret, json: create).status == 401)
            #expect(try await call(api, .get, "/api/v1/me", token: me.secret).status == 401)
            #expect(try await w.count("referrals") == referrals)
            // The refused write left no ledger entry; the revocations themselves are the only new ones.
            #expect(try await w.count("activity") == ledger)
        }
    }

    @Test(arguments: Backend.available)
    func aDeactivatedUserOrAnExpiredTokenFailsTheNextRequest(_ backend: Backend) async throws {
        try await withApp(backend) { api, w, elsewhere in
            let lasting = try await token(w, w.navigator)
            let brief = try await token(w, w.housingStaff, expiresAt: w.clock.now().adding(seconds: 60))
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: lasting.secret).status == 200)
            #expect(try await call(api, .get, "/api/v1/referrals?view=inbox", token: brief.secret).status == 200)

            w.clock.advance(seconds: 120)
            #expect(try await call(api, .get, "/api/v1/referrals?view=inbox", token: brief.secret).status == 401)
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: lasting.secret).status == 200)

            _ = try await elsewhere.updateUser(w.navigator.userId, roles: nil, active: false, by: w.clinicAdmin)
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: lasting.secret).status == 401)
        }
    }

    @Test(arguments: Backend.available)
    func rolesChangedElsewhereAreTheOnesTheNextRequestIsJudgedBy(_ backend: Backend) async throws {
        try await withApp(backend) { api, w, elsewhere in
            let navigator = try await token(w, w.navigator)
            #expect(try await call(api, .get, "/api/v1/referrals?view=caseload", token: navigator.secret).status == 200)

            // Elsewhere the navigator becomes an administrator only, who keeps no caseload and may not refer.
            _ = try await elsewhere.updateUser(w.navigator.userId, roles: [.administrator], active: nil, by: w.clinicAdmin)
            let me = try await call(api, .get, "/api/v1/me", token: navigator.secret)
            #expect((me["user"] as? [String: Any])?["roles"] as? [String] == ["administrator"])
            let referrals = try await w.count("referrals")
            let create = #"{"clientId":"\#(w.client.id)","serviceId":"\#(w.housingService.id)","needCategory":"housing"}"#
            let refused = try await call(api, .post, "/api/v1/referrals", token: navigator.secret, json: create)
            #expect(refused.status == 403, "\(refused.text)")
            #expect(try await w.count("referrals") == referrals)
        }
    }
}
