import Foundation
import HTTPTypes
import HummingbirdBcrypt
import NIOCore
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@Suite("Web pages: sign-in, CSRF, headers, escaping, URLs")
struct WebSecurityTests {
    @Test("pages need a signed-in user; the browser is sent to sign in")
    func signInRequired() async throws {
        try await withWeb { browsers, _, client in
            let anonymous = Browser(client: client, cookie: nil, csrf: "")
            for path in ["/", "/caseload", "/inbox", "/clients", "/admin", "/admin/tokens"] {
                let page = try await anonymous.get(path)
                #expect(page.status == 303, "\(path)")
                #expect(page.location == "/sign-in", "\(path)")
            }
            #expect(try await browsers["navigator"]!.get("/").location == "/caseload")
            #expect(try await browsers["housing"]!.get("/").location == "/inbox")
        }
    }

    @Test("sign-in form: double-submit token, wrong password kept out, lockout, session cookie flags")
    func signInForm() async throws {
        try await withWeb { _, world, client in
            let hash = Bcrypt.hash("a long enough password", cost: 4)
            _ = try await world.store.createUser(
                NewUser(
                    organizationId: world.clinic.id, email: "web@clinic.test", displayName: "Web",
                    roles: [.navigator], password: "a long enough password"), passwordHash: hash)
            let anonymous = Browser(client: client, cookie: nil, csrf: "")
            let form = try await anonymous.get("/sign-in")
            #expect(form.status == 200)
            let setCookie = form.headers[.setCookie] ?? ""
            let token = String(setCookie.dropFirst("thaw_signin=".count).prefix { $0 != ";" })
            #expect(!token.isEmpty && form.contains(token))
            // Without the matching cookie the post is refused.
            let forged = try await anonymous.post(
                "/sign-in", [("_csrf", token), ("email", "web@clinic.test"), ("password", "a long enough password")], csrf: false)
            #expect(forged.status == 403)
            let wrong = try await anonymous.post(
                "/sign-in", [("_csrf", token), ("email", "web@clinic.test"), ("password", "nope nope nope")],
                csrf: false, extraCookie: "thaw_signin=" + token)
            #expect(wrong.status == 401)
            #expect(wrong.contains("email or password is wrong"))
            #expect(wrong.contains("value=\"web@clinic.test\""))  // what was typed is kept …
            #expect(!wrong.contains("nope nope nope"))  // … except the password
            let right = try await anonymous.post(
                "/sign-in", [("_csrf", token), ("email", "web@clinic.test"), ("password", "a long enough password")],
                csrf: false, extraCookie: "thaw_signin=" + token)
            #expect(right.status == 303)
            let session = right.headers[.setCookie] ?? ""
            #expect(session.hasPrefix("thaw_session="))
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict"))
            for _ in 0..<5 {
                _ = try await anonymous.post(
                    "/sign-in", [("_csrf", token), ("email", "web@clinic.test"), ("password", "wrong wrong wrong")],
                    csrf: false, extraCookie: "thaw_signin=" + token)
            }
            let locked = try await anonymous.post(
                "/sign-in", [("_csrf", token), ("email", "web@clinic.test"), ("password", "a long enough password")],
                csrf: false, extraCookie: "thaw_signin=" + token)
            #expect(locked.status == 429)
            #expect(locked.headers[.retryAfter] != nil)
        }
    }

