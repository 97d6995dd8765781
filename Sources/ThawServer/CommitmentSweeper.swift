import Logging
import ServiceLifecycle
import ThawStorage

/// Marks overdue commitments as missed on a schedule, so the ledger records a
/// miss even when nobody opens the list. Lists also sweep before they read;
/// this makes the record independent of anyone looking.
struct CommitmentSweeper: Service {
    let store: ThawStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Ends at once on graceful shutdown (SIGTERM), between sweeps or during the wait:
        // the cancelled sleep is how it stops, not a failure.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let marked = try await store.markMissedCommitments()
                    if marked > 0 { logger.info("commitments marked missed", metadata: ["count": .stringConvertible(marked)]) }
                } catch {
                    logger.error("commitment sweep failed", metadata: ["error": .string(String(describing: error))])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
