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

    func signIn(email: String, password: String) async throws -> SignedIn {
        let wrong = ThawError.unauthenticated("the email or password is wrong")
        guard let credential = try await store.credential(email: email), credential.user.active,
              let hash = credential.passwordHash else {
            _ = try await hasher.verify(password, hash: hasher.decoyHash)
            throw wrong
        }
        let now = store.clock.now()
        if let locked = credential.lockedUntil, locked > now {
            throw ThawError.tooManyAttempts("too many failed sign-ins; this account is locked for a while",
                                            retryAfterSeconds: Int((locked.millis - now.millis) / 1000) + 1)
        }
        guard try await hasher.verify(password, hash: hash) else {
            try await store.recordFailedSignIn(user: credential.user.id)
            throw wrong
        }
        let session = try await store.startSession(user: credential.user.id, lifetimeSeconds: configuration.sessionLifetimeSeconds)
        let organization = try await store.organization(credential.user.organizationID)
        let cookie = Cookie(name: AuthMiddleware.cookieName, value: session.secret,
                            maxAge: Int(configuration.sessionLifetimeSeconds), path: "/",
                            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
        return SignedIn(principal: Principal(user: credential.user, organization: organization), csrf: session.csrf, cookie: cookie)
    }

    static func expiredCookie(_ configuration: ServerConfiguration) -> Cookie {
        Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/",
               secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }
}
