import Foundation
import Synchronization
import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Live events between processes: what one process publishes reaches the pages of another on
/// the same PostgreSQL database, once, and a process whose link to the others broke tells its
/// pages to catch up when the link is back.
@Suite struct LiveRelayTests {
    static let change = LiveEvent.referral(
        ReferralChange(referralId: ID("ref_1"), organizations: [ID("org_a"), ID("org_b")], open: false))

    @Test func eventsTravelAsSmallBatchesAndComeBackTheSame() throws {
        let origin = UUID()
        var events: [LiveEvent] = (0..<70).map { n in
            .referral(ReferralChange(referralId: ID("ref_\(n)"), organizations: [ID("org_\(n)")], open: n % 2 == 0))
        }
        events.append(.accessEnded(sessionDigest: "abc", user: nil))
        events.append(.accessEnded(sessionDigest: nil, user: ID("usr_1")))
        let payloads = RelayedEvents.payloads(events, origin: origin)
        #expect(payloads.count == 3)
        // PostgreSQL refuses a notification of 8,000 bytes or more.
        #expect(payloads.allSatisfy { $0.utf8.count < 8_000 })
        let decoded = payloads.compactMap(RelayedEvents.decode)
        #expect(decoded.allSatisfy { $0.origin == origin })
        #expect(decoded.flatMap(\.liveEvents) == events)
        // What is not ours is ignored rather than trusted.
        #expect(RelayedEvents.decode("not json") == nil)
        #expect(RelayedEvents.decode(#"{"origin":"x","events":[]}"#) == nil)
    }

    @Test(arguments: Backend.available.filter { $0 == .postgres })
    func aChangeInOneProcessReachesTheOthersPagesOnce(backend: Backend) async throws {
        let test = try await TestDatabase.make(backend)
        let other = try await test.reopen()
        let here = ThawStore(database: test.database, clock: SystemClock())
        let there = ThawStore(database: other, clock: SystemClock())
        #expect(here.changes.isRelayed && there.changes.isRelayed)
        let relays = [
            Task { await here.changes.relayChanges(retryAfter: .milliseconds(100)) },
            Task { await there.changes.relayChanges(retryAfter: .milliseconds(100)) }
        ]
        let heard = Heard(there.changes), own = Heard(here.changes)
        // The other process starts listening in its own time: publish until it hears.
        var sent = 0
        for _ in 0..<50 where heard.events.isEmpty {
            here.changes.publish(Self.change)
            sent += 1
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(heard.events.first == Self.change)
        // Notifications still on their way arrive before counting on.
        try await heard.settle()

        // Its own pages hear each of its changes once: its own notification does not come back to them.
        let ended = LiveEvent.accessEnded(sessionDigest: nil, user: ID("usr_gone"))
        let heardBefore = heard.events.count
        here.changes.publish(ended)
        try await heard.settle()
        #expect(own.events.count == sent + 1)
        #expect(heard.events.count == heardBefore + 1)
        #expect(heard.events.last == ended)

        // The listening connection is cut: the pages there are told to catch up, and hear again after.
        _ = try await test.database.read { db in
            try await db.query(
                """
                SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
                WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()
                """, [])
        }
        let before = heard.events.count
        for _ in 0..<50 where !heard.events.dropFirst(before).contains(Self.change) {
            here.changes.publish(Self.change)
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(heard.events.dropFirst(before).contains(.catchUp))
        #expect(heard.events.dropFirst(before).contains(Self.change))

        heard.stop(); own.stop()
        for relay in relays { relay.cancel(); await relay.value }
        try await other.close()
        await test.cleanup()
    }
}

/// Everything a page subscribed to a feed hears.
final class Heard: Sendable {
    private final class Events: Sendable { let list = Mutex<[LiveEvent]>([]) }
    private let heard = Events()
    let stop: @Sendable () -> Void

    init(_ feed: ChangeFeed) {
        let (stream, cancel) = feed.subscribe()
        let heard = self.heard
        Task { for await event in stream { heard.list.withLock { $0.append(event) } } }
        stop = cancel
    }

    var events: [LiveEvent] { heard.list.withLock { $0 } }

    /// Returns once nothing new has been heard for a second.
    func settle() async throws {
        var count = -1
        while count != events.count {
            count = events.count
            try await Task.sleep(for: .seconds(1))
        }
    }
}
