import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import ThawCore
import ThawStorage

/// Delivers the outbox after commit: fans new events out to their recipients, sends what is
/// due (retrying with backoff until `Outbox.maxAttempts`, then dead), and keeps subscriptions
/// alive with their handshake and heartbeats. Several processes may run it at once over
/// PostgreSQL: claiming locks rows and skips those another worker holds.
struct OutboxWorker: ServiceLifecycle.Service {
    let store: ThawStore
    /// The FHIR base notifications name resources under.
    let fhirBase: String
    let poll: Duration
    let logger: Logger
    /// When people's notifications are emailed; nil without SMTP.
    var email: EmailSchedule?
    var client: HTTPClient = .shared
    var timeout: TimeAmount = .seconds(10)

    /// Sends at most this many notifications at once; a slow endpoint holds one of them, not the worker.
    var concurrentSends = 32

    func run() async throws {
        let inFlight = InFlight()
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { sends in
                while !Task.isCancelled {
                    var busy = false
                    do {
                        busy = try await round(sends: &sends, inFlight: inFlight)
                    } catch {
                        logger.error("outbox round failed", metadata: ["error": .string(String(describing: error))])
                    }
                    if !busy { try? await Task.sleep(for: poll) }
                }
            }
        }
    }

    /// One round: fan out, then start the sends that are due without waiting for them to
    /// finish. True when it found work, so the next round starts at once.
    private func round(sends: inout DiscardingTaskGroup, inFlight: InFlight) async throws -> Bool {
        let fanned = try await store.fanOutEvents(email: email)
        let room = concurrentSends - (await inFlight.count)
        guard room > 0 else { return fanned > 0 }
        let due = try await store.claimDueDeliveries(limit: room)
        for delivery in due {
            await inFlight.add(1)
            sends.addTask {
                await deliver(delivery)
                await inFlight.add(-1)
            }
        }
        for subscription in try await store.claimHandshakes() {
            sends.addTask {
                let error = await send(.handshake, to: subscription, event: nil)
                do { try await store.recordHandshake(subscription.id, error: error) } catch {
                    logger.error("handshake not recorded", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
        for subscription in try await store.claimHeartbeats() {
            sends.addTask { _ = await send(.heartbeat, to: subscription, event: nil) }
        }
        return fanned > 0 || !due.isEmpty
    }

    private func deliver(_ delivery: DueDelivery) async {
        let error = await send(.eventNotification, to: delivery.subscription, event: (delivery.eventNumber, delivery.event))
        do {
            if let error {
                logger.warning(
                    "notification not delivered",
                    metadata: [
                        "subscription": .string(delivery.subscription.id.raw), "attempt": .stringConvertible(delivery.attempts),
                        "error": .string(error)
                    ])
                try await store.markFailed(delivery, error: error)
            } else {
                try await store.markDelivered(delivery)
            }
        } catch {
            // Left claimed: its lease runs out and it is sent again, with the same event id.
            logger.error("delivery not recorded", metadata: ["delivery": .string(delivery.id), "error": .string(String(describing: error))])
        }
    }

    /// POSTs a notification; nil when the endpoint answered 2xx, else what went wrong.
    private func send(_ kind: SubscriptionNotification.Kind, to subscription: Subscription, event: (number: Int64, event: OutboxEvent)?) async
        -> String?
    {
        let notification = SubscriptionNotification(kind, subscription: subscription, event: event, base: fhirBase, now: store.clock.now())
        do {
            var request = HTTPClientRequest(url: subscription.endpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/fhir+json")
            for header in subscription.headers {
                let parts = header.split(separator: ":", maxSplits: 1)
                if parts.count == 2 { request.headers.add(name: String(parts[0]), value: parts[1].trimmingCharacters(in: .whitespaces)) }
            }
            request.body = .bytes(ByteBuffer(bytes: try FHIRJSON.encoder.encode(notification)))
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(Int(response.status.code)) ? nil : "the endpoint answered \(response.status.code)"
        } catch {
            return "could not reach the endpoint: \(error)"
        }
    }
}

/// The sends under way, so that a round claims no more than there is room for.
private actor InFlight {
    private(set) var count = 0
    func add(_ change: Int) { count += change }
}
