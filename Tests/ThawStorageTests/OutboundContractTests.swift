import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Referrals to a partner's own system, on every backend: queued when sent, sent with what the
/// consent allows, and — cancelled by the referring side — cancelled there too, or never sent.
@Suite struct OutboundContractTests {
    @Test(arguments: Backend.available)
    func aCancelledReferralIsCancelledInThePartnersSystemWithoutTheReferrersWords(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await w.store.configurePartnerEndpoint(
                w.housing.id, NewPartnerEndpoint(fhirBase: "https://homeward.example/fhir", clientId: "riverside", remoteOrganizationId: "org-h"),
                by: w.networkAdmin)

            // Sent, then cancelled here: a cancellation to send to the partner's system.
            let sent = try await w.refer()
            try await w.store.fanOutEvents()
            let claimed = try await w.store.claimOutbound()
            #expect(claimed.map(\.referral.id) == [sent.id])
            try await w.store.markOutboundSent(sent.id, remoteTask: "Task/remote-1")
            _ = try await w.store.scoped(to: w.navigator).changeStatus(
                sent.id, StatusChange(status: .cancelled, reason: "Family took her in"), expectedVersion: sent.version)
            try await w.store.fanOutEvents()
            let cancellations = try await w.store.claimOutboundCancellations()
            #expect(cancellations.map(\.remoteTask) == ["Task/remote-1"])
            // The consent World records covers notes: the partner may read the reason, so it goes.
            #expect(cancellations.first?.reason == "Family took her in")
            #expect(try await w.store.claimOutboundCancellations().isEmpty)  // leased

            // A refusal is final; the row is dead, not retried.
            if let first = cancellations.first {
                try await w.store.markOutboundCancelFailed(first, error: "422", refused: true)
            }
            w.clock.advance(seconds: 3600)
            #expect(try await w.store.claimOutboundCancellations().isEmpty)

            // Without the notes scope the reason stays here.
            let consent = try await w.store.scoped(to: w.navigator).recordConsent(
                client: w.client.id,
                NewConsent(grantee: .organization(w.housing.id), scopes: [.needs], purpose: .referral, validUntil: w.clock.now().adding(days: 30)))
            _ = try await w.store.scoped(to: w.navigator).revokeConsent(client: w.client.id, consent: w.housingConsent.id)
            #expect(consent.scopes == [.needs])
            let second = try await w.refer()
            try await w.store.fanOutEvents()
            #expect(try await w.store.claimOutbound().map(\.referral.id) == [second.id])
            try await w.store.markOutboundSent(second.id, remoteTask: "Task/remote-2")
            _ = try await w.store.scoped(to: w.navigator).changeStatus(
                second.id, StatusChange(status: .cancelled, reason: "Family took her in"), expectedVersion: second.version)
            try await w.store.fanOutEvents()
            let withheld = try await w.store.claimOutboundCancellations()
            #expect(withheld.map(\.reason) == ["Cancelled by the referring organisation"])
            if let first = withheld.first { try await w.store.markOutboundCancelled(first.referralId) }
            w.clock.advance(seconds: 3600)
            #expect(try await w.store.claimOutboundCancellations().isEmpty)

            // Cancelled before it was sent: it never goes.
            let unsent = try await w.refer()
            try await w.store.fanOutEvents()
            _ = try await w.store.scoped(to: w.navigator).changeStatus(
                unsent.id, StatusChange(status: .cancelled, reason: "Entered by mistake"), expectedVersion: unsent.version)
            try await w.store.fanOutEvents()
            #expect(try await w.store.claimOutbound().isEmpty)
            #expect(try await w.store.claimOutboundCancellations().isEmpty)

            // Cancelled while on its way: once the partner's system has it, the cancellation follows.
            let racing = try await w.refer()
            try await w.store.fanOutEvents()
            #expect(try await w.store.claimOutbound().map(\.referral.id) == [racing.id])
            _ = try await w.store.scoped(to: w.navigator).changeStatus(
                racing.id, StatusChange(status: .cancelled, reason: "Moved away"), expectedVersion: racing.version)
            try await w.store.fanOutEvents()
            try await w.store.markOutboundSent(racing.id, remoteTask: "Task/remote-3")
            #expect(try await w.store.claimOutboundCancellations().map(\.remoteTask) == ["Task/remote-3"])
        }
    }
}
