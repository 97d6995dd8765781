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
    private let client: PostgresClient
    private let logger: Logger
    /// Events waiting to be sent, and whether a send is under way (it takes them all when it starts).
    private let outgoing = Mutex<(events: [LiveEvent], origin: UUID?, sending: Bool)>(([], nil, false))

    init(client: PostgresClient, logger: Logger) {
        self.client = client
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
                try await client.withConnection { connection in
                    // A closed connection would never answer (see `PostgresSQLConnection.requireOpen`).
                    guard !connection.isClosed else { throw SQLError(.unavailable, "the database connection was closed") }
                    for payload in payloads {
                        _ = try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
                    }
                }
            } catch {
                // The other processes' pages catch up when their own link to the database comes back.
                logger.warning("live events not relayed", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    func listen(ignoring origin: UUID, listening: @Sendable () -> Void, _ deliver: @Sendable ([LiveEvent]) -> Void) async throws {
        do {
            try await listenOnce(ignoring: origin, listening: listening, deliver)
        } catch let error as PSQLError {
            throw PostgresSQLConnection.translate(error)
        }
    }

    private func listenOnce(ignoring origin: UUID, listening: @Sendable () -> Void, _ deliver: @Sendable ([LiveEvent]) -> Void) async throws {
        try await client.withConnection { connection in
            guard !connection.isClosed else { throw SQLError(.unavailable, "the database connection was closed") }
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
