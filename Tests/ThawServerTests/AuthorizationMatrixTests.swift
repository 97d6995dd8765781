import HTTPTypes
import HummingbirdBcrypt
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Each role, in the referring organisation, the receiving one and an
/// unrelated one, against each operation on a referral. The expected result
/// is written out per cell.
@Suite struct AuthorizationMatrixTests {
    enum Relation: String, CaseIterable { case own, counterpart, unrelated }

    /// What a cell should get: the referring side reads, writes messages and
    /// sees the client but may not accept; the receiving side may also accept;
    /// anyone else, and roles without client access, get 404.
    static func expected(_ role: Role, _ relation: Relation) -> [String: Int] {
        let referring: Set<Role> = [.navigator, .clinician]
        let receiving: Set<Role> = [.partnerStaff, .navigator, .clinician]
        switch relation {
        case .own where referring.contains(role):
            return ["read": 200, "message": 201, "accept": 403, "client": 200, "timeline": 200]
        case .counterpart where receiving.contains(role):
            return ["read": 200, "message": 201, "accept": 200, "client": 200, "timeline": 200]
        default:
            return ["read": 404, "message": 404, "accept": 404, "client": 404, "timeline": 404]
        }
    }

    @Test(arguments: Role.allCases)
    func roleAcrossOrganisations(role: Role) async throws {
        try await withAPI { api, w in
            for relation in Relation.allCases {
                let org = relation == .own ? w.clinic : relation == .counterpart ? w.housing : w.unrelated
                let user = try await w.store.createUser(
                    World.newUser(org, "\(role.rawValue)-\(relation.rawValue)@test.org", [role]), passwordHash: "x")
                let token = try await w.store.createToken(user: user.id, name: "m", expiresAt: nil, by: nil).secret
                let auth: HTTPFields = [.authorization: "Bearer \(token)"]
                let created = try await api.referral(w)
                let id = created["id"] as! String
                var got: [String: Int] = [:]
                got["read"] = try await api.call(.get, "/api/v1/referrals/\(id)", headers: auth).status
                got["timeline"] = try await api.call(.get, "/api/v1/referrals/\(id)/timeline", headers: auth).status
                got["client"] = try await api.call(.get, "/api/v1/clients/\(w.client.id)", headers: auth).status
                got["message"] = try await api.call(.post, "/api/v1/referrals/\(id)/messages", json: #"{"body":"hello"}"#, headers: auth).status
                var acceptHeaders = auth
                acceptHeaders[.ifMatch] = created.etag
                got["accept"] = try await api.call(.post, "/api/v1/referrals/\(id)/status", json: #"{"status":"accepted"}"#, headers: acceptHeaders)
                    .status
                #expect(got == Self.expected(role, relation), "\(role.rawValue) in \(relation.rawValue) organisation")
            }
        }
    }
}

@Suite struct SignInTests {
    func addUser(_ w: World, email: String) async throws {
        _ = try await w.store.createUser(
            NewUser(
                organizationId: w.clinic.id, email: email, displayName: "Sam",
                roles: [.navigator], password: "a long enough password"),
            passwordHash: Bcrypt.hash("a long enough password", cost: 4))
    }

    @Test func sessionCookieIsSafeAndNeedsCSRFForChanges() async throws {
        try await withAPI { api, w in
            try await addUser(w, email: "sam@clinic.test")
            let signIn = try await api.call(.post, "/api/v1/auth/sign-in", json: #"{"email":"SAM@clinic.test","password":"a long enough password"}"#)
            #expect(signIn.status == 200)
            let cookie = signIn.headers[.setCookie] ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.hasPrefix("thaw_session=ses_"))
            let session = String(cookie.split(separator: ";")[0])
            let csrf = signIn["csrfToken"] as! String
            #expect(try await api.call(.get, "/api/v1/me", headers: [.cookie: session]).status == 200)
            let body = #"{"givenName":"Kim","familyName":"Lee"}"#
            #expect(try await api.call(.post, "/api/v1/clients", json: body, headers: [.cookie: session]).status == 403)
            #expect(
                try await api.call(
                    .post, "/api/v1/clients", json: body,
                    headers: [.cookie: session, HTTPField.Name("X-CSRF-Token")!: csrf]
                ).status == 201)
            // Signing in again from the same browser needs no CSRF token from the old session.
            let again = try await api.call(
                .post, "/api/v1/auth/sign-in", json: #"{"email":"sam@clinic.test","password":"a long enough password"}"#,
                headers: [.cookie: session])
            #expect(again.status == 200)
            #expect(
                try await api.call(.post, "/api/v1/auth/sign-out", headers: [.cookie: session, HTTPField.Name("X-CSRF-Token")!: csrf]).status == 204)
            #expect(try await api.call(.get, "/api/v1/me", headers: [.cookie: session]).status == 401)
        }
    }

