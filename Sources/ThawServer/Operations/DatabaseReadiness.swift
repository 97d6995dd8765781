import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import ThawStorage

/// Whether the database is ready for requests. A server on PostgreSQL starts at once and
/// answers `/healthz` even while the database cannot be reached yet; until it is reached and
/// migrated, every other request gets 503 with `Retry-After`, and `/readyz` says why.
public final class DatabaseReadiness: Sendable {
    /// nil once ready; otherwise what the server is waiting for.
    private let waiting: Mutex<String?>

    /// Ready from the start (the database was opened and migrated before serving).
    public static var ready: DatabaseReadiness { DatabaseReadiness(waitingFor: nil) }

    public init(waitingFor reason: String?) { waiting = Mutex(reason) }

    /// What the server is waiting for, or nil when ready.
    public var waitingFor: String? { waiting.withLock { $0 } }

    func markReady() { waiting.withLock { $0 = nil } }
    func markWaiting(_ reason: String) { waiting.withLock { $0 = reason } }

    /// Returns once the database is ready (or the task is cancelled).
    func untilReady() async {
        while waitingFor != nil, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
    }
}

/// Connects to the database and migrates it, trying again every second until it can;
/// then marks the server ready and stays until shutdown.
struct DatabasePreparation: Service {
    let database: any SQLDatabase
    let readiness: DatabaseReadiness
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var attempts = 0
            while readiness.waitingFor != nil, !Task.isCancelled {
                do {
                    // The probe fails at once with the reason (refused, authentication...) where the pool would wait.
                    try await database.probe()
                    try await Migrator.migrate(database)
                    readiness.markReady()
                    logger.info("database reached and migrated; serving")
                } catch {
                    attempts += 1
                    let reason = DatabaseReadiness.describe(error)
                    readiness.markWaiting(reason)
                    if attempts == 1 || attempts % 30 == 0 { logger.warning("waiting for the database", metadata: ["reason": .string(reason)]) }
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
        // A service that returned would stop the server: this one waits for the shutdown.
        try? await gracefulShutdown()
    }
}

extension DatabaseReadiness {
    /// Why the database is not ready, in a line an operator can act on, with no credentials.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? SQLError else { return "the database could not be prepared: \(error)" }
        switch error.kind {
        case .unavailable: return "the database cannot be reached: " + Self.firstLine(error.message)
        case .timeout: return "the database did not answer in time"
        default: return "the database could not be migrated: " + Self.firstLine(error.message)
        }
    }

    private static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" }.prefix(300))
    }
}

/// A background service that needs the database: it starts once the database is ready.
struct AfterDatabaseReady: Service {
    let service: any Service
    let readiness: DatabaseReadiness

    func run() async throws {
        try? await cancelWhenGracefulShutdown { await readiness.untilReady() }
        guard readiness.waitingFor == nil, !Task.isShuttingDownGracefully else { return }
        try await service.run()
    }
}

/// Until the database is ready, every request but the operations endpoints gets 503.
struct ReadinessMiddleware: RouterMiddleware {
    typealias Context = ThawRequestContext
    let readiness: DatabaseReadiness
    static let alwaysAnswered: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let reason = readiness.waitingFor, !Self.alwaysAnswered.contains(request.uri.path) {
            throw SQLError(.unavailable, reason)
        }
        return try await next(request, context)
    }
}
