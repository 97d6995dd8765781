import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// People's notifications on every backend: who hears of what, that nobody reads another's,
/// and the email queue's timing (at once, at the digest, never), retries and preferences.
@Suite struct NotificationContractTests {
    @Test(arguments: Backend.available)
    func referralEventsNotifyTheOtherSideAndQueueEmailByPreference(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let email = EmailSchedule(digestHourUTC: 12)
            try await w.store.scoped(to: w.navigator).setNotificationPreference(.referralAccepted, .digest)

            let referral = try await w.refer()
            try await w.store.fanOutEvents(email: email)
            let housing = try await w.store.scoped(to: w.housingStaff).notifications()
            #expect(housing.unread == 1 && housing.items.first?.kind == .newReferral && housing.items.first?.referralId == referral.id)
            #expect(housing.items.first?.summary == "Riverside Clinic sent Homeward Housing a referral.")
            #expect(try await w.store.scoped(to: w.navigator).notifications().items.isEmpty)  // its own act
            #expect(try await w.store.scoped(to: w.foodStaff).notifications().items.isEmpty)  // not a party

            // The new referral is emailed at once, with a fresh preferences link.
            let batches = try await w.store.claimDueEmails()
            #expect(batches.map(\.user.id) == [w.housingStaff.userId] && batches.first?.notifications.count == 1)
            guard let batch = batches.first else { return }
            #expect(try await w.store.emailLinkUser(batch.linkToken).id == w.housingStaff.userId)
            await #expect(throws: ThawError.self) { try await w.store.emailLinkUser(batch.linkToken + "0") }

            // A failure is tried again after the backoff; a success is not sent again.
            try await w.store.markEmailFailed(batch, error: "451 try later")
            #expect(try await w.store.claimDueEmails().isEmpty)
            w.clock.advance(seconds: 2)
            let retried = try await w.store.claimDueEmails()
            #expect(retried.map(\.attempts) == [2])
            if let again = retried.first { try await w.store.markEmailed(again) }
            w.clock.advance(seconds: 60)
            #expect(try await w.store.claimDueEmails().isEmpty)

            // Accepted: the navigator hears of it, in the digest, not at once.
            _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            try await w.store.fanOutEvents(email: email)
            let navigator = try await w.store.scoped(to: w.navigator).notifications()
            #expect(navigator.items.map(\.kind) == [.referralAccepted])
            #expect(try await w.store.claimDueEmails().isEmpty)
            w.clock.set(email.nextDigest(after: w.clock.now()))
            #expect(try await w.store.claimDueEmails().map(\.user.id) == [w.navigator.userId])

            // Marking read touches only one's own; turning a kind off drops what is queued.
            try await w.store.scoped(to: w.foodStaff).markNotificationsRead(housing.items.map(\.id))
            #expect(try await w.store.scoped(to: w.housingStaff).notifications().unread == 1)
            try await w.store.scoped(to: w.housingStaff).markNotificationsRead(nil)
            #expect(try await w.store.scoped(to: w.housingStaff).notifications().unread == 0)
            let second = try await w.refer()
            try await w.store.fanOutEvents(email: email)
            try await w.store.setEmailLinkPreference(batch.linkToken, .newReferral, .off)
            #expect(try await w.store.claimDueEmails().isEmpty)
            #expect(try await w.store.scoped(to: w.housingStaff).notifications().items.first?.referralId == second.id)
        }
    }

    @Test func audienceRulesFollowWhoActed() {
        #expect(
            NotificationRules.audience(kind: "referral.created", detail: ["status": "requested"], byOwner: false, hasOwner: true).map(\.1) == [
                .newReferral
            ])
        #expect(NotificationRules.audience(kind: "referral.created", detail: ["status": "draft"], byOwner: false, hasOwner: true).isEmpty)
        #expect(
            NotificationRules.audience(kind: "referral.status-changed", detail: ["to": "rejected"], byOwner: true, hasOwner: true).map(\.1) == [
                .referralDeclined
            ])
        #expect(
            NotificationRules.audience(kind: "referral.status-changed", detail: ["to": "cancelled"], byOwner: false, hasOwner: true).map(\.1) == [
                .referralCancelled
            ])
        #expect(NotificationRules.audience(kind: "referral.message-sent", detail: [:], byOwner: false, hasOwner: true).map(\.0) == [.ownerStaff])
        #expect(NotificationRules.audience(kind: "referral.message-read", detail: [:], byOwner: true, hasOwner: true).isEmpty)
    }
}
