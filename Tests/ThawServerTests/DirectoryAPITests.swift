import Foundation
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// The directory over the API: ranked search with its filters, capacity with a wait, verification.
@Suite struct DirectoryAPITests {
    @Test func rankedSearchCarriesCapacityWaitAndFreshnessAndRefusesBadFilters() async throws {
        try await withAPI { api, w in
            let waitlist = try await api.call(
                .patch, "/api/v1/services/\(w.foodService.id)", as: "food", json: #"{"capacity":"waitlist","estimatedWaitDays":14}"#)
            #expect(waitlist.status == 200 && waitlist["estimatedWaitDays"] as? Int == 14 && waitlist["verifiedBy"] as? String == "staff@food.test")
            let found = try await api.call(.get, "/api/v1/directory?q=hampers&capacity=waitlist", as: "navigator")
            #expect(found.status == 200)
            let hit = (found["hits"] as? [[String: Any]])?.first
            #expect(hit?["name"] as? String == "Hampers" && hit?["waitTime"] as? String == "About 2 weeks" && hit?["stale"] as? Bool == false)
            // A wait without a waitlist, another organisation's service, a navigator verifying: refused.
            let noWaitlist = try await api.call(
                .patch, "/api/v1/services/\(w.foodService.id)", as: "food", json: #"{"capacity":"accepting","estimatedWaitDays":14}"#)
            #expect(noWaitlist.status == 422 && noWaitlist.problemField == "estimatedWaitDays")
            #expect(try await api.call(.post, "/api/v1/services/\(w.foodService.id)/verify", as: "housing").status == 404)
            #expect(try await api.call(.post, "/api/v1/services/\(w.foodService.id)/verify", as: "navigator").status == 403)
            #expect(try await api.call(.post, "/api/v1/services/\(w.foodService.id)/verify", as: "food").status == 200)
            let toVerify = try await api.call(.get, "/api/v1/services-to-verify", as: "food")
            #expect(toVerify.status == 200 && (toVerify["items"] as? [Any])?.isEmpty == true)
            for (query, field) in [
                ("need=shelter", "need"), ("capacity=full", "capacity"), ("openNow=yes", "openNow"), ("near=91,0", "near"),
                ("near=45.4", "near"), ("withinKm=-1", "withinKm"), ("limit=0", "limit"), ("taxonomyTerm=x", "taxonomyTerm")
            ] {
                let bad = try await api.call(.get, "/api/v1/directory?\(query)", as: "navigator")
                #expect(bad.status == 400 && bad.problemField == field, "\(query): \(bad.status) \(bad.problemField ?? "")")
            }
            #expect(try await api.call(.get, "/api/v1/directory?q=hampers").status == 401)
        }
    }
}
