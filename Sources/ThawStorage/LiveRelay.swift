import Foundation
import ThawCore

/// Carries live events between server processes that share one database, so a page
/// connected to one process hears of a change made through another. Events are ids
/// only, as on the page's own stream.
public protocol LiveRelay: Sendable {
    /// Passes events on to the other processes, without waiting: a page that misses
    /// one catches up on its next refresh, and a change never waits on its announcement.
    func send(_ events: [LiveEvent], from origin: UUID)
    /// Hears the other processes' events until cancelled or until the connection fails
    /// (then it throws). `listening` is called once the subscription is in place.
    func listen(ignoring origin: UUID, listening: @Sendable () -> Void, _ deliver: @Sendable ([LiveEvent]) -> Void) async throws
}

/// The events as they travel between processes: JSON, in PostgreSQL's 8,000-byte limit for
/// a notification's payload (a batch is cut into several notifications well below it).
struct RelayedEvents: Codable, Equatable {
    /// The process (its change feed) that sent them; it does not deliver them twice.
    var origin: UUID
    var events: [Event]

    struct Event: Codable, Equatable {
        var referral: String?
        var organizations: [String]?
        var open: Bool?
        var endedSession: String?
        var endedUser: String?
    }

    init(origin: UUID, events: [LiveEvent]) {
        self.origin = origin
        self.events = events.map { event in
            switch event {
            case .referral(let change):
                Event(referral: change.referralId.raw, organizations: change.organizations.map(\.raw).sorted(), open: change.open)
            case .accessEnded(let digest, let user):
                Event(endedSession: digest, endedUser: user?.raw)
            case .catchUp:
                Event()
            }
        }
    }

    /// The events read back; anything this version does not understand is left out.
    var liveEvents: [LiveEvent] {
        events.compactMap { event in
            if let referral = event.referral {
                let organizations = Set((event.organizations ?? []).map { ID<Organization>($0) })
                return .referral(ReferralChange(referralId: ID(referral), organizations: organizations, open: event.open ?? false))
            }
            if event.endedSession != nil || event.endedUser != nil {
                return .accessEnded(sessionDigest: event.endedSession, user: event.endedUser.map { ID($0) })
            }
            return nil
        }
    }

    /// At most this many events in one notification: each is under 200 bytes.
    static let batch = 30

    /// The notifications' payloads for `events`, in order.
    static func payloads(_ events: [LiveEvent], origin: UUID) -> [String] {
        let encoder = JSONEncoder()
        return stride(from: 0, to: events.count, by: batch).compactMap { start in
            let slice = Array(events[start..<min(start + batch, events.count)])
            guard let data = try? encoder.encode(RelayedEvents(origin: origin, events: slice)) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func decode(_ payload: String) -> RelayedEvents? {
        try? JSONDecoder().decode(RelayedEvents.self, from: Data(payload.utf8))
    }
}
