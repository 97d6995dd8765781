import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// Each consent scope and purpose against each piece of client data and free
/// text, as the partner reads it over the API and in the web app. Every piece
/// carries a marker, and the whole answer is searched for it: a field that
/// leaks under another name is caught too.
@Suite struct ConsentDisclosureTests {
    static let scopeSets: [Set<ConsentScope>] = [
        [.contact], [.needs], [.notes], [.contact, .needs], [.contact, .notes], [.needs, .notes],
        [.contact, .needs, .notes]
    ]

    /// The markers, and which scope discloses each to the partner (nil: always, being the partner's own).
    static let markers: [(text: String, scope: ConsentScope?)] = [
        ("555-0177", .contact), ("7 Marker Lane", .contact), ("1971-07-07", .contact),
        ("NOTE-FOR-PARTNER", .notes), ("REFERRER-MESSAGE", .notes), ("REFERRER-CANCEL-REASON", .notes),
        ("PARTNER-MESSAGE", nil)
    ]

    @Test(arguments: Backend.available)
    func eachScopeDisclosesItsOwnAndNothingElse(backend: Backend) async throws {
        try await withWeb(backend: backend) { browsers, w, client in
            let navigator = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            let partnerToken = try await w.store.createToken(user: w.housingStaff.userId, name: "t", expiresAt: nil, by: nil).secret
            let navigatorToken = try await w.store.createToken(user: w.navigator.userId, name: "t", expiresAt: nil, by: nil).secret
            func api(_ path: String, token: String) async throws -> String {
                let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
                #expect(response.status == .ok, "\(path)")
                return String(buffer: response.body)
            }
            for scopes in Self.scopeSets {
                let person = try await navigator.createClient(
                    NewClient(
                        givenName: "Marked", familyName: "Person",
                        birthDate: CalendarDate("1971-07-07"), phone: "555-0177", address: "7 Marker Lane"))
                let (_, needs) = try await navigator.recordScreening(client: person.id, NewScreening(answers: [.housing: .yes]))
                _ = try await navigator.recordConsent(
                    client: person.id,
                    NewConsent(
                        grantee: .organization(w.housing.id), scopes: scopes,
                        purpose: .referral))
                var referral = try await navigator.createReferral(
                    NewReferral(
                        clientId: person.id, serviceId: w.housingService.id,
                        needCategory: .housing, needIds: needs.map(\.id), note: "NOTE-FOR-PARTNER")
                ).0
                _ = try await navigator.sendMessage(referral: referral.id, body: "REFERRER-MESSAGE")
                _ = try await partner.sendMessage(referral: referral.id, body: "PARTNER-MESSAGE")
                referral = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: referral.version)
                referral = try await navigator.changeStatus(
                    referral.id, StatusChange(status: .cancelled, reason: "REFERRER-CANCEL-REASON"),
                    expectedVersion: referral.version)
                // What the partner reads, all of it: the client, the referral, its messages and timeline, the inbox; and the page.
                var seen = try await api("/api/v1/clients/\(person.id)", token: partnerToken)
                seen += try await api("/api/v1/referrals/\(referral.id)", token: partnerToken)
                let messages = try await api("/api/v1/referrals/\(referral.id)/messages", token: partnerToken)
                seen += messages
                seen += try await api("/api/v1/referrals/\(referral.id)/timeline", token: partnerToken)
                seen += try await api("/api/v1/referrals?view=inbox", token: partnerToken)
                let page = try await browsers["housing"]!.get("/referrals/\(referral.id)")
                #expect(page.status == 200)
                for (text, scope) in Self.markers {
                    let disclosed = scope.map(scopes.contains) ?? true
                    #expect(seen.contains(text) == disclosed, "\(text) over the API under \(scopes.map(\.rawValue).sorted())")
                    // The page writes the birth date in words; the API's form is looked for there.
                    if text != "1971-07-07" {
                        #expect(page.contains(text) == disclosed, "\(text) on the page under \(scopes.map(\.rawValue).sorted())")
                    }
                }
                let referralJSON = try await api("/api/v1/referrals/\(referral.id)", token: partnerToken)
                #expect(referralJSON.contains(needs[0].id.raw) == scopes.contains(.needs), "need ids under \(scopes)")
                // A withheld message is said to be withheld; the partner's own never is.
                #expect(messages.contains("\"withheld\":true") == !scopes.contains(.notes))
                #expect(page.contains("Not shown: the client's consent") == !scopes.contains(.notes))
                // The navigator is told before writing whether the partner will read it.
                let detail = try await api("/api/v1/referrals/\(referral.id)", token: navigatorToken)
                #expect(detail.contains("\"counterpartSeesNotes\":\(scopes.contains(.notes))"))
                let navigatorPage = try await browsers["navigator"]!.get("/referrals/\(referral.id)")
                #expect(navigatorPage.contains("id=\"notes-withheld\"") == !scopes.contains(.notes))
                #expect(navigatorPage.contains("REFERRER-MESSAGE") && navigatorPage.contains("NOTE-FOR-PARTNER"))
            }
        }
    }

    /// A consent counts only for its own purpose: care coordination lets nobody refer, or
    /// see a referred client, and a referral made under a referral consent stops being
    /// visible the moment that consent is revoked, whatever other purposes remain.
    @Test(arguments: Backend.available)
    func aConsentForAnotherPurposeCoversNoReferral(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let navigator = w.store.scoped(to: w.navigator)
            let person = try await navigator.createClient(NewClient(givenName: "Pur", familyName: "Pose", phone: "555-0188"))
            _ = try await navigator.recordConsent(
                client: person.id,
                NewConsent(
                    grantee: .organization(w.housing.id),
                    scopes: [.contact, .needs, .notes], purpose: .careCoordination))
            let refused = try await api.call(
                .post, "/api/v1/referrals", as: "navigator",
                json: #"{"clientId":"\#(person.id)","serviceId":"\#(w.housingService.id)","needCategory":"housing"}"#)
            #expect(refused.status == 422 && refused.problemRule == "consent-required")
            #expect((refused["detail"] as? String)?.contains("not for referral") == true)
            let open = try await api.call(.post, "/api/v1/referrals", as: "navigator", json: #"{"clientId":"\#(person.id)","needCategory":"food"}"#)
            #expect(open.status == 422 && open.problemRule == "consent-required")

            let referral = try await api.call(
                .post, "/api/v1/referrals", as: "navigator",
                json: #"{"clientId":"\#(w.client.id)","serviceId":"\#(w.housingService.id)","needCategory":"housing"}"#)
            #expect(referral.status == 201)
            _ = try await navigator.recordConsent(
                client: w.client.id,
                NewConsent(
                    grantee: .organization(w.housing.id), scopes: [.contact],
                    purpose: .careCoordination))
            #expect(try await api.call(.get, "/api/v1/clients/\(w.client.id)", as: "housing").status == 200)
            _ = try await navigator.revokeConsent(client: w.client.id, consent: w.housingConsent.id)
            for path in [
                "/api/v1/clients/\(w.client.id)", "/api/v1/referrals/\(referral["id"] as? String ?? "")",
                "/api/v1/referrals/\(referral["id"] as? String ?? "")/messages"
            ] {
                #expect(try await api.call(.get, path, as: "housing").status == 404, "\(path)")
            }
            #expect(try await api.call(.get, "/api/v1/referrals?view=inbox", as: "housing").items.isEmpty)
        }
    }
}
