import Foundation
import Synchronization
import ThawCore

/// Something changed on a referral: the pages of both organisations (and, for
/// an open referral, every inbox) may want to refresh. Carries ids only.
public struct ReferralChange: Sendable, Equatable {
    public var referralId: ID<Referral>
    public var organizations: Set<ID<Organization>>
    /// An open referral appeared or was claimed: any inbox may show it.
    public var open: Bool

    public init(referralId: ID<Referral>, organizations: Set<ID<Organization>>, open: Bool) {
        self.referralId = referralId; self.organizations = organizations; self.open = open
    }

    public func concerns(_ organization: ID<Organization>) -> Bool { open || organizations.contains(organization) }
}

/// What a live page hears: a referral changed, or someone's access ended (a
/// session signed out, a user deactivated), after which their streams must stop.
public enum LiveEvent: Sendable, Equatable {
    case referral(ReferralChange)
    /// One session ended (by its digest), or every session of a user.
    case accessEnded(sessionDigest: String?, user: ID<User>?)
    /// Changes may have gone unheard (the link to the other processes was down for a
    /// while): every page should fetch itself again.
    case catchUp

    public var referralChange: ReferralChange? { if case .referral(let change) = self { change } else { nil } }

    /// Whether this ends the stream of `user`'s session with `sessionDigest`.
    public func ends(sessionDigest digest: String, user: ID<User>) -> Bool {
        guard case .accessEnded(let endedDigest, let endedUser) = self else { return false }
        return endedDigest == digest || endedUser == user
    }
}

/// Fans committed referral changes and ended access out to live subscribers (the
/// web pages' server-sent events) in this process and, through its relay, in every
/// other process on the same database (PostgreSQL's LISTEN/NOTIFY).
public final class ChangeFeed: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<LiveEvent>.Continuation]>([:])
    private let relay: (any LiveRelay)?
    /// This feed among the processes: its own events come back from the relay and are not delivered twice.
    private let origin = UUID()

    public init(relay: (any LiveRelay)? = nil) { self.relay = relay }

    /// A stream of changes from now on; it ends when `cancel` is called.
    public func subscribe() -> (stream: AsyncStream<LiveEvent>, cancel: @Sendable () -> Void) {
        let id = UUID()
        // Drop the oldest when a slow reader falls behind: a page only needs to know that something changed.
        let (stream, continuation) = AsyncStream<LiveEvent>.makeStream(bufferingPolicy: .bufferingNewest(32))
        subscribers.withLock { $0[id] = continuation }
        let cancel: @Sendable () -> Void = { [weak self] in
            let removed = self?.subscribers.withLock { $0.removeValue(forKey: id) }
            removed?.finish()
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return (stream, cancel)
    }

    /// Tells this process's pages, and the other processes', of a committed change.
    public func publish(_ event: LiveEvent) {
        deliver([event])
        relay?.send([event], from: origin)
    }

    private func deliver(_ events: [LiveEvent]) {
        let continuations = subscribers.withLock { Array($0.values) }
        for event in events {
            for continuation in continuations { continuation.yield(event) }
        }
    }

    /// Whether other processes' changes reach this feed (a database shared between processes).
    public var isRelayed: Bool { relay != nil }

    /// Delivers the other processes' changes to this process's pages until cancelled,
    /// listening again after a lost connection. Each time it listens again, pages are told
    /// to catch up on what may have passed unheard. Returns at once without a relay.
    public func relayChanges(retryAfter: Duration = .seconds(1), failed: @Sendable (any Error) -> Void = { _ in }) async {
        guard let relay else { return }
        let origin = self.origin
        let listenedBefore = Mutex(false)
        while !Task.isCancelled {
            do {
                try await relay.listen(ignoring: origin) {
                    if listenedBefore.withLock({ before in
                        defer { before = true }; return before
                    }) {
                        self.deliver([.catchUp])
                    }
                } _: { events in
                    self.deliver(events)
                }
            } catch {
                if Task.isCancelled { return }
                failed(error)
            }
            try? await Task.sleep(for: retryAfter)
        }
    }

    /// Ends every stream (the server is shutting down).
    public func finishAll() {
        for continuation in subscribers.withLock({ s -> [AsyncStream<LiveEvent>.Continuation] in
            defer { s.removeAll() }
            return Array(s.values)
        }) { continuation.finish() }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}

extension ScopedStore {
    /// Tells live pages about a committed change to this referral.
    func published(_ referral: Referral, open: Bool = false) -> Referral {
        var organizations: Set<ID<Organization>> = [referral.requesterOrganizationId]
        if let owner = referral.ownerOrganizationId { organizations.insert(owner) }
        store.changes.publish(.referral(ReferralChange(referralId: referral.id, organizations: organizations, open: open || referral.isOpen)))
        return referral
    }
}
