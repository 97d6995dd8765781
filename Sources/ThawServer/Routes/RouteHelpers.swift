import Hummingbird
import ThawCore
import ThawStorage

/// What every group of API routes needs: the store scoped to the caller, and
/// bodies read with the configured size limit.
protocol APIRouteGroup {
    var store: ThawStore { get }
    var configuration: ServerConfiguration { get }
}

extension APIRouteGroup {
    /// The store scoped to the caller. A remembered bearer-token caller is checked
    /// by the store itself, inside each of its transactions.
    func scoped(_ context: ThawRequestContext) throws -> ScopedStore {
        if let principal = context.principal { return store.scoped(to: principal.actor) }
        if let (principal, proof) = context.uncheckedCaller { return store.scoped(checking: principal, proof) }
        throw ThawError.unauthenticated("sign in or send a bearer token")
    }

    /// The caller, for routes that act on it outside a scoped store: a remembered
    /// bearer-token caller is checked against the database first.
    func principal(_ context: ThawRequestContext) async throws -> Principal {
        if let (principal, proof) = context.uncheckedCaller { return try await store.check(principal, proof) }
        return try context.requirePrincipal()
    }

    func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await JSONBody.decode(type, from: request, limit: configuration.maxBodyBytes)
    }
}
