import Foundation
import HummingbirdTesting
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@Suite("Web pages: integration climate")
struct WebClimateTests {
    @Test("dashboard and pair page: who may see them, what they show, the CSV, bad input")
    func climatePages() async throws {
        try await withWeb { browsers, w, client in
            let lead = browsers["clinicLead"]!
            // A month of contact between the clinic and housing, then the page in February.
            var referral = try await w.refer()
            w.clock.advance(seconds: 3600)
            referral = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await w.store.scoped(to: w.housingStaff).sendMessage(referral: referral.id, body: "Booked for Tuesday")
            _ = try await w.store.scoped(to: w.clinicLead).startThread(subject: "Coffee", with: [w.foodStaff.userId], message: "Next week?")
            _ = try await w.store.scoped(to: w.clinicLead).startThread(subject: "Intake days", with: [w.housingStaff.userId], message: "Which days?")
            w.clock.set(ISO8601.parse("2026-02-10T09:00:00Z")!)

            let dashboard = try await lead.get("/climate?period=month&at=2026-01")
            #expect(dashboard.status == 200)
            #expect(dashboard.contains("<svg") && dashboard.contains("The network in 2026-01"))
            #expect(dashboard.contains("Riverside Clinic – Homeward Housing") || dashboard.contains("Homeward Housing – Riverside Clinic"))
            let pairPath = "/climate/pairs/\(w.clinic.id)/\(w.housing.id)"
            #expect(dashboard.links.contains(pairPath) || dashboard.links.contains("/climate/pairs/\(w.housing.id)/\(w.clinic.id)"))

            let pair = try await lead.get(pairPath)
            #expect(pair.status == 200 && pair.contains("Climate: Riverside Clinic and Homeward Housing"))
            #expect(pair.contains("Latest whole month: 2026-01") && pair.contains("1 in time, 0 late or overdue"))
            // The people of the pair can open the ledger entries behind each period.
            #expect(pair.links.contains("/partnership/with/\(w.housing.id)?from=2026-01-01&amp;to=2026-02-01"))
            let entries = try await lead.get("/partnership/with/\(w.housing.id)?from=2026-01-01&to=2026-02-01")
            // The conversation is there; the referral, being about a client, is not.
            #expect(entries.status == 200 && entries.contains("wrote in a conversation"))
            #expect(!entries.contains("sent a referral") && !entries.contains("wrote on a referral") && !entries.contains(w.client.id.raw))
            let december = try await lead.get("/partnership/with/\(w.housing.id)?from=2025-12-01&to=2026-01-01")
            #expect(december.status == 200 && !december.contains("wrote in a conversation"))  // the range holds only its own entries

            let csv = try await lead.get(pairPath + "/climate.csv?period=month")
            #expect(csv.status == 200 && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html.hasPrefix("organisation a,organisation b,period start") && csv.html.contains("\"2026-01-01\""))
            let ties = try await lead.get("/climate/ties.csv?at=2026-01")
            #expect(ties.status == 200 && ties.html.split(separator: "\r\n").count == 3)  // header and two ties

            // Who may see: a navigator has no dashboard; a partner outside the pair has no pair page.
            #expect(try await browsers["navigator"]!.get("/climate").status == 403)
            #expect(try await browsers["unrelated"]!.get(pairPath).status == 404)
            #expect(try await browsers["housing"]!.get(pairPath).status == 200)  // one of the pair
            // Bad input: a period or a date that does not parse, weights all zero.
            #expect(try await lead.get("/climate?period=fortnight").status == 400)
            #expect(try await lead.get("/climate?at=2026-13").status == 400)
            #expect(try await lead.get(pairPath + "?weights=reciprocity:0").status == 400)
            #expect(try await lead.get("/climate/pairs/\(w.clinic.id)/org_nope").status == 404)
        }
    }
}
