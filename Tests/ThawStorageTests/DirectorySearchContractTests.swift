import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Directory search on every backend, with the same answers: stemmed prefix words with accents
/// folded, filters, and relevance and distance ranked together.
@Suite struct DirectorySearchContractTests {
    /// A service with its organisation, place (point and postal code), languages and needs.
    static func service(
        _ n: Int, name: String, description: String, needs: [NeedCategory], languages: [String], at point: (Double, Double)?,
        postalCode: String? = nil, capacity: Capacity = .accepting
    ) -> [HSDSRecord] {
        func id(_ kind: Int) -> String { "5e4c0000-0000-4000-8000-\(String(format6(n)))\(String(format6(kind)))" }
        let service = id(1), organization = id(2), location = id(3)
        var records = [
            HSDSRecord(entity: "organization", id: organization, fields: ["name": .text("Org \(n)"), "description": .text("An organisation")]),
            HSDSRecord(
                entity: "service", id: service,
                fields: ["organization_id": .text(organization), "name": .text(name), "description": .text(description), "status": .text("active")]),
            HSDSRecord(
                entity: "attribute", id: id(4),
                fields: [
                    "link_id": .text(service), "link_entity": .text("service"),
                    "taxonomy_term_id": .text(DirectoryVocabulary.capacityTermId(capacity))
                ])
        ]
        for (k, need) in needs.enumerated() {
            records.append(
                HSDSRecord(
                    entity: "attribute", id: id(10 + k),
                    fields: [
                        "link_id": .text(service), "link_entity": .text("service"), "taxonomy_term_id": .text(DirectoryVocabulary.needTermId(need))
                    ]))
        }
        for (k, language) in languages.enumerated() {
            records.append(HSDSRecord(entity: "language", id: id(20 + k), fields: ["service_id": .text(service), "code": .text(language)]))
        }
        if let point {
            records.append(
                HSDSRecord(
                    entity: "location", id: location,
                    fields: ["location_type": .text("physical"), "latitude": .number(point.0), "longitude": .number(point.1)]))
            records.append(
                HSDSRecord(entity: "service_at_location", id: id(5), fields: ["service_id": .text(service), "location_id": .text(location)]))
            if let postalCode {
                records.append(
                    HSDSRecord(
                        entity: "address", id: id(6),
                        fields: [
                            "location_id": .text(location), "address_1": .text("\(n) Main St"), "city": .text("Ottawa"),
                            "state_province": .text("ON"), "postal_code": .text(postalCode), "country": .text("CA"),
                            "address_type": .text("physical")
                        ]))
            }
        }
        return records
    }

    static func format6(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: 6 - s.count) + s }

    /// Downtown Ottawa, and places 2, 8 and 120 km from it.
    static let downtown = (45.4215, -75.6972)
    static let directory: [HSDSRecord] =
        service(
            1, name: "Community Counselling", description: "Talk to a counsellor", needs: [.mentalHealth], languages: ["en"], at: (45.4395, -75.6972),
            postalCode: "K1N 5T5")
        + service(
            2, name: "Family Support", description: "Counselling for families and children", needs: [.mentalHealth, .childcare],
            languages: ["en", "fr"], at: (45.4215, -75.5950))
        + service(
            3, name: "Épicerie communautaire", description: "Aide alimentaire", needs: [.food], languages: ["fr"], at: (45.4300, -75.7000),
            postalCode: "K1N 9A1")
        + service(4, name: "Rural Counselling", description: "Counselling by phone", needs: [.mentalHealth], languages: ["en"], at: (46.4, -76.9))
        + service(
            5, name: "Closed Counselling", description: "Counselling", needs: [.mentalHealth], languages: ["en"], at: (45.4215, -75.6972),
            capacity: .closed)
        + service(6, name: "Online Counselling", description: "Counselling by video", needs: [.mentalHealth], languages: ["en"], at: nil)

    func names(_ results: DirectoryResults) -> [String] { results.hits.map(\.name) }

    @Test(arguments: Backend.available)
    func searchFindsByStemsPrefixesAndFoldedAccentsAndRanksRelevanceWithDistance(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            var reading = HSDSReading()
            reading.records = Self.directory
            let report = try await w.store.importDirectory(reading)
            #expect(report.refused.isEmpty, "\(report.refused)")
            let downtown = GeoPoint(latitude: Self.downtown.0, longitude: Self.downtown.1)

            // Words: a prefix finds the word; the name counts before the description; closed services are left out.
            let counselling = try await w.store.searchDirectory(DirectoryQuery(text: "counsel"))
            #expect(Set(names(counselling)) == ["Community Counselling", "Family Support", "Rural Counselling", "Online Counselling"])
            #expect(counselling.hits.last?.name == "Family Support")  // the word is only in its description
            // Accents folded both ways.
            #expect(names(try await w.store.searchDirectory(DirectoryQuery(text: "epicerie"))) == ["Épicerie communautaire"])
            #expect(names(try await w.store.searchDirectory(DirectoryQuery(text: "ÉPICERIE Communautaire"))) == ["Épicerie communautaire"])
            // Words are looked for in names and descriptions, never in the filters' own words.
            for word in ["need", "lang", "geo", "capaccepting", "member", "hourskn"] {
                #expect(try await w.store.searchDirectory(DirectoryQuery(text: word)).hits.isEmpty, "\(word)")
            }
            // Stemming: the plural finds the singular.
            #expect(names(try await w.store.searchDirectory(DirectoryQuery(text: "families"))) == ["Family Support"])

            // Filters.
            // (The world's own food bank offers food too: Thaw's services are in the directory.)
            #expect(Set(names(try await w.store.searchDirectory(DirectoryQuery(need: .food)))) == ["Épicerie communautaire", "Hampers"])
            #expect(names(try await w.store.searchDirectory(DirectoryQuery(need: .food, referrableOnly: true))) == ["Hampers"])
            #expect(Set(names(try await w.store.searchDirectory(DirectoryQuery(text: "counselling", language: "fr")))) == ["Family Support"])
            #expect(names(try await w.store.searchDirectory(DirectoryQuery(text: "counselling", capacities: [.closed]))) == ["Closed Counselling"])

            // Distance: beyond 50 km left out; relevance less distance, a service with no place
            // counting as 50 km away (so a near service matching less still comes before it).
            let near = try await w.store.searchDirectory(DirectoryQuery(text: "counselling", near: downtown))
            #expect(names(near) == ["Community Counselling", "Family Support", "Online Counselling"])
            let first = near.hits.first?.kilometres ?? 0
            #expect(abs(first - 2.0015) < 0.1, "\(first)")  // 0.018° of latitude
            // A postal code the directory has placed (exactly, or by its first three characters).
            let byCode = try await w.store.searchDirectory(DirectoryQuery(need: .mentalHealth, postalCode: "k1n 5t5"))
            #expect(byCode.hits.first?.name == "Community Counselling" && byCode.origin != nil)
            let byArea = try await w.store.searchDirectory(DirectoryQuery(need: .food, postalCode: "K1N 0A0"))
            #expect(byArea.origin != nil && names(byArea) == ["Épicerie communautaire", "Hampers"])
        }
    }
}
