import Foundation
import Logging
import PostgresNIO
import Synchronization
import ThawCore

/// Live events between processes over PostgreSQL's `LISTEN`/`NOTIFY` on one channel.
///
/// Sending is one statement per batch on any pooled connection, outside the change's
/// own transaction: the change is already committed when its event is published, and
/// a burst of changes (a busy inbox) goes out as a few notifications, not one each.
/// Listening holds one pooled connection for as long as the server runs.
final class PostgresLiveRelay: LiveRelay {
    static let channel = "thaw_live"
    private let database: PostgresDatabase
    private let logger: Logger
    /// Events waiting to be sent, and whether a send is under way (it takes them all when it starts).
    private let outgoing = Mutex<(events: [LiveEvent], origin: UUID?, sending: Bool)>(([], nil, false))

    init(database: PostgresDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    func send(_ events: [LiveEvent], from origin: UUID) {
        let start = outgoing.withLock { state -> Bool in
            state.events.append(contentsOf: events)
            state.origin = origin
            defer { state.sending = true }
            return !state.sending
        }
        guard start else { return }
        Task { await drain() }
    }

    /// Sends what is waiting, and what arrives meanwhile, until nothing is left.
    private func drain() async {
        while true {
            let next = outgoing.withLock { state -> (events: [LiveEvent], origin: UUID)? in
                guard let origin = state.origin, !state.events.isEmpty else {
                    state.sending = false
                    return nil
                }
                defer { state.events.removeAll() }
                return (state.events, origin)
            }
            guard let next else { return }
            let payloads = RelayedEvents.payloads(next.events, origin: next.origin)
            do {
                // Through the watched path a request takes, so a connection closed under it cannot stop the sending for good.
                try await database.read { db in
                    for payload in payloads {
                        _ = try await db.query("SELECT pg_notify(?, ?) AS sent", [.text(Self.channel), .text(payload)])
                    }
                }
            } catch {
                // The other processes' pages catch up when their own link to the database comes back.
                logger.warning("live events not relayed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    func listen(ignoring origin: UUID, listening: @Sendable () -> Void, _ deliver: @Sendable ([LiveEvent]) -> Void) async throws {
        try await database.withListeningConnection { connection in
            try await connection.listen(on: Self.channel) { notifications in
                listening()
                for try await notification in notifications {
                    guard let relayed = RelayedEvents.decode(notification.payload), relayed.origin != origin else { continue }
                    deliver(relayed.liveEvents)
                }
            }
        }
    }
}
