import HTTPTypes
import Hummingbird
import ThawStorage

/// Liveness, readiness and metrics, outside `/api/v1` and without auth.
struct OperationsRoutes {
    let store: ThawStore
    let metrics: ThawMetrics
    let readiness: DatabaseReadiness

    func register(on router: Router<ThawRequestContext>) {
        router.get("healthz") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ok\n"))) }
        // Ready when the database has been reached and migrated and answers now; otherwise 503 saying why.
        router.get("readyz") { _, _ -> Response in
            do {
                if let waiting = readiness.waitingFor { throw SQLError(.unavailable, waiting) }
                try await store.checkDatabase()
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ready\n")))
            } catch {
                let reason = readiness.waitingFor ?? DatabaseReadiness.describe(error)
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain", .retryAfter: "1"],
                    body: .init(byteBuffer: .init(string: "not ready: \(reason)\n")))
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: .init(string: metrics.exposition())))
        }
    }
}
