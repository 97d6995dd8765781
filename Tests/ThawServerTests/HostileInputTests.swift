import Foundation
import HTTPTypes
import Hummingbird
import Testing
import ThawCore
@testable import ThawServer
import ThawStorage
import ThawTestSupport

/// Input an attacker or a careless client sends, each answered with a 4xx that
/// names the problem, and nothing stored but what was acknowledged.
@Suite struct HostileInputTests {
    /// The holes that trapped the whole process: dates one day outside the calendar, and weights no Int can hold.
    @Test func climateQueriesAtTheEdgesOfTheCalendarAre400s() async throws {
        try await withWeb { browsers, w, client in
            let lead = try await w.store.createToken(user: w.clinicLead.userId, name: "t", expiresAt: nil, by: nil).secret
            let pair = "\(w.clinic.id)/\(w.housing.id)"
            for query in [
                "/api/v1/climate/pairs/\(pair)?from=0001-01&to=0002-01", "/api/v1/climate/pairs/\(pair)?from=9999-06&to=9999-12-31",
                "/api/v1/climate/network?from=9999-06&to=9999-12-31", "/api/v1/climate/pairs/\(pair)?weights=continuity:1e308",
                "/api/v1/climate/network?weights=continuity:inf", "/api/v1/climate/cooling?weights=continuity:-0.0001"
            ] {
                let response = try await client.execute(uri: query, method: .get, headers: [.authorization: "Bearer \(lead)"], body: nil)
                #expect(response.status == .badRequest, "\(query)")
                #expect(String(buffer: response.body).contains("\"field\""), "\(query)")
            }
            for page in [
                "/climate?weights=continuity:1e308", "/climate/pairs/\(pair)?weights=continuity:1e308", "/climate?at=9999-12",
                "/climate/pairs/\(pair)?at=0001-01", "/partnership/with/\(w.housing.id)?from=0001-01-01&to=9999-12-31"
            ] {
                let status = try await browsers["clinicLead"]!.get(page).status
                #expect(status == 400, "\(page)")
            }
        }
    }

