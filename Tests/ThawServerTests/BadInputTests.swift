import Testing
import ThawCore
import ThawTestSupport

/// Every kind of bad input gets a 4xx problem document naming what was wrong,
/// and nothing is written.
@Suite struct BadInputTests {
    @Test func malformedBodiesAreNamedFieldByField() async throws {
        try await withAPI { api, w in
            let ledgerBefore = try await w.count("activity")
            let cases: [(String, Int, String, String)] = [
                (#"{"clientId": "#, 400, "body", "json"),
                (#"{"clientId":"\#(w.client.id)","needCategory":"housing","priority":5}"#, 400, "priority", "type"),
                (#"{"clientId":"\#(w.client.id)","needCategory":"housng"}"#, 400, "needCategory", "enum"),
                (#"{"needCategory":"housing"}"#, 400, "clientId", "required"),
                (#"{"clientId":"\#(w.client.id)","needCategory":"housing","followUpDue":"2026-13-01T00:00:00Z"}"#, 400, "followUpDue", "format"),
                (#"{"clientId":"\#(w.client.id)","needCategory":"housing","followUpDue":"2026-03-01T09:00:00"}"#, 400, "followUpDue", "format"),
                (
                    #"{"clientId":"\#(w.client.id)","needCategory":"housing","followUpDue":"2020-03-01T09:00:00Z","serviceId":"\#(w.housingService.id)"}"#,
                    422, "followUpDue", "not-in-past"
                ),
                (
                    #"{"clientId":"\#(w.client.id)","needCategory":"food","serviceId":"\#(w.housingService.id)"}"#, 422, "needCategory",
                    "offered-by-service"
                ),
                (#"{"clientId":"\#(w.client.id)","needCategory":"food","serviceId":"\#(w.foodService.id)"}"#, 422, "serviceId", "consent-required"),
                (#"{"clientId":"\#(w.client.id)","needCategory":"housing","serviceId":"svc_nope"}"#, 422, "serviceId", "exists")
            ]
            for (body, status, field, rule) in cases {
                let reply = try await api.referral(w, body: body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.problemField == field, "\(body): \(reply.text)")
                #expect(reply.problemRule == rule, "\(body): \(reply.text)")
            }
            #expect(try await w.count("referrals") == 0)
            #expect(try await w.count("activity") == ledgerBefore)
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        try await withAPI { api, w in
            let note = String(repeating: "x", count: 70 * 1024)
            let reply = try await api.referral(w, body: #"{"clientId":"\#(w.client.id)","needCategory":"housing","note":"\#(note)"}"#)
            #expect(reply.status == 413)
            #expect(reply["type"] as? String == "urn:thaw:problem:body-too-large")
            #expect(try await w.count("referrals") == 0)
        }
    }

    @Test func workflowViolationsAreClear() async throws {
        try await withAPI { api, w in
            let created = try await api.referral(w)
            #expect(created.status == 201)
            let id = created["id"] as! String
            #expect(try await api.status(id, "accepted", as: "navigator", etag: created.etag).status == 403)
            #expect(
                try await api.status(
                    id, "completed", as: "housing", etag: created.etag,
                    extra: #","outcome":{"code":"need-met","summary":"done"}"#
                ).status == 409)
            let noReason = try await api.status(id, "rejected", as: "housing", etag: created.etag)
            #expect(noReason.status == 422 && noReason.problemField == "reason" && noReason.problemRule == "required")
            let noIfMatch = try await api.call(.post, "/api/v1/referrals/\(id)/status", as: "housing", json: #"{"status":"accepted"}"#)
            #expect(noIfMatch.status == 428)
            let badIfMatch = try await api.status(id, "accepted", as: "housing", etag: "yesterday")
            #expect(badIfMatch.status == 400 && badIfMatch.problemField == "If-Match")
            let accepted = try await api.status(id, "accepted", as: "housing", etag: created.etag)
            #expect(accepted.status == 200 && accepted.etag == "\"2\"")
            let stale = try await api.status(id, "in-progress", as: "housing", etag: created.etag)
            #expect(stale.status == 412)
            let noOutcome = try await api.status(id, "completed", as: "housing", etag: accepted.etag)
            #expect(noOutcome.status == 422 && noOutcome.problemField == "outcome")
            let unknownStatus = try await api.status(id, "finished", as: "housing", etag: accepted.etag)
            #expect(unknownStatus.status == 400 && unknownStatus.problemField == "status" && unknownStatus.problemRule == "enum")
            let detail = try await api.call(.get, "/api/v1/referrals/\(id)", as: "navigator")
            #expect((detail["referral"] as? [String: Any])?["status"] as? String == "accepted")
            #expect(detail.etag == "\"2\"")
        }
    }

    @Test func unknownIdsAndOtherOrganisationsDataAreNotFound() async throws {
        try await withAPI { api, w in
            let id = try await api.referral(w)["id"] as! String
            for path in [
                "/api/v1/referrals/ref_doesnotexist", "/api/v1/clients/cli_nope", "/api/v1/referrals/\(id)",
                "/api/v1/clients/\(w.client.id)", "/api/v1/referrals/\(id)/timeline", "/api/v1/referrals/\(id)/messages"
            ] {
                let reply = try await api.call(.get, path, as: "unrelated")
                #expect(reply.status == 404, "\(path)")
                #expect(!reply.text.contains("Amara"))
            }
            #expect(try await api.call(.get, "/api/v1/no-such-route", as: "navigator").status == 404)
            #expect(try await api.call(.get, "/api/v1/referrals/\(id)").status == 401)
            #expect(try await api.call(.get, "/api/v1/referrals/\(id)", headers: [.authorization: "Bearer thaw_forged"]).status == 401)
        }
    }

    @Test func revokedConsentHidesTheClientFromThePartnerOnTheNextRequest() async throws {
        try await withAPI { api, w in
            let id = try await api.referral(w)["id"] as! String
            #expect(try await api.call(.get, "/api/v1/referrals/\(id)", as: "housing").status == 200)
            let revoke = try await api.call(.post, "/api/v1/clients/\(w.client.id)/consents/\(w.housingConsent.id)/revoke", as: "navigator")
            #expect(revoke.status == 200)
            #expect(try await api.call(.post, "/api/v1/clients/\(w.client.id)/consents/\(w.housingConsent.id)/revoke", as: "navigator").status == 409)
            #expect(try await api.call(.get, "/api/v1/referrals/\(id)", as: "housing").status == 404)
            #expect(try await api.call(.get, "/api/v1/referrals?view=inbox", as: "housing").items.isEmpty)
        }
    }

    @Test func badQueryParametersAreNamed() async throws {
        try await withAPI { api, _ in
            for (query, field) in [
                ("view=outbox", "view"), ("filter=late", "filter"), ("limit=0", "limit"),
                ("status=done", "status"), ("cursor=zzz", "cursor"), ("mine=yes", "mine")
            ] {
                let reply = try await api.call(.get, "/api/v1/referrals?\(query)", as: "navigator")
                #expect(reply.status == 400 && reply.problemField == field, "\(query)")
            }
        }
    }

    @Test func badClientsConsentsAndScreeningsAreRefused() async throws {
        try await withAPI { api, w in
            let future = try await api.call(
                .post, "/api/v1/clients", as: "navigator", json: #"{"givenName":"A","familyName":"B","birthDate":"2150-01-01"}"#)
            #expect(future.status == 422 && future.problemField == "birthDate")
            // A date Thaw does not support at all is malformed input: 400 naming the field and the range.
            let unsupported = try await api.call(
                .post, "/api/v1/clients", as: "navigator", json: #"{"givenName":"A","familyName":"B","birthDate":"2999-01-01"}"#)
            #expect(unsupported.status == 400 && unsupported.problemField == "birthDate" && unsupported.problemRule == "date-range")
            let badDate = try await api.call(
                .post, "/api/v1/clients", as: "navigator", json: #"{"givenName":"A","familyName":"B","birthDate":"1980-02-30"}"#)
            #expect(badDate.status == 400 && badDate.problemField == "birthDate")
            let blank = try await api.call(.post, "/api/v1/clients", as: "navigator", json: #"{"givenName":" ","familyName":"B"}"#)
            #expect(blank.status == 422 && blank.problemField == "givenName")
            let both = try await api.call(
                .post, "/api/v1/clients/\(w.client.id)/consents", as: "navigator",
                json: #"{"grantee":{"sector":"community","organizationId":"\#(w.food.id)"},"scopes":["contact"],"purpose":"referral"}"#)
            #expect(both.status == 400 && both.problemField == "grantee")
            let expired = try await api.call(
                .post, "/api/v1/clients/\(w.client.id)/consents", as: "navigator",
                json: #"{"grantee":{"sector":"community"},"scopes":["contact"],"purpose":"referral","validUntil":"2020-01-01T00:00:00Z"}"#)
            #expect(expired.status == 422 && expired.problemField == "validUntil")
            let screening = try await api.call(
                .post, "/api/v1/clients/\(w.client.id)/screenings", as: "navigator",
                json: #"{"answers":{"housing":"yes","spaceTravel":"no"}}"#)
            #expect(screening.status == 400 && screening.problemField == "answers")
            let good = try await api.call(
                .post, "/api/v1/clients/\(w.client.id)/screenings", as: "navigator",
                json: #"{"answers":{"housing":"yes","food":"yes","income":"no"}}"#)
            #expect(good.status == 201)
            #expect((good["identifiedNeeds"] as? [[String: Any]])?.compactMap { $0["category"] as? String } == ["housing", "food"])
        }
    }
}
