import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Pulse surveys on every backend: once per person and partner, on the
/// scale, only aggregates of three or more respondents come out.
@Suite struct SurveyContractTests {
    @Test(arguments: Backend.available)
    func answersAreAggregatedOnlyFromThreeRespondents(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let lead = w.store.scoped(to: w.clinicLead)
            let today = CalendarDate(w.clock.now())
            await #expect(throws: ThawError.self) {
                try await lead.scheduleSurvey(
                    NewSurveyRound(
                        title: "Backwards", participantOrganizationIds: [w.housing.id],
                        opensOn: today, closesOn: CalendarDate(w.clock.now().adding(days: -1))))
            }
            let round = try await lead.scheduleSurvey(
                NewSurveyRound(
                    title: "Winter pulse", participantOrganizationIds: [w.housing.id, w.food.id],
                    opensOn: today, closesOn: CalendarDate(w.clock.now().adding(days: 14))))
            let housing = w.store.scoped(to: w.housingStaff), food = w.store.scoped(to: w.foodStaff)
            #expect(try await housing.pendingSurveys().map(\.id) == [round.id])
            let before = try await w.count("survey_answers")
            // 4-point item:
            await #expect(throws: ThawError.self) { try await housing.answerSurvey(round.id, about: w.clinic.id, [.trustReliable: 5]) }
            // Own organisation:
            await #expect(throws: ThawError.self) { try await housing.answerSurvey(round.id, about: w.housing.id, [.mutualRespect: 4]) }
            #expect(try await w.count("survey_answers") == before)
            try await housing.answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 4, .trustReliable: 3])
            await #expect(throws: ThawError.conflict(code: "already-answered", message: "you have already rated this organisation in this round")) {
                try await housing.answerSurvey(round.id, about: w.clinic.id, [.sharedGoals: 2])
            }
            try await food.answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 2, .trustReliable: 4])
            var clinic = try #require(try await lead.surveyResults(round.id).results.first { $0.organizationId == w.clinic.id })
            #expect(clinic.suppressed && clinic.means.isEmpty && clinic.respondents == 2)
            let third = try await w.store.createUser(
                NewUser(
                    organizationId: w.food.id, email: "third@food.test", displayName: "Third",
                    roles: [.partnershipLead], password: "correct horse battery"), passwordHash: "x")
            try await w.store.scoped(to: Actor(userId: third.id, organizationId: w.food.id, sector: .socialCare, roles: [.partnershipLead]))
                .answerSurvey(round.id, about: w.clinic.id, [.mutualRespect: 3])
            let (results, respondents, eligible) = try await lead.surveyResults(round.id)
            clinic = try #require(results.first { $0.organizationId == w.clinic.id })
            #expect(!clinic.suppressed && clinic.means == [.mutualRespect: 3.0])  // trust had only two answers: hidden
            #expect(respondents == 3 && eligible > respondents)
            await #expect(throws: ThawError.notFound("survey round \(round.id)")) {
                try await w.store.scoped(to: w.unrelatedStaff).surveyResults(round.id)
            }
            w.clock.advance(seconds: 20 * 86_400)
            await #expect(throws: ThawError.self) { try await food.answerSurvey(round.id, about: w.housing.id, [.mutualRespect: 3]) }
            #expect(try await food.pendingSurveys().isEmpty)
            let ledger = try await w.database.read { c in try await c.query("SELECT detail FROM activity WHERE kind = 'survey.answered'", []) }
            #expect(ledger.count == 3 && ledger.allSatisfy { $0.string("detail") == "{}" })  // no scores in the ledger
        }
    }
}
