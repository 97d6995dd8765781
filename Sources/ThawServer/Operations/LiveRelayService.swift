import Logging
import ServiceLifecycle
import ThawStorage

/// Brings other processes' live events to this process's pages, for as long as the
/// server runs (PostgreSQL only: on SQLite one process has the database to itself).
struct LiveRelayService: Service {
    let changes: ChangeFeed
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await changes.relayChanges { error in
                logger.warning(
                    "live events from other processes interrupted; listening again", metadata: ["error": .string(String(describing: error))])
            }
        }
    }
}
