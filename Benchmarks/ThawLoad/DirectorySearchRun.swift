import ArgumentParser
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// Directory search at scale, on a database holding a generated directory (`thaw directory
/// generate` then `import`): the ranked search with need, language and distance filters, beside
/// the bare full-text query of the same words in the same run — the floor, with nothing of ours
/// in it but the SQL. One query at a time, so the figures are latency, not queueing.
struct DirectorySearchRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Measure ranked directory search against the bare full-text query of the same words.")
    @Option(help: "The database holding the directory.") var database: String
    @Option(help: "Searches of each kind.") var queries = 400

    static let words = ["food", "housing help", "counselling", "rent", "job coaching", "crisis", "seniors", "hydro", "tax clinic", "epicerie"]
    static let postalCodes = ["K1N", "M5V", "L8P", "K7L", "P3A", "N9A", "N6A", "P7B"]

    func run() async throws {
        let db = try await openDatabase(database, logger: Logger(label: "bench"))
        let store = ThawStore(database: db, clock: SystemClock())
        var ranked: [Double] = [], bare: [Double] = [], hits = 0
        for n in 0..<queries {
            let text = Self.words[n % Self.words.count]
            let need = NeedCategory.allCases[n % NeedCategory.allCases.count]
            let query = DirectoryQuery(
                text: text, need: n % 2 == 0 ? need : nil, language: n % 3 == 0 ? "fr" : "en",
                postalCode: Self.postalCodes[n % Self.postalCodes.count] + " 1A1")
            // Alternated, so both meet the same cache and the same machine.
            let start = ContinuousClock.now
            _ = try await db.read { c in
                if c.dialect == .sqlite {
                    return try await c.query(
                        "SELECT rowid, bm25(directory_fts, 3.0, 1.0) AS rank FROM directory_fts WHERE directory_fts MATCH ? ORDER BY rank LIMIT 2000",
                        [.text(text.split(separator: " ").map { "{text_name text_body} : \"\($0)\"*" }.joined(separator: " AND "))])
                } else {
                    // The words in the one full-text index (weights A and B: name and description).
                    let terms = text.split(separator: " ")
                    return try await c.query(
                        """
                        SELECT service_id FROM directory_search WHERE search_words @@ to_tsquery('english', ?)
                        ORDER BY ts_rank(document, to_tsquery('english', ?)) DESC LIMIT 2000
                        """,
                        [
                            .text(terms.map { "\($0):*AB" }.joined(separator: " & ")), .text(terms.map { "\($0):*" }.joined(separator: " & "))
                        ])
                }
            }
            bare.append((ContinuousClock.now - start).milliseconds)
            let begin = ContinuousClock.now
            hits += try await store.searchDirectory(query).hits.count
            ranked.append((ContinuousClock.now - begin).milliseconds)
        }
        let services = try await db.read { c in try await c.query("SELECT COUNT(*) AS n FROM directory_search", []) }.first?.int("n") ?? 0
        func q(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
        }
        print(String(format: "services %d, %d searches of each kind, %.1f hits per ranked search", services, queries, Double(hits) / Double(queries)))
        print(String(format: "bare full-text    p50 %.2f ms  p95 %.2f ms", q(bare, 0.5), q(bare, 0.95)))
        print(String(format: "ranked search     p50 %.2f ms  p95 %.2f ms", q(ranked, 0.5), q(ranked, 0.95)))
        print(String(format: "ratio of p95s     %.2f (target ≤ 2)", q(ranked, 0.95) / max(q(bare, 0.95), 0.001)))
        try await db.close()
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
