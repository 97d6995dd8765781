import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The outbox on every backend: an event exists exactly when its change does, fans out only
/// to subscriptions that may see the referral, and is retried with backoff until delivered
/// or dead; two workers never claim the same delivery.
@Suite struct OutboxContractTests {
    func activeSubscription(_ w: World, _ actor: Actor, _ filter: SubscriptionFilter = SubscriptionFilter()) async throws -> Subscription {
        let made = try await w.store.scoped(to: actor).createSubscription(
            NewSubscription(topic: .taskChanged, filter: filter, endpoint: "https://partner.example/hook"))
        #expect(try await w.store.claimHandshakes().map(\.id) == [made.id])
        try await w.store.recordHandshake(made.id, error: nil)
        return try await w.store.scoped(to: actor).subscription(made.id)
    }

    @Test(arguments: Backend.available)
    func eventsFanOutToWhoMaySeeAndRetryUntilDeliveredOrDead(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let housing = try await activeSubscription(w, w.housingStaff)
            let food = try await activeSubscription(w, w.foodStaff)
            let clinic = try await activeSubscription(w, w.navigator, SubscriptionFilter(statuses: [.accepted]))
            #expect(housing.status == .active)
            try await w.store.fanOutEvents()

            // A refused change leaves no event; a made one leaves exactly one.
            let events = try await w.count("outbox_events")
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.navigator).createReferral(
                    NewReferral(clientId: w.client.id, organizationId: w.unrelated.id, needCategory: .housing))
            }
            #expect(try await w.count("outbox_events") == events)
            let referral = try await w.refer()
            #expect(try await w.count("outbox_events") == events + 1)

            // The housing partner (the owner) hears of it; the food bank (no party) and the clinic
            // (filtered to accepted) do not.
            #expect(try await w.store.fanOutEvents() == 1)
            var due = try await w.store.claimDueDeliveries()
            #expect(due.map(\.subscription.id) == [housing.id])
            #expect(due.first?.event.subjectId == referral.id.raw && due.first?.eventNumber == 1)
            #expect(try await w.store.claimDueDeliveries().isEmpty)  // held by its lease
            _ = food

            // Accepted: now the clinic hears of it too.
            _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            try await w.store.fanOutEvents()
            let second = try await w.store.claimDueDeliveries()
            #expect(Set(second.map(\.subscription.id)) == [housing.id, clinic.id])
            for delivery in second { try await w.store.markDelivered(delivery) }

            // A failure is tried again after its backoff, with the same event; after the last attempt it is dead.
            guard var delivery = due.first else { return }
            for attempt in 1...Outbox.maxAttempts {
                #expect(delivery.attempts == attempt)
                try await w.store.markFailed(delivery, error: "the endpoint answered 503")
                #expect(try await w.store.claimDueDeliveries().isEmpty)
                w.clock.advance(seconds: Outbox.backoffMillis(afterAttempts: attempt) / 1000)
                due = try await w.store.claimDueDeliveries()
                if attempt == Outbox.maxAttempts {
                    #expect(due.isEmpty)
                } else {
                    #expect(due.map(\.id) == [delivery.id] && due.first?.eventNumber == 1)
                    delivery = due[0]
                }
            }
            #expect(try await w.count("deliveries WHERE dead_at IS NOT NULL") == 1)

            // An administrator sees what was given up for their organisation only, and sends it again.
            #expect(try await w.store.scoped(to: w.clinicAdmin).deadLetters().isEmpty)
            await #expect(throws: ThawError.notFound("undelivered notification \(delivery.id)")) {
                try await w.store.scoped(to: w.clinicAdmin).retryDeadLetter(delivery.id)
            }
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).deadLetters() }
            let dead = try await w.store.scoped(to: w.networkAdmin).deadLetters()
            #expect(dead.map(\.id) == [delivery.id] && dead.first?.lastError == "the endpoint answered 503")
            try await w.store.scoped(to: w.networkAdmin).retryDeadLetter(delivery.id)
            #expect(try await w.store.claimDueDeliveries().map(\.attempts) == [1])
        }
    }

    @Test(arguments: Backend.available)
    func concurrentWorkersClaimEachDeliveryOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await activeSubscription(w, w.housingStaff)
            for _ in 0..<40 {
                let referral = try await w.refer()
                _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            }
            async let fannedA = w.store.fanOutEvents(limit: 30)
            async let fannedB = w.store.fanOutEvents(limit: 30)
            let fanned = try await fannedA + fannedB
            let rest = try await w.store.fanOutEvents()
            #expect(fanned + rest == 80)
            #expect(try await w.count("deliveries") == 80)
            async let a = w.store.claimDueDeliveries(limit: 50)
            async let b = w.store.claimDueDeliveries(limit: 50)
            let claimed = try await a + b
            #expect(claimed.count == 80 && Set(claimed.map(\.id)).count == 80)
        }
    }
}
