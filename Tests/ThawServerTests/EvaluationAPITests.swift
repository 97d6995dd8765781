import Foundation
import HTTPTypes
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// The evaluator: granted by a network administrator for a period, it reads the report and the
/// de-identified ledger and nothing of any client; every report and export is in the access log.
@Suite struct EvaluationAPITests {
    static func evaluator(_ org: Organization, _ email: String, from: String = "2026-01-01", until: String = "2026-06-30") -> String {
        #"{"organizationId":"\#(org.id)","email":"\#(email)","displayName":"Eva Luator","roles":["evaluator"],"password":"a long enough password","evaluatorFrom":"\#(from)","evaluatorUntil":"\#(until)"}"#
    }

    /// An evaluator in the food bank, made by the network administrator, and a token for it.
    static func makeEvaluator(_ api: API, _ w: World) async throws -> (id: ID<User>, token: String) {
        let created = try await api.call(.post, "/api/v1/users", as: "networkAdmin", json: Self.evaluator(w.food, "eva@university.test"))
        #expect(created.status == 201, "\(created.text)")
        let id = ID<User>(try #require(created["id"] as? String))
        return (id, try await w.store.createToken(user: id, name: "eva", expiresAt: nil, by: nil).secret)
    }

    static func get(_ api: API, _ path: String, token: String) async throws -> Reply {
        try await api.call(.get, path, headers: [.authorization: "Bearer " + token])
    }

    @Test(arguments: Backend.available)
    func onlyTheNetworkAdministratorGrantsTheEvaluatorRoleAndOnlyForAPeriod(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            #expect(try await api.call(.post, "/api/v1/users", as: "clinicAdmin", json: Self.evaluator(w.clinic, "e1@clinic.test")).status == 403)
            let noPeriod = try await api.call(
                .post, "/api/v1/users", as: "networkAdmin",
                json:
                    #"{"organizationId":"\#(w.food.id)","email":"e2@food.test","displayName":"E","roles":["evaluator"],"password":"a long enough password"}"#
            )
            #expect(noPeriod.status == 422 && noPeriod.problemField == "evaluatorUntil")
            // In another organisation, an evaluator comes with no other role.
            let mixed = Self.evaluator(w.food, "e3@food.test").replacingOccurrences(of: #"["evaluator"]"#, with: #"["evaluator","partner-staff"]"#)
            #expect(try await api.call(.post, "/api/v1/users", as: "networkAdmin", json: mixed).status == 422)
            // An organisation administrator cannot slip the role in by changing roles either.
            await #expect(throws: ThawError.self) {
                try await w.store.updateUser(w.navigator.userId, roles: [.navigator, .evaluator], active: nil, by: w.clinicAdmin)
            }
            #expect(
                try await api.call(
                    .put, "/api/v1/users/\(w.housingStaff.userId)/evaluator", as: "clinicAdmin", json: #"{"from":"2026-01-01","until":"2026-02-01"}"#
                )
                .status == 403)

            let (id, token) = try await Self.makeEvaluator(api, w)
            #expect(try await Self.get(api, "/api/v1/evaluation/report?from=2026-01-01&until=2026-01-31", token: token).status == 200)
            // After the period, the role gives nothing.
            w.clock.set(ISO8601.parse("2026-07-01T00:00:00Z")!)
            #expect(try await Self.get(api, "/api/v1/evaluation/report?from=2026-01-01&until=2026-01-31", token: token).status == 403)
            let renewed = try await api.call(
                .put, "/api/v1/users/\(id)/evaluator", as: "networkAdmin", json: #"{"from":"2026-07-01","until":"2026-12-31"}"#)
            #expect(renewed.status == 200)
            #expect(try await Self.get(api, "/api/v1/evaluation/report?from=2026-01-01&until=2026-01-31", token: token).status == 200)
            // Withdrawing the only role is refused: deactivate the person instead.
            #expect(try await api.call(.delete, "/api/v1/users/\(id)/evaluator", as: "networkAdmin").status == 409)
            // A partner's staff member made evaluator for a while, then not.
            #expect(
                try await api.call(
                    .put, "/api/v1/users/\(w.housingStaff.userId)/evaluator", as: "networkAdmin", json: #"{"from":"2026-07-01","until":"2026-07-31"}"#
                ).status == 200)
            #expect(try await api.call(.get, "/api/v1/evaluation/report", as: "housing").status == 200)
            #expect(try await api.call(.delete, "/api/v1/users/\(w.housingStaff.userId)/evaluator", as: "networkAdmin").status == 204)
            #expect(try await api.call(.get, "/api/v1/evaluation/report", as: "housing").status == 403)
        }
    }

    @Test(arguments: Backend.available)
    func nobodyElseReadsTheReportAndEveryReadIsLogged(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            for who in ["navigator", "clinician", "clinicAdmin", "clinicLead", "housing", "food", "unrelated"] {
                #expect(try await api.call(.get, "/api/v1/evaluation/report", as: who).status == 403, "\(who)")
                #expect(try await api.call(.get, "/api/v1/evaluation/ledger/csv", as: who).status == 403, "\(who)")
            }
            let (id, token) = try await Self.makeEvaluator(api, w)
            let bad = try await Self.get(api, "/api/v1/evaluation/report?from=2026-02-01&until=2026-01-01", token: token)
            #expect(bad.status == 400 || bad.status == 422)
            #expect(try await Self.get(api, "/api/v1/evaluation/report?threshold=2", token: token).status == 400)
            #expect(try await Self.get(api, "/api/v1/evaluation/report?organization=org_nothere", token: token).status == 404)
            #expect(try await Self.get(api, "/api/v1/evaluation/tables/nothing/csv", token: token).status == 404)
            _ = try await Self.get(api, "/api/v1/evaluation/report/csv?from=2026-01-01&until=2026-01-31", token: token)
            _ = try await Self.get(api, "/api/v1/evaluation/ledger/csv?from=2026-01-01&until=2026-01-31", token: token)
            let logged = try await w.database.read { db in
                try await db.query("SELECT action, subject_type, client_id FROM access_log WHERE user_id = ? ORDER BY seq", id)
            }
            // The table that does not exist was still a report made (then found to have no such table).
            #expect(logged.map { $0.string("subject_type") } == ["evaluation", "evaluation", "deidentified-ledger"])
            #expect(logged.allSatisfy { $0.optionalString("client_id") == nil })
        }
    }

    @Test(arguments: Backend.available)
    func noClientNameContactNoteOrIdLeavesInTheReportOrTheLedger(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let nav = w.store.scoped(to: w.navigator)
            let client = try await nav.createClient(
                NewClient(
                    givenName: "Zebedee", familyName: "Quillfeather", birthDate: CalendarDate("1971-02-03"), phone: "555-0199",
                    email: "zebedee@example.org", address: "77 Sycamore Crescent", preferredLanguage: "Zebedee speaks Igbo"))
            _ = try await nav.recordConsent(
                client: client.id, NewConsent(grantee: .organization(w.housing.id), scopes: [.needs, .notes], purpose: .referral, validUntil: nil))
            for _ in 0..<6 {
                let (referral, _) = try await nav.createReferral(
                    NewReferral(clientId: client.id, serviceId: w.housingService.id, needCategory: .housing, note: "Quillfeather sleeps in his car"),
                    idempotencyKey: nil)
                let declined = try await w.store.scoped(to: w.housingStaff).changeStatus(
                    referral.id, StatusChange(status: .rejected, reason: "Zebedee was rude on the phone", reasonCode: .other),
                    expectedVersion: referral.version)
                #expect(declined.status == .rejected)
            }
            let (_, token) = try await Self.makeEvaluator(api, w)
            var everything = ""
            for path in [
                "/api/v1/evaluation/report?from=2026-01-01&until=2026-01-31", "/api/v1/evaluation/report/csv?from=2026-01-01&until=2026-01-31",
                "/api/v1/evaluation/ledger/csv?from=2026-01-01&until=2026-01-31",
                "/api/v1/evaluation/tables/loop-by-partner/csv?from=2026-01-01&until=2026-01-31"
            ] {
                let reply = try await Self.get(api, path, token: token)
                #expect(reply.status == 200, "\(path)")
                everything += reply.text
            }
            for secret in ["Zebedee", "Quillfeather", "555-0199", "example.org", "Sycamore", "1971-02-03", "Igbo", "rude", "sleeps", client.id.raw] {
                #expect(!everything.contains(secret), "\(secret) left Thaw")
            }
            // What it does hold: the six declines, by reason, and the ledger's coded detail.
            #expect(everything.contains(#""declines-by-reason","Another reason","declined","current","2026-01-01","2026-01-31","6","false""#))
            #expect(everything.contains("reasonCode=other"))
        }
    }
}
