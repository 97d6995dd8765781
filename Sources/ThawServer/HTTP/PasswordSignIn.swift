import Hummingbird
import ThawCore
import ThawStorage

/// Password sign-in, shared by the API and the web pages: bcrypt, the same
/// answer (and time) for an unknown email as for a wrong password, lockout
/// after repeated failures, and a new session with its cookie.
struct PasswordSignIn {
    let store: ThawStore
    let hasher: PasswordHasher
    let configuration: ServerConfiguration

    struct SignedIn {
        var principal: Principal
        var csrf: String
        var cookie: Cookie
    }

    /// `source` is the client's address: failures are counted per email and source
    /// (`SignInThrottle`), and every failure, for an email that exists or not, costs
    /// one bcrypt check and one write, so neither the answer nor its time tells them apart.
    func signIn(email: String, password: String, source: String) async throws -> SignedIn {
        let wrong = ThawError.unauthenticated("the email or password is wrong")
        let now = store.clock.now()
        if let locked = try await store.signInLockedUntil(email: email, source: source) {
            throw ThawError.tooManyAttempts(
                "too many failed sign-ins from here",
                retryAfterSeconds: Int((locked.millis - now.millis) / 1000) + 1)
        }
        let credential = try await store.credential(email: email)
        let hash = credential.flatMap { $0.user.active ? $0.passwordHash : nil }
        let verified = try await hasher.verify(password, hash: hash ?? hasher.decoyHash)
        guard verified, hash != nil, let credential else {
            try await store.recordFailedSignIn(email: email, source: source)
            throw wrong
        }
        try await store.clearFailedSignIns(email: email, source: source)
        let session = try await store.startSession(user: credential.user.id, lifetimeSeconds: configuration.sessionLifetimeSeconds)
        let organization = try await store.organization(credential.user.organizationId)
        let cookie = Cookie(
            name: Authenticator.cookieName, value: session.secret,
            maxAge: Int(configuration.sessionLifetimeSeconds), path: "/",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
        return SignedIn(principal: Principal(user: credential.user, organization: organization), csrf: session.csrf, cookie: cookie)
    }

    static func expiredCookie(_ configuration: ServerConfiguration) -> Cookie {
        Cookie(
            name: Authenticator.cookieName, value: "", maxAge: 0, path: "/",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }
}
