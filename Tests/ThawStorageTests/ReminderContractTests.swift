import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Reminders the deadline sweep makes, on every backend: who hears of a follow-up, a commitment,
/// consultation feedback, ending funding and an open survey; each once; none naming a client.
@Suite struct ReminderContractTests {
    @Test(arguments: Backend.available)
    func partnershipRemindersReachTheLeadsConcernedOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let housingLead = try await w.addPerson(w.housing, "lead@housing.test", [.partnershipLead])
            let foodLead = try await w.addPerson(w.food, "lead@food.test", [.partnershipLead])
            let today = CalendarDate(w.clock.now())
            let lead = w.store.scoped(to: w.clinicLead)

            // Due in two days, nobody named: the clinic's partnership leads hear of it.
            let commitment = try await lead.createCommitment(
                NewCommitment(toOrganizationId: w.housing.id, what: "Share the intake form", context: .meeting, dueOn: today.adding(days: 2)))
            // Due in ten days: not yet.
            _ = try await lead.createCommitment(
                NewCommitment(toOrganizationId: w.food.id, what: "Later", context: .meeting, dueOn: today.adding(days: 10)))
            // Housing has answered the consultation, Food has not: only Food's lead is reminded.
            let consultation = try await lead.createConsultation(
                NewConsultation(
                    title: "Shared intake", proposal: "One form", invitedOrganizationIds: [w.housing.id, w.food.id], deadline: today.adding(days: 3)))
            _ = try await w.store.scoped(to: housingLead).addFeedback(consultation.id, text: "Yes, with a French version")
            // Ends in 100 days: the 180-day alert, to the leads of both parties.
            let funding = try await lead.recordFunding(
                NewFundingAgreement(
                    title: "Navigator post", purpose: "salary", amountCents: 5_000_000, partyOrganizationIds: [w.clinic.id, w.housing.id],
                    startsOn: today.adding(days: -265), endsOn: today.adding(days: 100)))
            // Open today, among the clinic and Housing: everyone in both may answer.
            let round = try await lead.scheduleSurvey(
                NewSurveyRound(title: "Winter pulse", participantOrganizationIds: [w.housing.id], opensOn: today, closesOn: today.adding(days: 14)))

            let email = EmailSchedule(digestHourUTC: 12)
            let made = try await w.store.remind(email: email)
            #expect(try await w.store.remind(email: email) == 0)  // each once

            func kinds(_ actor: Actor) async throws -> [NotificationKind: NotificationSubject] {
                Dictionary(
                    try await w.store.scoped(to: actor).notifications().items.map { ($0.kind, $0.subject) }, uniquingKeysWith: { a, _ in a })
            }
            let clinicLead = try await kinds(w.clinicLead)
            #expect(clinicLead[.commitmentDue] == NotificationSubject(.commitment, commitment.id.raw))
            #expect(clinicLead[.fundingAlert] == NotificationSubject(.funding, funding.id.raw))
            #expect(clinicLead[.surveyOpen] == NotificationSubject(.survey, round.id.raw))
            #expect(clinicLead[.feedbackDue] == nil)  // the convener is not reminded to answer itself
            let housing = try await kinds(housingLead)
            #expect(housing[.fundingAlert] != nil && housing[.feedbackDue] == nil && housing[.commitmentDue] == nil)
            let food = try await kinds(foodLead)
            #expect(food[.feedbackDue] == NotificationSubject(.consultation, consultation.id.raw) && food[.fundingAlert] == nil)
            #expect(food[.surveyOpen] == nil)  // not a participant
            #expect(try await kinds(w.housingStaff).keys.sorted { $0.rawValue < $1.rawValue } == [.surveyOpen])
            #expect(try await kinds(w.navigator).keys.sorted { $0.rawValue < $1.rawValue } == [.surveyOpen])
            // 2 clinic leads' reminders (commitment, funding) + housing lead's funding + food's feedback + 7 survey participants.
            #expect(made == 11)

            // What a reminder says names organisations and dates, never the promise's words.
            let summaries = try await w.store.scoped(to: w.clinicLead).notifications().items.map(\.summary)
            #expect(summaries.contains("The commitment Riverside Clinic made to Homeward Housing is due on \(today.adding(days: 2))."))
            #expect(!summaries.joined().contains("intake form"))

            // A commitment is emailed at once by default; the others wait for the digest.
            #expect(try await w.store.claimDueEmails().flatMap(\.notifications).map(\.kind) == [.commitmentDue])

            // Twenty-five days before the end the 30-day threshold is reached: a second alert to each party's lead.
            w.clock.advance(seconds: 75 * 86_400)
            #expect(try await w.store.remind(email: nil) == 2)
            let alerts = try await w.store.scoped(to: housingLead).notifications().items.filter { $0.kind == .fundingAlert }
            #expect(alerts.count == 2 && alerts.first?.summary.contains("in 25 days") == true)
        }
    }

    @Test(arguments: Backend.available)
    func theNavigatorHearsOnceWhenAFollowUpFallsDueAndAgainForANewDate(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            #expect(try await w.store.remind(email: nil) == 0)  // fourteen days away

            w.clock.advance(seconds: 14 * 86_400)
            #expect(try await w.store.remind(email: nil) == 1)
            #expect(try await w.store.remind(email: nil) == 0)
            let items = try await w.store.scoped(to: w.navigator).notifications().items.filter { $0.kind == .followUpDue }
            #expect(items.map(\.referralId) == [referral.id])
            #expect(items.first?.summary == "A referral from Riverside Clinic to Homeward Housing is due for follow-up.")
            #expect(try await w.store.scoped(to: w.housingStaff).notifications().items.allSatisfy { $0.kind != .followUpDue })

            // A new follow-up date reminds again when it comes.
            let moved = try await w.store.scoped(to: w.navigator).updateReferral(
                referral.id, ReferralUpdate(followUpDue: w.clock.now().adding(days: 3)), expectedVersion: referral.version)
            w.clock.advance(seconds: 3 * 86_400)
            #expect(try await w.store.remind(email: nil) == 1)

            // A closed referral needs no follow-up reminder.
            let moveAgain = try await w.store.scoped(to: w.navigator).updateReferral(
                referral.id, ReferralUpdate(followUpDue: w.clock.now().adding(days: 3)), expectedVersion: moved.version)
            let cancelled = try await w.store.scoped(to: w.navigator).changeStatus(
                referral.id, StatusChange(status: .cancelled, reason: "client moved"), expectedVersion: moveAgain.version)
            #expect(cancelled.status == .cancelled)
            w.clock.advance(seconds: 3 * 86_400)
            #expect(try await w.store.remind(email: nil) == 0)
        }
    }
}