    @Test("every form post needs the session's CSRF token, and a refused post writes nothing")
    func csrf() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            let before = try await world.count("referral_messages")
            let refused = try await browsers["navigator"]!.post("/referrals/\(referral.id)", [("action", "message"), ("body", "hello")], csrf: false)
            #expect(refused.status == 403)
            let wrongToken = try await browsers["navigator"]!.post(
                "/referrals/\(referral.id)",
                [("action", "message"), ("body", "hello"), ("_csrf", "not-the-token")], csrf: false)
            #expect(wrongToken.status == 403)
            #expect(try await world.count("referral_messages") == before)
            let accepted = try await browsers["navigator"]!.post("/referrals/\(referral.id)", [("action", "message"), ("body", "hello")])
            #expect(accepted.status == 303)
            #expect(try await world.count("referral_messages") == before + 1)
        }
    }

    @Test("security headers on every page")
    func headers() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            for path in ["/caseload", "/clients", "/clients/\(world.client.id)", "/referrals/\(referral.id)", "/admin/tokens"] {
                let page = try await browsers["navigator"]!.get(path)
                #expect(page.status == 200, "\(path)")
                let csp = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(!page.contains("<script>") && !page.contains(" style=") && !page.contains("onclick"), "no inline script or style: \(path)")
            }
        }
    }

    @Test("text from people is escaped everywhere it is shown")
    func escaping() async throws {
        try await withWeb { browsers, world, _ in
            let nasty = "<script>alert('x')</script>"
            let page = try await browsers["navigator"]!.post(
                "/clients", [("action", "create"), ("givenName", nasty), ("familyName", "O\"Neil & <b>")])
            #expect(page.status == 303)
            let clientPage = try await browsers["navigator"]!.get(page.location!.components(separatedBy: "?")[0])
            #expect(clientPage.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(clientPage.contains("O&quot;Neil &amp; &lt;b&gt;"))
            #expect(!clientPage.contains(nasty))
        }
    }

    @Test("no client data in any URL: links and redirects carry opaque ids only")
    func urls() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            let navigator = browsers["navigator"]!
            var pages = [
                try await navigator.get("/caseload"), try await navigator.get("/clients"),
                try await navigator.get("/clients/\(world.client.id)"), try await navigator.get("/referrals/\(referral.id)"),
                try await browsers["housing"]!.get("/inbox"), try await browsers["housing"]!.get("/referrals/\(referral.id)")
            ]
            pages.append(try await navigator.post("/clients", [("action", "search"), ("q", "Okafor")]))
            for page in pages {
                #expect(page.contains("Okafor") || page.contains("Amara"))
                for link in page.links {
                    // The phone number whole: ids are random hex, which may well contain "555".
                    #expect(
                        !link.contains("Okafor") && !link.contains("Amara") && !link.contains("housing") && !link.contains("555-0101"),
                        "client data in \(link)")
                }
            }
        }
    }

    @Test("forms report the broken rule next to the field and keep what was typed")
    func formErrors() async throws {
        try await withWeb { browsers, world, _ in
            let before = try await world.count("clients")
            let page = try await browsers["navigator"]!.post(
                "/clients",
                [
                    ("action", "create"), ("givenName", "Kept Name"), ("familyName", "  "),
                    ("birthDate", "2026-02-30")
                ])
            #expect(page.status == 422)
            #expect(page.contains("birthDate must be a date like"))
            let retry = try await browsers["navigator"]!.post("/clients", [("action", "create"), ("givenName", "Kept Name"), ("familyName", "  ")])
            #expect(retry.status == 422)
            #expect(retry.contains("value=\"Kept Name\""))
            #expect(retry.contains("id=\"f-familyName-error\""))
            #expect(retry.contains("aria-describedby=\"f-familyName-error\" aria-invalid=\"true\""))
            #expect(try await world.count("clients") == before)
        }
    }

    @Test("administration is for administrators; deactivating a user ends their session")
    func administration() async throws {
        try await withWeb { browsers, world, _ in
            #expect(try await browsers["navigator"]!.get("/admin").status == 403)
            let admin = try await browsers["clinicAdmin"]!.get("/admin")
            #expect(admin.status == 200 && !admin.contains("Add an organisation"))  // organisations are the network's
            // An organisation administrator administers its own organisation, and no other.
            #expect(try await browsers["clinicAdmin"]!.get("/admin/organizations/\(world.housing.id)").status == 404)
            let elsewhere = try await browsers["clinicAdmin"]!.post(
                "/admin/organizations/\(world.housing.id)",
                [("action", "user"), ("user", world.housingStaff.userId.raw), ("active", "yes")])
            #expect(elsewhere.status == 404)
            #expect(try await browsers["housing"]!.get("/inbox").status == 200)  // still signed in
            let own = try await browsers["clinicAdmin"]!.get("/admin/organizations/\(world.clinic.id)")
            #expect(own.contains("nav@clinic.test") && !own.contains("value=\"network-administrator\""))
            let done = try await browsers["clinicAdmin"]!.post(
                "/admin/organizations/\(world.clinic.id)",
                [("action", "user"), ("user", world.navigator.userId.raw), ("roles", "navigator")])
            #expect(done.status == 303)
            #expect(try await browsers["navigator"]!.get("/caseload").status == 303)  // deactivated: signed out, sent to sign in
            // Capacity is kept by the organisation's own staff: nobody else, administrators included.
            let capacity = [("action", "capacity"), ("service", world.foodService.id.raw), ("capacity", "waitlist")]
            #expect(try await browsers["unrelated"]!.post("/our-services", capacity).status == 404)
            #expect(try await browsers["clinicAdmin"]!.post("/our-services", capacity).status == 404)
            #expect(try await world.store.service(world.foodService.id).capacity == .accepting)
            #expect(try await browsers["food"]!.post("/our-services", capacity).status == 303)
            #expect(try await world.store.service(world.foodService.id).capacity == .waitlist)
            // The network administrator adds organisations, and another organisation's first administrator only.
            let network = try await browsers["networkAdmin"]!.get("/admin/organizations/\(world.housing.id)")
            #expect(network.status == 200 && network.contains("Add an administrator") && !network.contains("Add a service"))
            let first = try await browsers["networkAdmin"]!.post(
                "/admin/organizations/\(world.housing.id)",
                [
                    ("action", "new-user"), ("displayName", "Harper"), ("email", "harper@housing.test"), ("roles", "navigator"),
                    ("password", "a long enough password")
                ])
            #expect(first.status == 303)
            #expect(try await world.store.user(email: "harper@housing.test")?.roles == [.administrator])  // the form's roles are not its to set
            let second = try await browsers["networkAdmin"]!.post(
                "/admin/organizations/\(world.housing.id)",
                [("action", "new-user"), ("displayName", "Kit"), ("email", "kit@housing.test"), ("password", "a long enough password")])
            #expect(second.status == 409 && second.contains("already has an active administrator"))
        }
    }
}
