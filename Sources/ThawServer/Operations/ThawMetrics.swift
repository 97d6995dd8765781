import Prometheus
import ThawCore

/// The server's own Prometheus registry (not the process-global MetricsSystem,
/// so tests can build many applications side by side).
public final class ThawMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(15), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(1000)
    ]
    public init() {}

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "thaw", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests served"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(
                namespace: "thaw", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time to serve a request"),
            labels: [("method", method), ("route", route)], buckets: Self.buckets
        ).record(duration)
    }

    func recordTransition(to status: String) {
        registry.makeCounter(
            descriptor: .init(
                namespace: "thaw", metricName: "referral_transitions", unitName: "total",
                helpText: "Referral status changes"),
            labels: [("to", status)]
        ).increment()
    }

    public func exposition() -> String { registry.emitToString() }
}