    /// Router tests have no peer address ("unknown"); trusting it as a proxy lets each call name its source.
    static func fromSource(_ source: String) -> HTTPFields { [HTTPField.Name("X-Forwarded-For")!: source] }

    @Test(arguments: Backend.available)
    func failuresLockAnEmailFromOneSourceOnlyAndSayNothingAboutWhichEmailsExist(backend: Backend) async throws {
        try await withAPI(backend: backend, configure: { $0.trustedProxies = ["unknown"] }) { api, w in
            try await addUser(w, email: "lock@clinic.test")
            let attacker = Self.fromSource("203.0.113.5"), owner = Self.fromSource("198.51.100.7")
            func signIn(_ email: String, _ password: String, from source: HTTPFields) async throws -> Reply {
                try await api.call(.post, "/api/v1/auth/sign-in", json: #"{"email":"\#(email)","password":"\#(password)"}"#, headers: source)
            }
            // An existing and an unknown email fail alike, and lock alike after the same number of tries.
            for email in ["lock@clinic.test", "nobody@clinic.test"] {
                var answers: [Int] = []
                for _ in 0..<SignInThrottle.failuresPerEmail { answers.append(try await signIn(email, "wrong password!", from: attacker).status) }
                #expect(answers == Array(repeating: 401, count: SignInThrottle.failuresPerEmail), "\(email)")
                let locked = try await signIn(email, "a long enough password", from: attacker)
                #expect(locked.status == 429 && locked.headers[.retryAfter] != nil, "\(email)")
                #expect(locked["detail"] as? String == "too many failed sign-ins from here")
            }
            // The attacker cannot lock the owner out: from anywhere else the right password works.
            #expect(try await signIn("lock@clinic.test", "a long enough password", from: owner).status == 200)
            w.clock.advance(seconds: SignInThrottle.windowSeconds + 1)
            #expect(try await w.count("sign_in_throttle") == 3)  // each email's count, and the source's
            #expect(try await w.store.forgetExpiredSignInFailures() == 3)
            #expect(try await signIn("lock@clinic.test", "a long enough password", from: attacker).status == 200)
        }
        // Without a trusted proxy, X-Forwarded-For is ignored: a client cannot name itself a new source.
        try await withAPI { api, w in
            try await addUser(w, email: "lock@clinic.test")
            for index in 0..<SignInThrottle.failuresPerEmail {
                _ = try await api.call(
                    .post, "/api/v1/auth/sign-in", json: #"{"email":"lock@clinic.test","password":"wrong password!"}"#,
                    headers: Self.fromSource("203.0.113.\(index)"))
            }
            let locked = try await api.call(
                .post, "/api/v1/auth/sign-in", json: #"{"email":"lock@clinic.test","password":"wrong password!"}"#,
                headers: Self.fromSource("203.0.113.99"))
            #expect(locked.status == 429)
        }
    }

    @Test(arguments: Backend.available)
    func oneSourceTryingManyEmailsIsLockedOut(backend: Backend) async throws {
        try await withAPI(backend: backend, configure: { $0.trustedProxies = ["unknown"] }) { api, w in
            try await addUser(w, email: "sam@clinic.test")
            let sprayer = Self.fromSource("203.0.113.9")
            for index in 0..<SignInThrottle.failuresPerSource {
                let reply = try await api.call(
                    .post, "/api/v1/auth/sign-in", json: #"{"email":"guess\#(index)@clinic.test","password":"wrong password!"}"#,
                    headers: sprayer)
                #expect(reply.status == 401)
            }
            let locked = try await api.call(
                .post, "/api/v1/auth/sign-in", json: #"{"email":"sam@clinic.test","password":"a long enough password"}"#,
                headers: sprayer)
            #expect(locked.status == 429)
            // The account itself is not locked: from another source it signs in.
            #expect(
                try await api.call(
                    .post, "/api/v1/auth/sign-in", json: #"{"email":"sam@clinic.test","password":"a long enough password"}"#,
                    headers: Self.fromSource("198.51.100.1")
                ).status == 200)
        }
    }

    @Test func tokensCanBeCreatedListedAndRevoked() async throws {
        try await withAPI { api, w in
            let created = try await api.call(.post, "/api/v1/tokens", as: "navigator", json: #"{"name":"laptop"}"#)
            #expect(created.status == 201)
            let secret = created["secret"] as! String
            let id = (created["token"] as! [String: Any])["id"] as! String
            #expect(try await api.call(.get, "/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status == 200)
            #expect(try await api.call(.get, "/api/v1/tokens", as: "navigator").items.count == 2)
            #expect(try await api.call(.delete, "/api/v1/tokens/\(id)", as: "housing").status == 404)
            #expect(try await api.call(.delete, "/api/v1/tokens/\(id)", as: "navigator").status == 204)
            #expect(try await api.call(.get, "/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status == 401)
        }
    }
}
