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
    /// The store scoped to the caller.
    func scoped(_ context: CallerContext) -> ScopedStore {
        store.scoped(to: context.actor)
    }

    func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try await JSONBody.decode(type, from: request, limit: configuration.maxBodyBytes)
    }
}
