import Hummingbird
import ThawCore
import ThawStorage

extension EvaluationReport: ResponseEncodable {}
extension ReportTable.Cell: SchemaDescribed {
    static var placeholder: Self { .none }
    /// A number, a label, the word `suppressed`, or null.
    static var schema: JSONValue { .object(["type": .array(["number", "string", "null"])]) }
}

/// What a report is asked for: the period (default: the last twelve whole months), one
/// organisation or the whole network, and a threshold no lower than the network's.
struct EvaluationQuery {
    var period: EvaluationPeriod
    var organization: ID<Organization>?
    var threshold: Int

    init(_ value: (String) -> String?, today: CalendarDate, minimumThreshold: Int) throws {
        let from = try CalendarDate.dayOrMonth(value("from"), field: "from")
        let until = try CalendarDate.dayOrMonth(value("until"), field: "until")
        switch (from, until) {
        case (nil, nil): period = .lastTwelveMonths(before: today)
        case (let from?, let until?): period = try EvaluationPeriod(from: from, until: until)
        default: throw ThawError.invalid("until", "required", "give both from and until, or neither for the last twelve months")
        }
        organization = value("organization").map { ID($0) }
        threshold = minimumThreshold
        if let raw = value("threshold") {
            guard let chosen = Int(raw), (minimumThreshold...1000).contains(chosen) else {
                throw ThawError.invalid("threshold", "range", "threshold must be a whole number from \(minimumThreshold) (the network's) to 1000")
            }
            threshold = chosen
        }
    }

    /// For a file name: `2022-01-01_2022-12-31`.
    var slug: String { "\(period.from)_\(period.until)" }
}

struct EvaluatorPeriodBody: Codable { var from: CalendarDate; var until: CalendarDate }

/// Reports and exports for evaluators, and the evaluator role's period.
struct EvaluationRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        let query = ["from", "until", "organization", "threshold"]
        routes.add(
            .init(
                .get, "evaluation/report", id: "evaluationReport", tag: "evaluation",
                summary: "The quadruple aim and the loop for a period beside the one before it, small counts suppressed", query: query,
                answer: .one(EvaluationReport.self)),
            use: report)
        routes.add(
            .init(
                .get, "evaluation/report/csv", id: "evaluationReportCSV", tag: "evaluation",
                summary: "Every figure of the report as CSV, one per line (table, row, column, period, value, suppressed)", query: query),
            use: reportCSV)
        routes.add(
            .init(
                .get, "evaluation/tables/:tableId/csv", id: "evaluationTableCSV", tag: "evaluation",
                summary: "One table of the report as CSV, as the report shows it", query: query),
            use: tableCSV)
        routes.add(
            .init(
                .get, "evaluation/ledger/csv", id: "deidentifiedLedger", tag: "evaluation",
                summary: "The activity ledger de-identified: pseudonyms for one export, roles and organisation types, days, coded detail only",
                query: ["from", "until"]),
            use: ledgerCSV)
        routes.add(
            .init(
                .put, "users/:userId/evaluator", id: "grantEvaluator", tag: "administration",
                summary: "Grant the evaluator role for a period (network administrators, to a user of any organisation)",
                body: EvaluatorPeriodBody.self, answer: .one(User.self)),
            use: grant)
        routes.add(
            .init(
                .delete, "users/:userId/evaluator", id: "withdrawEvaluator", tag: "administration", summary: "Withdraw the evaluator role",
                success: 204, conflicts: true),
            use: withdraw)
    }

    func query(_ request: Request) throws -> EvaluationQuery {
        try EvaluationQuery({ request.query($0) }, today: CalendarDate(store.clock.now()), minimumThreshold: configuration.evaluationThreshold)
    }

    func makeReport(_ request: Request, _ context: CallerContext) async throws -> EvaluationReport {
        let q = try query(request)
        return try await scoped(context).evaluationReport(q.period, organization: q.organization, threshold: q.threshold)
    }

    @Sendable func report(_ request: Request, context: CallerContext) async throws -> EvaluationReport { try await makeReport(request, context) }

    @Sendable func reportCSV(_ request: Request, context: CallerContext) async throws -> Response {
        let report = try await makeReport(request, context)
        return WebRoutes.csv(EvaluationExport.longCSV(report), filename: "thaw-evaluation-\(report.period.from)_\(report.period.until).csv")
    }

    @Sendable func tableCSV(_ request: Request, context: CallerContext) async throws -> Response {
        let id = try context.parameters.require("tableId")
        let report = try await makeReport(request, context)
        guard let table = report.table(id) else { throw ThawError.notFound("report table \(id)") }
        return WebRoutes.csv(
            EvaluationExport.tableCSV(table, threshold: report.threshold),
            filename: "thaw-\(table.id)-\(report.period.from)_\(report.period.until).csv")
    }

    @Sendable func ledgerCSV(_ request: Request, context: CallerContext) async throws -> Response {
        let q = try query(request)
        let entries = try await scoped(context).deidentifiedLedger(from: q.period.from, until: q.period.until)
        return WebRoutes.csv(EvaluationExport.ledgerCSV(entries), filename: "thaw-ledger-deidentified-\(q.slug).csv")
    }

    @Sendable func grant(_ request: Request, context: CallerContext) async throws -> User {
        let input = try await body(EvaluatorPeriodBody.self, request)
        let period = try EvaluationPeriod(from: input.from, until: input.until)
        return try await store.grantEvaluator(try context.id("userId"), period, by: context.actor)
    }

    @Sendable func withdraw(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        try await store.withdrawEvaluator(try context.id("userId"), by: context.actor)
        return .noContent
    }
}
