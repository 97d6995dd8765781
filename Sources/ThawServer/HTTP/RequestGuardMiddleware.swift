import HTTPTypes
import Hummingbird
import Synchronization
import ThawCore

/// Checks every request makes before any route sees it: no query parameter may
/// carry a NUL character (400 naming it); and a path that exists, asked with a
/// method it does not answer, gets 405 with `Allow` instead of 404.
struct RequestGuardMiddleware: RouterMiddleware {
    typealias Context = ThawRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        for (name, value) in request.uri.queryParameters where name.utf8.contains(0) || value.utf8.contains(0) {
            throw ThawError.invalid(String(name), "no-nul-character", "\(name) may not contain the NUL character (U+0000)")
        }
        if context.endpointPath == nil, case let allowed = routes.methods(forPath: request.uri.path), !allowed.isEmpty {
            var headers = HTTPFields()
            headers[.allow] = allowed.joined(separator: ", ")
            throw HTTPError(
                .methodNotAllowed, headers: headers,
                message: "\(request.method.rawValue) is not answered here; use \(allowed.joined(separator: ", "))")
        }
        return try await next(request, context)
    }
}

/// The router's paths and the methods each answers, filled in once every route is registered.
final class RouteMethods: Sendable {
    private let table = Mutex<[(segments: [String], methods: Set<String>)]>([])

    func load(_ routes: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes { byPath[route.path, default: []].insert(route.method) }
        table.withLock { $0 = byPath.map { (Self.segments($0.key), $0.value) } }
    }

    /// The methods of the registered paths `path` matches (a `{name}` capture or `*` matches any one segment).
    func methods(forPath path: String) -> [String] {
        let parts = Self.segments(path)
        var allowed: Set<String> = []
        for entry in table.withLock({ $0 }) where Self.matches(entry.segments, parts) { allowed.formUnion(entry.methods) }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return allowed.sorted()
    }

    private static func segments(_ path: String) -> [String] { path.split(separator: "/").map(String.init) }

    private static func matches(_ pattern: [String], _ parts: [String]) -> Bool {
        guard pattern.count == parts.count else { return false }
        return zip(pattern, parts).allSatisfy { p, s in (p.hasPrefix("{") && p.hasSuffix("}")) || p == "*" || p == s }
    }
}
