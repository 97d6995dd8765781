import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Responsiveness and the survey component on every backend.
@Suite struct ClimateComponentsContractTests {
    /// Each item that needed an answer counts once: in time, late, or overdue
    /// (recorded by the sweep, after which its late answer adds nothing).
    @Test(arguments: Backend.available)
    func responsivenessCountsEachItemOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let partner = w.store.scoped(to: w.housingStaff), lead = w.store.scoped(to: w.clinicLead)
            let housingLead = try await w.addPerson(w.housing, "lead@housing.test", [.partnershipLead])
            let prompt = try await w.refer()
            w.clock.advance(seconds: 3600)
            _ = try await partner.changeStatus(prompt.id, StatusChange(status: .accepted), expectedVersion: 1)  // in time
            let slow = try await w.refer(), ignored = try await w.refer()
            let signal = try await lead.sendSignal(
                NewSignal(
                    kind: .liaisonAppointed, description: "A liaison for housing",
                    madeOn: CalendarDate(w.clock.now()), addressedToOrganizationIds: [w.housing.id]))
            w.clock.advance(seconds: 86_400)
            _ = try await w.store.scoped(to: housingLead).acknowledgeSignal(signal.id, note: nil)  // in time
            w.clock.advance(seconds: 9 * 86_400)
            _ = try await partner.sendMessage(referral: slow.id, body: "Sorry for the wait")  // late, first response by message
            let swept = try await w.store.sweepDeadlines()
            #expect(swept.overdueResponses == 1)  // only the ignored one
            _ = try await partner.changeStatus(ignored.id, StatusChange(status: .accepted), expectedVersion: 1)  // late, already counted
            #expect(try await w.store.sweepDeadlines().overdueResponses == 0)

            let verdicts = try await w.database.read { c in
                try await c.query(
                    "SELECT kind, detail FROM activity WHERE kind IN ('referral.status-changed', 'referral.message-sent', 'referral.response-overdue') ORDER BY seq",
                    []
                )
                .map { "\($0.string("kind")) \(JSONText.decode($0.optionalString("detail"))[ResponseTiming.detailKey] ?? "-")" }
            }
            #expect(
                verdicts == [
                    "referral.status-changed on-time", "referral.message-sent late", "referral.response-overdue -",
                    "referral.status-changed -"
                ])
            let january = try #require(
                try await lead.pairClimate(
                    w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!,
                    to: CalendarDate("2026-02-01")!
                ).first)
            #expect(january.counts.onTime == 2 && january.counts.late == 2)
            #expect(january.components.responsiveness == 0.5)
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }

    /// The survey component comes from the latest closed round in which the two rated
    /// each other, only from items at least three people answered, for a year.
    @Test(arguments: Backend.available)
    func surveyComponentUsesTheLatestClosedRoundWithThreeRespondents(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let lead = w.store.scoped(to: w.clinicLead)
            let today = CalendarDate(w.clock.now())
            let round = try await lead.scheduleSurvey(
                NewSurveyRound(
                    title: "Winter pulse", participantOrganizationIds: [w.housing.id],
                    opensOn: today, closesOn: CalendarDate(w.clock.now().adding(days: 7))))
            var raters = [w.store.scoped(to: w.housingStaff)]
            for n in 1...2 {
                let user = try await w.store.createUser(
                    NewUser(
                        organizationId: w.housing.id, email: "rater\(n)@housing.test", displayName: "Rater \(n)",
                        roles: [.partnerStaff], password: "correct horse battery"), passwordHash: "x")
                raters.append(w.store.scoped(to: Actor(userId: user.id, organizationId: w.housing.id, sector: .socialCare, roles: [.partnerStaff])))
            }
            // Mutual respect: 5, 4, 3 of 5 → mean 4 → 0.75. Trust: only two answers, so it stays out.
            try await raters[0].answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 5, .trustReliable: 4])
            try await raters[1].answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 4, .trustReliable: 4])
            func months() async throws -> [PeriodClimate] {
                try await lead.pairClimate(
                    w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2027-03-01")!)
            }
            #expect(try await months().allSatisfy { $0.components.survey == nil })  // two respondents: nothing shown
            try await raters[2].answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 3])
            let series = try await months()
            #expect(series[0].components.survey == 0.75 && series[0].surveyRound == round.id)  // closed on 12 January: counts from January
            #expect(series[11].components.survey == 0.75)  // December 2026 ends within a year of the close
            #expect(series[12].components.survey == nil && series[12].surveyRound == nil)  // January 2027 does not
            #expect(series[1].index == 75)  // the only component with data in February
        }
    }
}
