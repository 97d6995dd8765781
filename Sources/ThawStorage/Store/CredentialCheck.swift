import Synchronization
import ThawCore

/// What a caller signed in with, kept so the credential can be checked again.
/// Only its SHA-256 digest is held, as in the database.
public struct CredentialProof: Sendable {
    let tokenDigest: String
}

/// The principals behind bearer tokens this process has already looked up.
///
/// A cached principal is never trusted on its own. A scoped store made from one
/// (`ThawStore.scoped(checking:)`) checks the token again as the first statement of
/// every read and write it runs, on the same connection as the work (in the same
/// transaction for writes, and for reads on SQLite; a PostgreSQL read is no
/// transaction, so there the check comes just before the work). So a token
/// revoked or expired, or a user deactivated, by anyone (another server, the CLI)
/// fails the next request, as without the cache. What the cache saves is the
/// separate read transaction each request used to open just to find its caller.
final class PrincipalCache: Sendable {
    private let entries = Mutex<[String: Principal]>([:])
    /// Beyond this many tokens the cache starts again empty: a bound on memory,
    /// not a policy (a miss only costs the lookup the cache saves).
    static let capacity = 10_000

    func principal(forDigest digest: String) -> Principal? {
        entries.withLock { $0[digest] }
    }

    func remember(_ principal: Principal, digest: String) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[digest] = principal
        }
    }

    func forget(digest: String) {
        _ = entries.withLock { $0.removeValue(forKey: digest) }
    }
}

/// The store's database, with the caller's token checked first inside every
/// transaction (the audit of a read, queued behind it, needs no check of its own).
struct CredentialCheckedDatabase: SQLDatabase {
    let base: any SQLDatabase
    let proof: CredentialProof
    let expected: Principal
    let cache: PrincipalCache
    let clock: any TimeSource

    var dialect: SQLDialect { base.dialect }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let check = self
        return try await base.read { db in
            try await check.verify(db)
            return try await body(db)
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let check = self
        return try await base.write { db in
            try await check.verify(db)
            return try await body(db)
        }
    }

    func writeBehind(_ body: @escaping @Sendable (any SQLConnection) async throws -> Void) async throws {
        try await base.writeBehind(body)
    }

    func close() async throws { try await base.close() }

    /// The token must still be live and its user active, in the same organisation,
    /// sector and roles the request was authorised with.
    func verify(_ db: any SQLConnection) async throws {
        guard let row = try await db.first(ThawStore.principalByTokenSQL, proof.tokenDigest, clock.now()) else {
            cache.forget(digest: proof.tokenDigest)
            throw ThawError.bearerTokenRejected
        }
        let current = ThawStore.principal(from: row)
        guard current.actor == expected.actor else {
            cache.forget(digest: proof.tokenDigest)
            throw ThawError.conflict(code: "account-changed",
                                     message: "this account's organisation or roles changed while the request was on its way; send it again")
        }
    }
}
