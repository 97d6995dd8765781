import ThawCore

/// Failed sign-ins are counted per email *and source address*, never per account:
/// five wrong passwords for one email from one address lock that email from that
/// address for 15 minutes, and fifty failures of any emails from one address lock
/// the address. Nobody can lock another person out from elsewhere, and an email
/// that exists is counted exactly like one that does not, so a lockout reveals
/// nothing. Emails are kept only as digests: attackers' guesses are not stored.
public enum SignInThrottle {
    public static let failuresPerEmail = 5
    public static let failuresPerSource = 50
    public static let windowSeconds: Int64 = 15 * 60
    /// The row that counts every failure from a source, whatever the email.
    static let anyEmail = "*"

    static func digest(_ email: String) -> String { SecretDigest.hex(email.lowercased().trimmingWhitespace) }
}

extension ThawStore {
    /// Until when sign-in for this email from this source is refused, if it is now.
    public func signInLockedUntil(email: String, source: String) async throws -> Timestamp? {
        let now = clock.now()
        return try await database.read { db in
            try await db.query(
                """
                SELECT locked_until FROM sign_in_throttle
                WHERE source = ? AND email_digest IN (?, ?) AND locked_until > ?
                """, source, SignInThrottle.digest(email), SignInThrottle.anyEmail, now
            )
            .compactMap { $0.optionalTimestamp("locked_until") }.max()
        }
    }

    /// Counts a failed sign-in for the email and for the source.
    public func recordFailedSignIn(email: String, source: String) async throws {
        let now = clock.now()
        let windowOpenedAfter = now.adding(seconds: -SignInThrottle.windowSeconds)
        let lockedUntil = now.adding(seconds: SignInThrottle.windowSeconds)
        try await database.write { db in
            for (digest, limit) in [
                (SignInThrottle.digest(email), SignInThrottle.failuresPerEmail),
                (SignInThrottle.anyEmail, SignInThrottle.failuresPerSource)
            ] {
                // A count older than the window starts again from one.
                try await db.execute(
                    """
                    INSERT INTO sign_in_throttle (email_digest, source, failures, window_start, locked_until) VALUES (?, ?, 1, ?, NULL)
                    ON CONFLICT (email_digest, source) DO UPDATE SET
                        failures = CASE WHEN sign_in_throttle.window_start <= ? THEN 1 ELSE sign_in_throttle.failures + 1 END,
                        window_start = CASE WHEN sign_in_throttle.window_start <= ? THEN ? ELSE sign_in_throttle.window_start END,
                        locked_until = CASE WHEN sign_in_throttle.window_start > ? AND sign_in_throttle.failures + 1 >= ? THEN ?
                                            ELSE sign_in_throttle.locked_until END
                    """, digest, source, now, windowOpenedAfter, windowOpenedAfter, now, windowOpenedAfter, limit, lockedUntil)
            }
        }
    }

    /// Forgets counts whose window has passed and whose lock has ended (the deadline sweep
    /// calls this), so guesses from many sources do not pile up; returns how many went.
    @discardableResult
    public func forgetExpiredSignInFailures() async throws -> Int {
        let now = clock.now()
        return try await database.write { db in
            try await db.execute(
                """
                DELETE FROM sign_in_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)
                """, now.adding(seconds: -SignInThrottle.windowSeconds), now)
        }
    }

    /// A successful sign-in forgets this email's failures from this source.
    public func clearFailedSignIns(email: String, source: String) async throws {
        try await database.write { db in
            try await db.execute("DELETE FROM sign_in_throttle WHERE email_digest = ? AND source = ?", SignInThrottle.digest(email), source)
        }
    }
}