    @Test(arguments: Backend.available)
    func aNulCharacterIsRefusedNamingItsFieldAndNothingIsStored(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let before = try await w.count("clients")
            let reply = try await api.call(.post, "/api/v1/clients", as: "navigator", json: #"{"givenName":"a\u0000b","familyName":"B"}"#)
            #expect(reply.status == 422 && reply.problemField == "givenName" && reply.problemRule == "no-nul-character")
            let nested = try await api.call(
                .post, "/api/v1/clients/\(w.client.id)/screenings", as: "navigator",
                json: #"{"answers":{"hous\u0000ing":"yes"}}"#)
            #expect(nested.status == 422 && nested.problemField == "answers.hous\u{0}ing")
            let query = try await api.call(.get, "/api/v1/clients?name=a%00b", as: "navigator")
            #expect(query.status == 400 && query.problemField == "name")
            #expect(try await w.count("clients") == before)
            // The storage layer refuses it too, whatever the caller: nothing is ever stored cut short.
            await #expect(throws: ThawError.self) {
                _ = try await w.store.scoped(to: w.navigator).createClient(NewClient(givenName: "a\u{0}b", familyName: "B"))
            }
            #expect(try await w.count("clients") == before)
            // Other control characters are text like any other, stored and returned exactly.
            let tabbed = try await api.call(.post, "/api/v1/clients", as: "navigator", json: #"{"givenName":"a\tb\u0001c","familyName":"B"}"#)
            #expect(tabbed.status == 201 && tabbed["givenName"] as? String == "a\tb\u{1}c")
        }
    }

    @Test func aNulCharacterInAFormIsRefusedNamingItsField() async throws {
        try await withWeb { browsers, w, _ in
            let before = try await w.count("clients")
            let page = try await browsers["navigator"]!.post("/clients", [("action", "create"), ("givenName", "a\u{0}b"), ("familyName", "B")])
            #expect(page.status == 422 && page.contains("givenName may not contain the NUL character"))
            #expect(try await w.count("clients") == before)
        }
    }

    /// Two creates with one key at once: on PostgreSQL they run in parallel and the second's
    /// insert collides with the first's key; both must answer with the one referral.
    @Test(arguments: Backend.available)
    func concurrentCreatesWithOneKeyGiveOneReferral(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let navigator = w.store.scoped(to: w.navigator)
            let input = NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, note: "once")
            for round in 0..<5 {
                let results = try await withThrowingTaskGroup(of: (Referral, Bool).self) { group in
                    for _ in 0..<6 { group.addTask { try await navigator.createReferral(input, idempotencyKey: "same-\(round)") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(results.map(\.0.id)).count == 1, "round \(round)")
                #expect(results.filter { !$0.1 }.count == 1, "round \(round): exactly one created, the rest replayed")
            }
            #expect(try await w.count("referrals") == 5)
        }
    }

    @Test func limitsFollowOneRuleEverywhere() async throws {
        try await withAPI { api, _ in
            for path in [
                "/api/v1/clients?limit=-1", "/api/v1/clients?limit=abc", "/api/v1/clients?limit=1.5", "/api/v1/referrals?limit=0",
                "/api/v1/referrals?limit=99999999999999999999", "/api/v1/commitments?dueWithinDays=-1"
            ] {
                let reply = try await api.call(.get, path, as: "navigator")
                #expect(reply.status == 400 && reply.problemRule == "range", "\(path)")
            }
        }
    }

    @Test func everyProblemNamesWhatItIsAbout() async throws {
        try await withAPI { api, w in
            let created = try await api.referral(w)
            let id = try #require(created["id"] as? String)
            // 403: the wrong side; 409: an illegal move; 404; 412; 428; 405: each with errors[] naming a field.
            let wrongSide = try await api.status(id, "accepted", as: "navigator", etag: created.etag)
            #expect(wrongSide.status == 403 && wrongSide.problemField == "status" && wrongSide.problemRule == "allowed")
            let illegal = try await api.status(
                id, "completed", as: "housing", etag: created.etag,
                extra: #","outcome":{"code":"need-met","summary":"x"}"#)
            #expect(illegal.status == 409 && illegal.problemField == "status" && illegal.problemRule == "illegal-transition")
            let missing = try await api.call(.get, "/api/v1/referrals/ref_0", as: "navigator")
            #expect(missing.status == 404 && missing.problemField == "path")
            let stale = try await api.status(id, "cancelled", as: "navigator", etag: "\"9\"", extra: #","reason":"x""#)
            #expect(stale.status == 412 && stale.problemField == "If-Match")
            let method = try await api.call(.put, "/api/v1/referrals/\(id)", as: "navigator")
            #expect(method.status == 405 && method.headers[.allow] == "GET, HEAD, PATCH" && method.problemField == "method")
            let unknownPath = try await api.call(.put, "/api/v1/nothing-here", as: "navigator")
            #expect(unknownPath.status == 404)
            // Fields are named as the request names them.
            let lead = try await w.addPerson(w.housing, "lead@housing.hostile", [.partnershipLead])
            let committee = try await w.store.scoped(to: w.clinicLead).createCommittee(
                NewCommittee(
                    name: "C", purpose: "", decisionRule: .consensus,
                    quorum: 1, memberOrganizationIds: [w.clinic.id, w.housing.id]))
            let meeting = try await api.call(
                .post, "/api/v1/committees/\(committee.id)/meetings", as: "clinicLead",
                json: #"{"heldAt":"2026-01-05T09:00:00Z","agenda":["a"],"attendeeIds":["\#(w.unrelatedStaff.userId)"]}"#)
            #expect(meeting.status == 422 && meeting.problemField == "attendeeIds")
            _ = lead
        }
    }

    @Test func theDocumentedStatusesIncludeEveryRefusalARouteGives() async throws {
        try await withAPI { api, _ in
            let document = try await api.call(.get, "/api/v1/openapi.json")
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            for (path, method) in [
                ("/api/v1/clients/{clientId}/consents/{consentId}/revoke", "post"), ("/api/v1/users", "post"),
                ("/api/v1/referrals/{referralId}/claim", "post"), ("/api/v1/referrals/{referralId}/messages", "post")
            ] {
                let responses = try #require(paths[path]?[method]?["responses"] as? [String: Any], "\(path)")
                #expect(responses["409"] != nil, "\(path)")
            }
            // Optional request fields may be sent as null (read as absent); required ones may not.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            let newClient = try #require(schemas["NewClient"]?["properties"] as? [String: [String: Any]])
            #expect(newClient["phone"]?["anyOf"] != nil)
            #expect(newClient["givenName"]?["anyOf"] == nil)
        }
    }
}

/// A live-update stream lives no longer than the access it was opened with.
@Suite struct LiveStreamAccessTests {
    /// Waits for `operation` at most `seconds`; nil if it did not finish by then.
    static func within<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds)); return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Waits until the stream just opened has subscribed (a busy machine may take longer than any fixed pause).
    static func untilSubscribed(_ count: Int, _ feed: ChangeFeed) async throws {
        for _ in 0..<500 where feed.subscriberCount < count { try await Task.sleep(for: .milliseconds(10)) }
    }

    /// Waits until a stream that has ended has let go of its subscription, so that the next
    /// `untilSubscribed` counts the stream opened after it, not the one before.
    static func untilUnsubscribed(_ feed: ChangeFeed) async throws {
        for _ in 0..<500 where feed.subscriberCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(feed.subscriberCount == 0, "an ended stream still holds its subscription")
    }

    @Test func aStreamEndsWhenItsSessionSignsOutOrItsUserIsDeactivated() async throws {
        try await withWeb { browsers, w, _ in
            // Signing out ends the stream at once (long before its ten minutes).
            let navigator = browsers["navigator"]!
            async let stream = Self.within(5) { try await navigator.get("/events") }
            try await Self.untilSubscribed(1, w.store.changes)
            #expect(try await navigator.post("/sign-out", []).status == 303)
            let ended = try await stream
            #expect(ended?.status == 200 && ended?.contains(": connected") == true)
            try await Self.untilUnsubscribed(w.store.changes)
            // Deactivation by the organisation's administrator ends every stream of that user.
            let housingAdmin = try await w.addPerson(w.housing, "admin@housing.stream", [.administrator])
            let housing = browsers["housing"]!
            async let other = Self.within(5) { try await housing.get("/events") }
            try await Self.untilSubscribed(1, w.store.changes)
            _ = try await w.store.updateUser(w.housingStaff.userId, roles: nil, active: false, by: housingAdmin)
            #expect(try await other?.status == 200)
            // A stream of someone else goes on: the food bank's stays open past the wait.
            let food = browsers["food"]!
            #expect(try await Self.within(1) { try await food.get("/events") } == nil)
        }
    }
}
