import Hummingbird
import ThawCore
import ThawStorage

struct SurveyAnswers: Codable {
    var organizationId: ID<Organization>
    var answers: [SurveyItem: Int]
    // Decodes `answers` keyed by item code, rejecting unknown items by name.
    private enum Key: String, CodingKey { case organizationId, answers }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        organizationId = try c.decode(ID<Organization>.self, forKey: .organizationId)
        var answers: [SurveyItem: Int] = [:]
        for (key, score) in try c.decode([String: Int].self, forKey: .answers) {
            guard let item = SurveyItem(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: .answers, in: c, debugDescription: "unknown survey item '\(key)'")
            }
            answers[item] = score
        }
        self.answers = answers
    }
}
struct SurveyResults: ResponseCodable { var results: [SurveyResult]; var respondents: Int; var eligible: Int; var responseRate: Double }
struct SurveyItemInfo: Codable { var code: SurveyItem; var question: String; var scale: Int }

/// Pulse survey rounds over HTTP: schedule, answer, aggregate results, reminders.
struct SurveyRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "surveys", id: "listSurveys", tag: "climate", summary: "Pulse survey rounds my organisation takes part in",
                answer: .list(SurveyRound.self)),
            use: list)
        routes.add(
            .init(
                .post, "surveys", id: "scheduleSurvey", tag: "climate", summary: "Schedule a pulse survey round", body: NewSurveyRound.self,
                success: 201, answer: .one(SurveyRound.self)),
            use: schedule)
        routes.add(
            .init(
                .get, "surveys/items", id: "surveyItems", tag: "climate", summary: "The survey items, their questions and scales",
                answer: .list(SurveyItemInfo.self)),
            use: items)
        routes.add(
            .init(
                .get, "surveys/pending", id: "pendingSurveys", tag: "climate", summary: "Open rounds in which I still have partners to rate",
                answer: .list(SurveyRound.self)),
            use: pending)
        routes.add(
            .init(
                .post, "surveys/:surveyId/answers", id: "answerSurvey", tag: "climate", summary: "Rate one partner organisation (once per round)",
                body: SurveyAnswers.self, success: 204, conflicts: true),
            use: answer)
        routes.add(
            .init(
                .get, "surveys/:surveyId/results", id: "surveyResults", tag: "climate",
                summary: "Aggregates per organisation (hidden below three respondents) and the response rate", answer: .one(SurveyResults.self)),
            use: results)
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> ItemList<SurveyRound> {
        ItemList(try await scoped(context).surveys())
    }
    @Sendable func schedule(_ request: Request, context: CallerContext) async throws -> EditedResponse<SurveyRound> {
        let scoped = scoped(context)
        return EditedResponse(status: .created, response: try await scoped.scheduleSurvey(try await body(NewSurveyRound.self, request)))
    }
    @Sendable func items(_ request: Request, context: CallerContext) async throws -> ItemList<SurveyItemInfo> {
        return ItemList(SurveyItem.allCases.map { SurveyItemInfo(code: $0, question: $0.question, scale: $0.scale) })
    }
    @Sendable func pending(_ request: Request, context: CallerContext) async throws -> ItemList<SurveyRound> {
        ItemList(try await scoped(context).pendingSurveys())
    }
    @Sendable func answer(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        let scoped = scoped(context)
        let input = try await body(SurveyAnswers.self, request)
        try await scoped.answerSurvey(try context.id("surveyId"), about: input.organizationId, input.answers)
        return .noContent
    }
    @Sendable func results(_ request: Request, context: CallerContext) async throws -> SurveyResults {
        let (results, respondents, eligible) = try await scoped(context).surveyResults(try context.id("surveyId"))
        return SurveyResults(
            results: results, respondents: respondents, eligible: eligible,
            responseRate: eligible > 0 ? Double(respondents) / Double(eligible) : 0)
    }
}
