import Foundation
import Hummingbird
import NIOCore
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
struct ResearchAgreementBody: Codable { var agreed: Bool }
extension ResearchAgreement: ResponseEncodable {}
extension ResearchAnnotation: ResponseEncodable {}
extension ClimatePackage: ResponseEncodable {}
struct ClimatePackageSummary: Codable, ResponseEncodable {
    var id: String
    var network: String
    var from: CalendarDate
    var until: CalendarDate
    var pairs: Int
    var events: Int
}

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
                .get, "evaluation/qdpx", id: "exportQDPX", tag: "evaluation",
                summary: "The partnership's qualitative record as a REFI-QDA project (.qdpx) with the research's codebook and codings applied",
                query: ["from", "until"]),
            use: exportQDPX)
        routes.add(
            .init(
                .post, "evaluation/qdpx", id: "importQDPX", tag: "evaluation",
                summary: "Bring back a .qdpx from a researcher's tool: its codings on Thaw's sources become the researcher's annotations",
                answer: .one(ResearchImport.Result.self)),
            use: importQDPX)
        routes.add(
            .init(
                .get, "evaluation/annotations", id: "researchAnnotations", tag: "evaluation", summary: "My research annotations",
                answer: .list(ResearchAnnotation.self)),
            use: annotations)
        routes.add(
            .init(
                .get, "evaluation/climate-package", id: "climatePackage", tag: "evaluation",
                summary:
                    "This network's climate package: network and pair index series, change points, outside events by kind; no names unless the network allows them",
                query: ["from", "until"], answer: .one(ClimatePackage.self)),
            use: climatePackage)
        routes.add(
            .init(
                .post, "evaluation/climate-packages", id: "importClimatePackage", tag: "evaluation",
                summary: "Bring in another network's climate package to compare", body: ClimatePackage.self, success: 201,
                answer: .one(ClimatePackageSummary.self)),
            use: importClimatePackage)
        routes.add(
            .init(
                .get, "evaluation/climate-packages", id: "climatePackages", tag: "evaluation", summary: "The climate packages brought in",
                answer: .list(ClimatePackageSummary.self)),
            use: climatePackages)
        routes.add(
            .init(
                .delete, "evaluation/climate-packages/:packageId", id: "deleteClimatePackage", tag: "evaluation", summary: "Remove a climate package",
                success: 204),
            use: deleteClimatePackage)
        routes.add(
            .init(
                .get, "me/research-agreement", id: "researchAgreement", tag: "evaluation",
                summary: "Whether I agree that my conversation messages may be exported for research", answer: .one(ResearchAgreement.self)),
            use: agreement)
        routes.add(
            .init(
                .put, "me/research-agreement", id: "setResearchAgreement", tag: "evaluation",
                summary: "Agree to research use of my conversation messages, or withdraw (honoured by every export made after)",
                body: ResearchAgreementBody.self, answer: .one(ResearchAgreement.self)),
            use: setAgreement)
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

    @Sendable func exportQDPX(_ request: Request, context: CallerContext) async throws -> Response {
        let q = try query(request)
        let sources = try await scoped(context).researchRecord(from: q.period.from, until: q.period.until)
        return EvaluationRoutes.qdpx(sources, name: "Thaw partnership record \(q.slug)", at: store.clock.now())
    }

    /// A `.qdpx` as a download.
    static func qdpx(_ sources: [ResearchSource], name: String, at now: Timestamp) -> Response {
        let data: Data
        do { data = try QDPX.archive(sources, name: name, at: now) } catch {
            return Response(status: .internalServerError)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"\(name.replacingOccurrences(of: " ", with: "-")).qdpx\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let largestProject = 64 << 20

    @Sendable func importQDPX(_ request: Request, context: CallerContext) async throws -> ResearchImport.Result {
        let buffer = try await JSONBody.collect(request, limit: Self.largestProject)
        return try await ResearchImport.run(Data(buffer: buffer), by: scoped(context))
    }

    /// A climate package's period: as asked (`from`, `until`), or the last two years of whole months; at most five years.
    static func packagePeriod(_ value: (String) -> String?, today: CalendarDate) throws -> EvaluationPeriod {
        let from = try CalendarDate.dayOrMonth(value("from"), field: "from") ?? today.firstOfMonth(adding: -24)
        let until = try CalendarDate.dayOrMonth(value("until"), field: "until") ?? today.firstOfMonth.adding(days: -1)
        let period = try EvaluationPeriod(from: from, until: until)
        guard period.days <= 5 * 366 else { throw ThawError.invalid("until", "range", "a climate package covers at most five years") }
        return period
    }

    @Sendable func climatePackage(_ request: Request, context: CallerContext) async throws -> ClimatePackage {
        let period = try Self.packagePeriod({ request.query($0) }, today: CalendarDate(store.clock.now()))
        return try await scoped(context).climatePackage(
            network: configuration.networkName, from: period.from, until: period.until, names: configuration.climatePackageNames)
    }

    static let largestPackage = 16 << 20

    @Sendable func importClimatePackage(_ request: Request, context: CallerContext) async throws -> EditedResponse<ClimatePackageSummary> {
        let package = try await JSONBody.decode(ClimatePackage.self, from: request, limit: Self.largestPackage)
        return EditedResponse(status: .created, response: try await Self.importPackage(package, by: scoped(context)))
    }

    /// Checks and keeps a package, as it will be read back; shared by the API and the page.
    static func importPackage(_ package: ClimatePackage, by scoped: ScopedStore) async throws -> ClimatePackageSummary {
        let body = String(decoding: try ThawJSON.makeEncoder().encode(package), as: UTF8.self)
        return summary(try await scoped.importClimatePackage(package, body: body), package)
    }

    static func summary(_ id: ID<ClimatePackage>, _ p: ClimatePackage) -> ClimatePackageSummary {
        ClimatePackageSummary(id: id.raw, network: p.network, from: p.from, until: p.until, pairs: p.pairs.count, events: p.events.count)
    }

    @Sendable func climatePackages(_ request: Request, context: CallerContext) async throws -> ItemList<ClimatePackageSummary> {
        ItemList(try await scoped(context).climatePackages().map { Self.summary($0.id, $0.package) })
    }

    @Sendable func deleteClimatePackage(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        try await scoped(context).deleteClimatePackage(try context.id("packageId"))
        return .noContent
    }

    @Sendable func annotations(_ request: Request, context: CallerContext) async throws -> ItemList<ResearchAnnotation> {
        ItemList(try await scoped(context).researchAnnotations())
    }

    @Sendable func agreement(_ request: Request, context: CallerContext) async throws -> ResearchAgreement {
        try await scoped(context).researchAgreement()
    }

    @Sendable func setAgreement(_ request: Request, context: CallerContext) async throws -> ResearchAgreement {
        try await scoped(context).setResearchAgreement(try await body(ResearchAgreementBody.self, request).agreed)
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
