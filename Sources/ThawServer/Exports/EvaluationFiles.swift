import Foundation
import ThawCore
import ThawStorage

/// The evaluation's files as the command line writes them: the same CSV, `.qdpx` and climate
/// package the web app and the API give, from the same code.
public enum EvaluationFiles {
    /// The whole report as one long CSV, then each table as shown, by file name.
    public static func report(_ report: EvaluationReport) -> [(name: String, text: String)] {
        let slug = "\(report.period.from)_\(report.period.until)"
        return [("thaw-evaluation-\(slug).csv", EvaluationExport.longCSV(report))]
            + report.tables.map { ("thaw-\($0.id)-\(slug).csv", EvaluationExport.tableCSV($0, threshold: report.threshold)) }
    }

    public static func ledger(_ entries: [DeidentifiedEntry]) -> String { EvaluationExport.ledgerCSV(entries) }

    public static func qdpx(_ sources: [ResearchSource], name: String, at now: Timestamp) throws -> Data {
        try QDPX.archive(sources, name: name, at: now)
    }

    /// Brings a researcher's `.qdpx` back: (project, codings imported, codings left out).
    public static func importCodings(_ data: Data, by scoped: ScopedStore) async throws -> (project: String, imported: Int, skipped: Int) {
        let result = try await ResearchImport.run(data, by: scoped)
        return (result.project, result.imported, result.skipped)
    }

    public static func importPackage(_ data: Data, by scoped: ScopedStore) async throws -> String {
        let package: ClimatePackage
        do { package = try JSONDecoder().decode(ClimatePackage.self, from: data) } catch {
            throw ThawError.invalid("package", "climate-package", "this file is not a Thaw climate package (\(ClimatePackage.format))")
        }
        return try await EvaluationRoutes.importPackage(package, by: scoped).id
    }

    public static func json(_ package: ClimatePackage) throws -> Data { try ThawJSON.makeEncoder().encode(package) }
}
