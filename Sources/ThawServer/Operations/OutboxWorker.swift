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
    var concurrentSends = 64

    func run() async throws {
        let inFlight = InFlight()
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { sends in
                var lastKeepAlive = ContinuousClock.now - .seconds(1)
                while !Task.isCancelled {
                    var busy = false
                    do {
                        busy = try await round(sends: &sends, inFlight: inFlight)
                        // Handshakes and heartbeats need no finer time than a second.
                        if ContinuousClock.now - lastKeepAlive >= .seconds(1) {
                            lastKeepAlive = .now
                            try await keepAlive(sends: &sends)
                        }
                    } catch {
                        logger.error("outbox round failed", metadata: ["error": .string(String(describing: error))])
                    }
                    if !busy { try? await Task.sleep(for: poll) }
                }
            }
        }
    }

    /// One round, one transaction: what the sends since the last round came to, the events to fan
    /// out, the deliveries due; then those sends start, without waiting for them. True when it
    /// found work, so the next round starts at once.
    private func round(sends: inout DiscardingTaskGroup, inFlight: InFlight) async throws -> Bool {
        let finished = await inFlight.drain()
        let room = concurrentSends - (await inFlight.count)
        let (fanned, due) = try await store.outboxRound(finished: finished, claimLimit: max(0, room), email: email)
        for delivery in due {
            await inFlight.start()
            sends.addTask {
                let error = await send(.eventNotification, to: delivery.subscription, event: (delivery.eventNumber, delivery.event))
                if let error {
                    logger.warning(
                        "notification not delivered",
                        metadata: [
                            "subscription": .string(delivery.subscription.id.raw), "attempt": .stringConvertible(delivery.attempts),
                            "error": .string(error)
                        ])
                }
                await inFlight.finish(delivery, error: error)
            }
        }
        return fanned > 0 || !due.isEmpty || !finished.isEmpty
    }

    private func keepAlive(sends: inout DiscardingTaskGroup) async throws {
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

/// The sends under way, so that a round claims no more than there is room for, and what the
/// finished ones came to until the next round records it. A crash before then loses nothing: the
/// deliveries' leases run out and they are sent again, with the same event number.
private actor InFlight {
    private(set) var count = 0
    private var finished = DeliveryResults()

    func start() { count += 1 }

    func finish(_ delivery: DueDelivery, error: String?) {
        count -= 1
        if let error { finished.failed.append((delivery, error)) } else { finished.delivered.append(delivery) }
    }

    func drain() -> DeliveryResults {
        defer { finished = DeliveryResults() }
        return finished
    }
}
