import Foundation
import Hummingbird
import ThawCore
import ThawStorage

/// A researcher's `.qdpx` coming back: each coding they made on a source Thaw exported becomes
/// a research annotation of theirs. Codings Thaw applied itself, and codings on sources Thaw
/// did not export, are left out (and counted).
enum ResearchImport {
    struct Result: Codable, Sendable, ResponseEncodable {
        var project: String
        var imported: Int
        var skipped: Int
    }

    static func run(_ data: Data, by scoped: ScopedStore) async throws -> Result {
        let project = try QDPXImport.read(data)
        // A freeze or thaw is named whole by its subject; the rest of the record is looked up.
        let climate = project.subjects.compactMap { guid, subject in ResearchSource(climateSubject: subject, text: project.texts[guid] ?? "") }
        let sources = try await scoped.researchSubjects() + climate
        let byGUID = Dictionary(sources.map { (QDPX.sourceGUID($0.subject), $0) }, uniquingKeysWith: { first, _ in first })
        let ours = Set(sources.flatMap { s in s.codes.map { QDPX.codingGUID(s.subject, $0) } })
        var annotations: [ResearchAnnotation] = [], skipped = 0
        for coding in project.codings {
            guard let source = byGUID[coding.sourceGUID], !ours.contains(coding.codingGUID), !isThawsOwn(coding, on: source) else {
                skipped += 1
                continue
            }
            let text = Array((project.texts[coding.sourceGUID] ?? "").unicodeScalars)
            let start = min(max(coding.start ?? 0, 0), text.count), end = min(max(coding.end ?? text.count, start), text.count)
            let quote = String(String.UnicodeScalarView(text[start..<end])).prefix(ResearchAnnotation.longestQuote)
            annotations.append(
                ResearchAnnotation(
                    id: IDGenerator.make("ran"), project: project.name, subject: source.subject,
                    organizationIds: source.organizationIds.map { ID($0) },
                    committeeId: source.committeeId.map { ID($0) }, code: coding.code, startPosition: coding.start, endPosition: coding.end,
                    quote: String(quote), importedAt: Timestamp(millis: 0)))
        }
        let name = project.name.trimmingWhitespace.isEmpty ? "Untitled project" : project.name
        try await scoped.replaceResearchAnnotations(project: name, annotations)
        return Result(project: name, imported: annotations.count, skipped: skipped)
    }

    /// A coding of one of Thaw's own codes over the whole source, as Thaw applied it (a tool
    /// may give it a new GUID when it writes the project again).
    static func isThawsOwn(_ coding: QDPXImport.Coding, on source: ResearchSource) -> Bool {
        guard let code = ResearchCode.allCases.first(where: { $0.title == coding.code }), source.codes.contains(code) else { return false }
        return (coding.start ?? 0) == 0 && (coding.end == nil || coding.end == QDPX.plainText(source).unicodeScalars.count)
    }
}
