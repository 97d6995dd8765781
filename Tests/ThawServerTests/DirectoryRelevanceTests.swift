import Testing
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// The relevance suite: searches a navigator would make on the demo directory and the service
/// each should find first, on both databases (the same expectations, so the same answers).
@Suite struct DirectoryRelevanceTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String?
        var need: NeedCategory?
        var language: String?
        var postalCode: String?
        var top: String
        var description: String { "\(text ?? "-") \(need?.rawValue ?? "") \(language ?? "") \(postalCode ?? "") → \(top)" }

        init(_ text: String?, need: NeedCategory? = nil, language: String? = nil, postalCode: String? = nil, _ top: String) {
            self.text = text; self.need = need; self.language = language; self.postalCode = postalCode; self.top = top
        }
    }

    static let cases: [Case] = [
        Case("rehousing", "Rapid Rehousing"), Case("rapid", "Rapid Rehousing"), Case("supportive housing", "Supportive Housing Waitlist"),
        Case("hamper", "Weekly Food Hamper"), Case("food hamper", "Weekly Food Hamper"), Case("food", "Weekly Food Hamper"),
        Case("job", "Job Coaching"), Case("coaching", "Job Coaching"), Case("employment", "Job Coaching"),
        Case("income support", "Income Support Applications"), Case("counselling", "Walk-in Counselling"),
        Case("walk-in", "Walk-in Counselling"), Case("rent bank", "Rent Bank"), Case("rent", "Rent Bank"), Case("eviction", "Rent Bank"),
        Case("epicerie", "Banque alimentaire Saint-Vincent"), Case("banque alimentaire", "Banque alimentaire Saint-Vincent"),
        Case("Épicerie communautaire", "Banque alimentaire Saint-Vincent"), Case("transit", "Transit Access Pass"),
        Case("bus pass", "Transit Access Pass"), Case("seniors", "Seniors' Day Program"), Case("loneliness", "Seniors' Day Program"),
        Case("sante mentale", "Centre de santé mentale Horizon"), Case("horizon", "Centre de santé mentale Horizon"),
        Case("heating", "Energy Assistance Program"), Case("hydro", "Energy Assistance Program"), Case("child care", "Child Care Subsidy Office"),
        Case("subsidy", "Child Care Subsidy Office"), Case("shelter", "Women's Shelter Line"), Case("crisis line", "Women's Shelter Line"),
        Case(nil, need: .housing, postalCode: "K1S 2A4", "Rapid Rehousing"),
        Case(nil, need: .food, postalCode: "K1N 7E9", "Banque alimentaire Saint-Vincent"),
        Case(nil, need: .mentalHealth, language: "fr", "Centre de santé mentale Horizon"),
        Case("counselling", language: "fr", postalCode: "K0A 2P0", "Walk-in Counselling")
    ]

    @Test(arguments: Backend.available)
    func eachSearchFindsItsServiceFirst(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            var demo = DemoNetwork()
            try await demo.load(into: db.database, endingAt: ISO8601.parse("2026-11-26T12:00:00Z")!, bcryptCost: 4)
            let store = ThawStore(database: db.database, clock: SystemClock())
            #expect(Self.cases.count >= 30)
            for query in Self.cases {
                let results = try await store.searchDirectory(
                    DirectoryQuery(text: query.text, need: query.need, language: query.language, postalCode: query.postalCode))
                #expect(results.hits.first?.name == query.top, "\(query): \(results.hits.prefix(3).map(\.name))")
            }
        }
    }
}
