import Foundation
import Hummingbird
import ThawCore
import ThawStorage

/// The evaluation report's page and its downloads, for evaluators and network administrators.
extension WebRoutes {
    func registerEvaluation(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.evaluation), use: evaluationPage)
        web.get(RouterPath(stringLiteral: WebPath.evaluationReportCSV), use: evaluationReportCSV)
        web.get(RouterPath(stringLiteral: WebPath.evaluationLedgerCSV), use: evaluationLedgerCSV)
        web.get("/evaluation/tables/:file", use: evaluationTableCSV)
        web.get(RouterPath(stringLiteral: WebPath.evaluationQDPX), use: evaluationQDPX)
        web.get(RouterPath(stringLiteral: WebPath.evaluationAnnotations), use: annotationsPage)
        web.post(RouterPath(stringLiteral: WebPath.evaluationAnnotations), use: importCodings)
        web.get(RouterPath(stringLiteral: WebPath.jurisdictions), use: jurisdictionsPage)
        web.post(RouterPath(stringLiteral: WebPath.jurisdictions), use: importClimatePackage)
        web.get(RouterPath(stringLiteral: WebPath.climatePackageJSON), use: climatePackageJSON)
        web.get(RouterPath(stringLiteral: WebPath.researchUse), use: researchUsePage)
        web.post(RouterPath(stringLiteral: WebPath.researchUse), use: researchUseAction)
    }

    @Sendable func evaluationQDPX(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let query = try evaluationQuery(request)
        let sources = try await scoped(context).researchRecord(from: query.period.from, until: query.period.until)
        return EvaluationRoutes.qdpx(sources, name: "Thaw partnership record \(query.slug)", at: store.clock.now())
    }

    @Sendable func annotationsPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        try AccessPolicy.require(scoped.actor, anyOf: ScopedStore.evaluationRoles, to: "importing research codings")
        let view = ResearchAnnotationsView(annotations: try await scoped.researchAnnotations(), csrf: context.csrfToken)
        return WebPage.response(layout("Research codings", context, section: "evaluation", notice: notice(request)).render(view.render()))
    }

    @Sendable func importCodings(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await MultipartForm.read(request, context: context, limit: EvaluationRoutes.largestProject)
        guard let file = form.files["project"], !file.isEmpty else {
            throw ThawError.invalid("project", "required", "choose the .qdpx file your tool exported")
        }
        _ = try await ResearchImport.run(file, by: try scoped(context))
        return WebPage.redirect(to: WebPath.evaluationAnnotations, notice: "codings-imported")
    }

    @Sendable func jurisdictionsPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        let packages = try await scoped.climatePackages()
        // This network over the months the packages cover (at most five years), or the last two years.
        let today = CalendarDate(store.clock.now())
        let until = min(packages.map(\.package.until).max() ?? today, today)
        let from = max(packages.map(\.package.from).min() ?? today.firstOfMonth(adding: -24), until.firstOfMonth(adding: -59))
        let own = try await scoped.climatePackage(
            network: configuration.networkName, from: min(from, until), until: until, names: configuration.climatePackageNames, withPairs: false)
        let view = JurisdictionsView(packages: packages, own: own, csrf: context.csrfToken)
        return WebPage.response(
            layout("The cycle across jurisdictions", context, section: "evaluation", notice: notice(request)).render(view.render()))
    }

    @Sendable func importClimatePackage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await MultipartForm.read(request, context: context, limit: EvaluationRoutes.largestPackage)
        guard let file = form.files["package"], !file.isEmpty else {
            throw ThawError.invalid("package", "required", "choose a climate package (JSON)")
        }
        _ = try await EvaluationFiles.importPackage(file, by: try scoped(context))
        return WebPage.redirect(to: WebPath.jurisdictions, notice: "package-imported")
    }

    @Sendable func climatePackageJSON(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let period = try EvaluationRoutes.packagePeriod({ request.query($0) }, today: CalendarDate(store.clock.now()))
        let (from, until) = (period.from, period.until)
        let package = try await scoped(context).climatePackage(
            network: configuration.networkName, from: from, until: until, names: configuration.climatePackageNames)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentDisposition] = "attachment; filename=\"thaw-climate-package-\(from)_\(until).json\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try ThawJSON.makeEncoder().encode(package))))
    }

    @Sendable func researchUsePage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let agreement = try await scoped(context).researchAgreement()
        let view = ResearchUseView(agreement: agreement, csrf: context.csrfToken)
        return WebPage.response(layout("Research use of what you write", context, notice: notice(request)).render(view.render()))
    }

    @Sendable func researchUseAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let agreed = form["agreed"] == "yes"
        try await scoped(context).setResearchAgreement(agreed)
        return WebPage.redirect(to: WebPath.researchUse, notice: agreed ? "research-agreed" : "research-withdrawn")
    }

    func evaluationQuery(_ request: Request) throws -> EvaluationQuery {
        try EvaluationQuery({ request.query($0) }, today: CalendarDate(store.clock.now()), minimumThreshold: configuration.evaluationThreshold)
    }

    func evaluationReport(_ request: Request, _ context: ThawRequestContext) async throws -> (EvaluationReport, EvaluationQuery) {
        let query = try evaluationQuery(request)
        let report = try await scoped(context).evaluationReport(query.period, organization: query.organization, threshold: query.threshold)
        return (report, query)
    }

    @Sendable func evaluationPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let (report, query) = try await evaluationReport(request, context)
        var link = "from=\(query.period.from)&until=\(query.period.until)"
        if let organization = query.organization { link += "&organization=\(organization.raw)" }
        let view = EvaluationReportView(report: report, organizations: try await store.organizations(), query: link)
        return WebPage.response(layout("Evaluation report", context, section: "evaluation").render(view.render()))
    }

    @Sendable func evaluationReportCSV(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let (report, query) = try await evaluationReport(request, context)
        return Self.csv(EvaluationExport.longCSV(report), filename: "thaw-evaluation-\(query.slug).csv")
    }

    @Sendable func evaluationTableCSV(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        guard file.hasSuffix(".csv") else { throw ThawError.notFound("report table \(file.prefix(80))") }
        let id = String(file.dropLast(4))
        let (report, query) = try await evaluationReport(request, context)
        guard let table = report.table(id) else { throw ThawError.notFound("report table \(id.prefix(80))") }
        return Self.csv(EvaluationExport.tableCSV(table, threshold: report.threshold), filename: "thaw-\(table.id)-\(query.slug).csv")
    }

    @Sendable func evaluationLedgerCSV(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let query = try evaluationQuery(request)
        let entries = try await scoped(context).deidentifiedLedger(from: query.period.from, until: query.period.until)
        return Self.csv(EvaluationExport.ledgerCSV(entries), filename: "thaw-ledger-deidentified-\(query.slug).csv")
    }
}
