import Foundation
import HTTPTypes
import Hummingbird
import Testing
import ThawCore
@testable import ThawServer
import ThawStorage
import ThawTestSupport

@Suite struct APIBehaviourTests {
    @Test func idempotentCreateReplaysTheFirstResult() async throws {
        try await withAPI { api, w in
            let first = try await api.referral(w, key: "abc-123")
            let second = try await api.referral(w, key: "abc-123")
            #expect(first.status == 201 && second.status == 200)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(first["id"] as? String == second["id"] as? String)
            let different = try await api.referral(
                w, key: "abc-123", body: #"{"clientId":"\#(w.client.id)","serviceId":"\#(w.housingService.id)","needCategory":"housing"}"#)
            #expect(different.status == 422 && different.problemField == "Idempotency-Key")
            #expect(try await w.count("referrals") == 1)
        }
    }

    @Test func concurrentConflictingUpdatesOverHTTPHaveOneWinnerAndOne412() async throws {
        try await withAPI { api, w in
            for _ in 0..<5 {
                let created = try await api.referral(w)
                let id = created["id"] as! String
                async let accept = api.status(id, "accepted", as: "housing", etag: created.etag)
                async let cancel = api.status(id, "cancelled", as: "navigator", etag: created.etag, extra: #","reason":"client moved""#)
                let statuses = try await [accept.status, cancel.status].sorted()
                #expect(statuses == [200, 412])
                let timeline = try await api.call(.get, "/api/v1/referrals/\(id)/timeline", as: "navigator")
                #expect(timeline.items.filter { $0["kind"] as? String == "referral.status-changed" }.count == 1)
            }
        }
    }

    @Test func wholeLoopWithMessagesReceiptsAndTimeline() async throws {
        try await withAPI { api, w in
            let created = try await api.referral(w)
            let id = created["id"] as! String
            #expect(created["clientId"] as? String == w.client.id.raw)  // API names are camelCase with "Id"
            let accepted = try await api.status(id, "accepted", as: "housing", etag: created.etag)
            let step = try await api.call(
                .post, "/api/v1/referrals/\(id)/business-status", as: "housing",
                json: #"{"businessStatus":"enrolled"}"#, headers: [.ifMatch: accepted.etag])
            #expect(step.status == 200 && step["businessStatus"] as? String == "enrolled")
            let message = try await api.call(.post, "/api/v1/referrals/\(id)/messages", as: "housing", json: #"{"body":"Enrolled today"}"#)
            #expect(message.status == 201)
            let messageId = message["id"] as! String
            let receipt = try await api.call(.post, "/api/v1/referrals/\(id)/messages/\(messageId)/read", as: "navigator")
            #expect(receipt["readAt"] != nil)
            let done = try await api.status(
                id, "completed", as: "housing", etag: step.etag,
                extra: #","outcome":{"code":"need-met","summary":"Housed in a one-bedroom unit"}"#)
            #expect(done.status == 200 && (done["outcome"] as? [String: Any])?["code"] as? String == "need-met")
            let detail = try await api.call(.get, "/api/v1/referrals/\(id)", as: "navigator")
            #expect((detail["allowedStatuses"] as? [String]) == ["entered-in-error"])
            let timeline = try await api.call(.get, "/api/v1/referrals/\(id)/timeline", as: "housing")
            #expect(
                timeline.items.compactMap { $0["kind"] as? String } == [
                    "referral.created", "referral.status-changed",
                    "referral.business-status", "referral.message-sent", "referral.message-read", "referral.status-changed"
                ])
            let inbox = try await api.call(.get, "/api/v1/referrals?view=inbox&status=completed", as: "housing")
            #expect(inbox.items.count == 1)
        }
    }

    @Test func openAPIDocumentDescribesExactlyTheRoutes() async throws {
        try await withAPI { api, w in
            let doc = try await api.call(.get, "/api/v1/openapi.json")
            #expect(doc.status == 200 && doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let router = buildRouter(configuration: ServerConfiguration(), store: w.store)
            let routed = Set(
                router.routes.map { route -> String in
                    let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(
                        separator: "/")
                    return "\(route.method.rawValue) /\(path)"
                }.filter { $0.contains("/api/v1/") })
            #expect(documented == routed)
            #expect(
                documented.count
                    == router.routes.filter { $0.path.description.hasPrefix("api/v1/") || $0.path.description.hasPrefix("/api/v1/") }.count)
        }
    }

    @Test func operationsEndpointsAnswer() async throws {
        try await withAPI { api, w in
            #expect(try await api.call(.get, "/healthz").status == 200)
            #expect(try await api.call(.get, "/readyz").status == 200)
            let created = try await api.referral(w)
            _ = try await api.status(created["id"] as! String, "accepted", as: "housing", etag: created.etag)
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains(#"thaw_referral_transitions_total{to="accepted"} 1"#))
            #expect(metrics.text.contains("thaw_http_request_duration_seconds_bucket"))
            #expect(!metrics.text.contains(w.client.id.raw))
            #expect(created.headers[HTTPField.Name("X-Request-Id")!]?.hasPrefix("req_") == true)
        }
    }

    @Test func directorySearchFiltersByNeedLanguageAndCapacity() async throws {
        try await withAPI { api, w in
            let names = { (r: Reply) in r.items.compactMap { $0["name"] as? String } }
            #expect(names(try await api.call(.get, "/api/v1/services?need=housing", as: "navigator")) == ["Hampers", "Rapid Rehousing"])
            #expect(names(try await api.call(.get, "/api/v1/services?need=housing&language=fr", as: "navigator")) == ["Hampers"])
            #expect(names(try await api.call(.get, "/api/v1/services?q=rehous", as: "navigator")) == ["Rapid Rehousing"])
            let closed = try await api.call(.patch, "/api/v1/services/\(w.housingService.id)", as: "housing", json: #"{"capacity":"closed"}"#)
            #expect(closed.status == 200)
            #expect(
                try await api.call(.patch, "/api/v1/services/\(w.housingService.id)", as: "food", json: #"{"capacity":"accepting"}"#).status == 404)
            #expect(names(try await api.call(.get, "/api/v1/services?need=housing", as: "navigator")) == ["Hampers"])
            #expect(names(try await api.call(.get, "/api/v1/services?capacity=closed", as: "navigator")) == ["Rapid Rehousing"])
            let refused = try await api.referral(w)
            #expect(refused.status == 422 && refused.problemRule == "capacity")
        }
    }
}
