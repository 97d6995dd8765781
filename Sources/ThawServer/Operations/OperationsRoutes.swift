import HTTPTypes
import Hummingbird
import ThawStorage

/// Liveness, readiness and metrics, outside `/api/v1` and without auth.
struct OperationsRoutes {
    let store: ThawStore
    let metrics: ThawMetrics

    func register(on router: Router<ThawRequestContext>) {
        router.get("healthz") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ok\n"))) }
        router.get("readyz") { _, _ -> Response in
            do {
                try await store.checkDatabase()
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ready\n")))
            } catch {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: .init(string: "database unavailable\n")))
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: .init(string: metrics.exposition())))
        }
    }
}
