import Foundation
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@Suite("Partnership API: bad input and access")
struct PartnershipAPITests {
    /// A partnership lead with a bearer token in each of the world's organisations.
    func leadTokens(_ w: World) async throws -> [String: String] {
        var tokens: [String: String] = [:]
        for (name, org) in [("clinic", w.clinic), ("housing", w.housing), ("food", w.food), ("unrelated", w.unrelated)] {
            let user = try await w.store.createUser(
                NewUser(
                    organizationId: org.id, email: "lead@\(name).api", displayName: "Lead \(name)",
                    roles: [.partnershipLead], password: "correct horse battery"), passwordHash: "x")
            tokens[name] = try await w.store.createToken(user: user.id, name: "t", expiresAt: nil, by: nil).secret
        }
        return tokens
    }

    @Test("votes: a non-member, a second vote and a decision without quorum get clear 4xx, and nothing is half written")
    func decisions() async throws {
        try await withAPI { api, w in
            let leads = try await leadTokens(w)
            let a = API(client: api.client, tokens: leads)
            let created = try await a.call(
                .post, "/api/v1/committees", as: "clinic",
                json: """
                    {"name":"Council","purpose":"Shared governance","decisionRule":"sector-parity","quorum":2,
                     "memberOrganizationIds":["\(w.clinic.id)","\(w.housing.id)","\(w.food.id)"]}
                    """)
            #expect(created.status == 201)
            let committeeId = (created["committee"] as? [String: Any])?["id"] as? String ?? ""
            #expect(try await a.call(.get, "/api/v1/committees/\(committeeId)", as: "unrelated").status == 404)
            let motion = try await a.call(.post, "/api/v1/committees/\(committeeId)/decisions", as: "clinic", json: #"{"motion":"Hire a liaison"}"#)
            let decisionId = motion["id"] as? String ?? ""
            #expect(try await a.call(.post, "/api/v1/decisions/\(decisionId)/votes", as: "clinic", json: #"{"choice":"approve"}"#).status == 201)
            let second = try await a.call(.post, "/api/v1/decisions/\(decisionId)/votes", as: "clinic", json: #"{"choice":"reject"}"#)
            #expect(second.status == 409)
            #expect((second["type"] as? String)?.hasSuffix("already-voted") == true)
            #expect(try await a.call(.post, "/api/v1/decisions/\(decisionId)/votes", as: "unrelated", json: #"{"choice":"approve"}"#).status == 404)
            let bad = try await a.call(.post, "/api/v1/decisions/\(decisionId)/votes", as: "housing", json: #"{"choice":"maybe"}"#)
            #expect(bad.status == 400 && bad.problemField == "choice")
            let thin = try await a.call(.post, "/api/v1/decisions/\(decisionId)/close", as: "clinic")
            #expect(thin.status == 422 && thin.problemField == "quorum")
            let log = try await a.call(.get, "/api/v1/committees/\(committeeId)/decisions", as: "housing")
            #expect((log.items.first?["status"] as? String) == "open")
            #expect((log.items.first?["votes"] as? [Any])?.count == 1)
            _ = try await a.call(.post, "/api/v1/decisions/\(decisionId)/votes", as: "housing", json: #"{"choice":"approve"}"#)
            let decided = try await a.call(.post, "/api/v1/decisions/\(decisionId)/close", as: "clinic")
            #expect(decided.status == 200 && decided["status"] as? String == "failed")  // social care: 1 of 2 approved
        }
    }

    @Test("consultations cannot close with open items; commitments cannot be due in the past; threads stay private")
    func consultationsCommitmentsThreads() async throws {
        try await withAPI { api, w in
            let leads = try await leadTokens(w)
            let a = API(client: api.client, tokens: leads)
            let consultation = try await a.call(
                .post, "/api/v1/consultations", as: "clinic",
                json: """
                    {"title":"Billing codes","proposal":"Add navigation codes","invitedOrganizationIds":["\(w.housing.id)"],"deadline":"2026-02-01"}
                    """)
            #expect(consultation.status == 201)
            let id = (consultation["consultation"] as? [String: Any])?["id"] as? String ?? ""
            #expect(try await a.call(.get, "/api/v1/consultations/\(id)", as: "food").status == 404)
            let item = try await a.call(.post, "/api/v1/consultations/\(id)/feedback", as: "housing", json: #"{"text":"Count form-filling time"}"#)
            #expect(item.status == 201)
            let closing = try await a.call(.post, "/api/v1/consultations/\(id)/close", as: "clinic")
            #expect(closing.status == 409 && (closing["type"] as? String)?.hasSuffix("unanswered-feedback") == true)
            let answer = try await a.call(
                .post, "/api/v1/consultations/\(id)/feedback/\(item["id"] as? String ?? "")/answer", as: "clinic",
                json: #"{"response":"adapted","text":"Added as a modifier"}"#)
            #expect(answer.status == 200)
            #expect(try await a.call(.post, "/api/v1/consultations/\(id)/close", as: "clinic").status == 200)

            let past = try await a.call(
                .post, "/api/v1/commitments", as: "clinic",
                json: """
                    {"toOrganizationId":"\(w.housing.id)","what":"Send PPE","context":"meeting","dueOn":"2025-12-01"}
                    """)
            #expect(past.status == 422 && past.problemField == "dueOn" && past.problemRule == "not-in-past")
            let badDate = try await a.call(
                .post, "/api/v1/commitments", as: "clinic",
                json: """
                    {"toOrganizationId":"\(w.housing.id)","what":"Send PPE","context":"meeting","dueOn":"2026-02-30"}
                    """)
            #expect(badDate.status == 400)
            #expect(try await w.count("commitments") == 0)
            let made = try await a.call(
                .post, "/api/v1/commitments", as: "clinic",
                json: """
                    {"toOrganizationId":"\(w.housing.id)","what":"Send PPE","context":"meeting","dueOn":"2026-01-20"}
                    """)
            #expect(made.status == 201 && made.etag == "\"1\"")
            let noMatch = try await a.call(
                .post, "/api/v1/commitments/\(made["id"] as? String ?? "")/changes", as: "clinic",
                json: #"{"action":"keep","evidence":"Delivered"}"#)
            #expect(noMatch.status == 428)

            let thread = try await a.call(
                .post, "/api/v1/threads", as: "clinic",
                json: #"{"subject":"Coffee?","participantIds":["\#(w.housingStaff.userId)"],"message":"Next week?"}"#)
            #expect(thread.status == 201)
            let threadId = (thread["thread"] as? [String: Any])?["id"] as? String ?? ""
            #expect(try await api.call(.get, "/api/v1/threads/\(threadId)", as: "housing").status == 200)
            #expect(try await api.call(.get, "/api/v1/threads/\(threadId)", as: "clinicAdmin").status == 404)
        }
    }

    @Test("roles: an end before the start and overlapping single-holder terms get clear 4xx; nothing is half written")
    func roles() async throws {
        try await withAPI { api, w in
            let a = API(client: api.client, tokens: try await leadTokens(w))
            let backwards = try await a.call(
                .post, "/api/v1/roles", as: "clinic",
                json: """
                    {"title":"Executive director","holderName":"Ada","singleHolder":true,"leadership":true,"startsOn":"2022-03-01","endsOn":"2022-01-01"}
                    """)
            #expect(backwards.status == 422 && backwards.problemField == "endsOn" && backwards.problemRule == "after-start")
            let first = try await a.call(
                .post, "/api/v1/roles", as: "clinic",
                json: """
                    {"title":"Executive director","holderName":"Ada","singleHolder":true,"leadership":true,"startsOn":"2021-01-01"}
                    """)
            #expect(first.status == 201)
            let events = try await w.count("outside_events")
            let overlap = try await a.call(
                .post, "/api/v1/roles", as: "clinic",
                json: """
                    {"title":"Executive director","holderName":"Grace","singleHolder":true,"leadership":true,"startsOn":"2022-03-01"}
                    """)
            #expect(overlap.status == 409 && (overlap["type"] as? String)?.hasSuffix("overlapping-term") == true)
            let holdings = try await w.count("role_holdings"), eventsAfter = try await w.count("outside_events")
            #expect(holdings == 1 && eventsAfter == events)
            let listed = try await a.call(.get, "/api/v1/roles?organizationId=\(w.clinic.id)", as: "housing")
            #expect(listed.items.count == 1)
            let stale = try await a.call(
                .post, "/api/v1/funding", as: "clinic",
                json: """
                    {"title":"Pilot","purpose":"Navigator","amountCents":-5,"partyOrganizationIds":["\(w.clinic.id)","\(w.housing.id)"],
                     "startsOn":"2026-01-01","endsOn":"2026-12-31"}
                    """)
            #expect(stale.status == 422 && stale.problemField == "amountCents")
        }
    }

    @Test("surveys: an answer out of range, an unknown item and a second answer get clear 4xx")
    func surveys() async throws {
        try await withAPI { api, w in
            let a = API(client: api.client, tokens: try await leadTokens(w))
            let round = try await a.call(
                .post, "/api/v1/surveys", as: "clinic",
                json: """
                    {"title":"Pulse","participantOrganizationIds":["\(w.housing.id)"],"opensOn":"2026-01-01","closesOn":"2026-01-31"}
                    """)
            #expect(round.status == 201)
            let id = round["id"] as? String ?? ""
            let outOfRange = try await a.call(
                .post, "/api/v1/surveys/\(id)/answers", as: "housing",
                json: #"{"organizationId":"\#(w.clinic.id)","answers":{"trust-reliable":5}}"#)
            #expect(outOfRange.status == 422 && outOfRange.problemField == "answers.trust-reliable" && outOfRange.problemRule == "range")
            let unknown = try await a.call(
                .post, "/api/v1/surveys/\(id)/answers", as: "housing",
                json: #"{"organizationId":"\#(w.clinic.id)","answers":{"happiness":3}}"#)
            #expect(unknown.status == 400)
            let ok = try await a.call(
                .post, "/api/v1/surveys/\(id)/answers", as: "housing",
                json: #"{"organizationId":"\#(w.clinic.id)","answers":{"trust-reliable":4,"rc-timely":5}}"#)
            #expect(ok.status == 204)
            let again = try await a.call(
                .post, "/api/v1/surveys/\(id)/answers", as: "housing",
                json: #"{"organizationId":"\#(w.clinic.id)","answers":{"trust-reliable":1}}"#)
            #expect(again.status == 409)
            let results = try await a.call(.get, "/api/v1/surveys/\(id)/results", as: "clinic")
            #expect(results.status == 200 && results["respondents"] as? Int == 1)
            #expect(!results.text.contains("\"trust-reliable\":4"))  // one respondent: nothing shown
        }
    }

    @Test("climate: weights negative or all zero, a period or date that does not parse get 400 naming the problem")
    func climate() async throws {
        try await withAPI { api, w in
            let a = API(client: api.client, tokens: try await leadTokens(w))
            let base = "/api/v1/climate/pairs/\(w.clinic.id)/\(w.housing.id)"
            for (query, field, rule) in [
                ("weights=reciprocity:-1", "weights", "range"), ("weights=continuity:1e308", "weights", "range"),
                ("weights=continuity:nan", "weights", "range"),
                ("from=0001-01&to=0002-01", "from", "date-range"), ("from=9999-06&to=9999-12-31", "from", "date-range"),
                ("minSize=99999999999999999999", "minSize", "range"), ("penalty=1e308", "penalty", "range"),
                ("weights=reciprocity:0,openness:0", "weights", "not-all-zero"),
                ("weights=warmth:1", "weights", "unknown"), ("period=fortnight", "period", "enum"), ("from=2026-13", "from", "date")
            ] {
                let reply = try await a.call(.get, base + "?" + query, as: "clinic")
                #expect(reply.status == 400 && reply.problemField == field && reply.problemRule == rule, "\(query)")
            }
            _ = try await w.refer()
            let ok = try await a.call(.get, base + "?period=month&from=2026-01&to=2026-03&weights=reciprocity:2,continuity:1", as: "clinic")
            #expect(ok.status == 200 && ok.items.count == 2)
            #expect((ok.json["segments"] as? [Any])?.count == 1 && ok.json["penalty"] as? Double == 4)  // too short to change: one segment
            for (query, field) in [("penalty=0", "penalty"), ("penalty=abc", "penalty"), ("minSize=x", "minSize"), ("minSize=0", "minSize")] {
                let reply = try await a.call(.get, base + "?" + query, as: "clinic")
                #expect(reply.status == 400 && reply.problemField == field, "\(query)")
            }
            let cooling = try await a.call(.get, "/api/v1/climate/cooling?period=month", as: "clinic")
            #expect(cooling.status == 200 && cooling.items.isEmpty)
            #expect(try await a.call(.get, "/api/v1/climate/cooling?weights=warmth:1", as: "clinic").problemField == "weights")
            #expect(try await a.call(.get, base, as: "food").status == 200)  // partnership leads see every tie of the network
            let staff = try await w.store.createToken(user: w.foodStaff.userId, name: "t", expiresAt: nil, by: nil).secret
            // Partner staff outside the pair:
            #expect(try await api.client.execute(uri: base, method: .get, headers: [.authorization: "Bearer \(staff)"]).status == .notFound)
        }
    }
}
