import Logging
import ServiceLifecycle
import ThawStorage

/// Folds ledger entries into the climate's month rows shortly after they commit, so the list
/// of entries to fold stays short and a climate page seldom has any to fold before it reads.
/// Every process runs one; on PostgreSQL they fold disjoint batches.
struct ClimateFoldWorker: Service {
    let store: ThawStore
    let poll: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var folded = 0
                do {
                    folded = try await store.foldPendingClimate(batches: 1, waitingForOthers: false)
                } catch {
                    logger.error("climate fold failed", metadata: ["error": .string(String(describing: error))])
                }
                // A full batch: more may be waiting.
                if folded < ThawStore.climateFoldBatch { try await Task.sleep(for: poll) }
            }
        }
    }
}
