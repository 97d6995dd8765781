import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// Thaw's own organisations and services in the HSDS directory, and directory services of
/// network members in Thaw's referral directory, on every backend.
@Suite struct DirectoryMembersContractTests {
    @Test(arguments: Backend.available)
    func thawsServicesAreDirectoryRecordsAndCapacityChangesReachThem(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let records = try await w.store.directoryRecords()
            let writer = HSDSWriter(records)
            #expect(
                writer.records("organization").map { $0["name"] ?? "" }.sorted() == ["Food Bank", "Homeward Housing", "Library", "Riverside Clinic"])
            guard let hampers = writer.records("service").first(where: { $0["name"] == "Hampers" }) else {
                Issue.record("the food bank's service is not in the directory")
                return
            }
            let full = writer.full(hampers)
            #expect((full["languages"] as? [[String: Any]])?.compactMap { $0["code"] as? String }.sorted() == ["en", "fr"])
            let terms = Set((full["attributes"] as? [[String: Any]] ?? []).compactMap { $0["taxonomy_term_id"] as? String })
            #expect(
                terms == [
                    DirectoryVocabulary.needTermId(.food), DirectoryVocabulary.needTermId(.housing), DirectoryVocabulary.capacityTermId(.accepting)
                ])
            #expect((full["organization"] as? [String: Any])?["name"] as? String == "Food Bank")

            // Capacity changed in Thaw is said in the directory: one capacity attribute, the new one.
            _ = try await w.store.scoped(to: w.foodStaff).updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .waitlist))
            let after = HSDSWriter(try await w.store.directoryRecords())
            let capacities = after.records("attribute").filter {
                $0["link_id"] == hampers.id && DirectoryVocabulary.capacity(termId: $0["taxonomy_term_id"] ?? "") != nil
            }
            #expect(capacities.map { $0["taxonomy_term_id"] } == [DirectoryVocabulary.capacityTermId(.waitlist)])
        }
    }

    @Test(arguments: Backend.available)
    func anImportedServiceOfANetworkMemberBecomesOneThawRefersTo(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let org = "0e3c1d2b-1111-4aaa-8bbb-000000000001", service = "0e3c1d2b-2222-4aaa-8bbb-000000000002"
            let outsider = "0e3c1d2b-3333-4aaa-8bbb-000000000003", outsiderService = "0e3c1d2b-4444-4aaa-8bbb-000000000004"
            func package(capacity: Capacity) -> HSDSReading {
                var reading = HSDSReading()
                reading.records = [
                    HSDSRecord(entity: "organization", id: org, fields: ["name": .text("Homeward (from 211)"), "description": .text("Housing")]),
                    HSDSRecord(
                        entity: "organization_identifier", id: "0e3c1d2b-5555-4aaa-8bbb-000000000005",
                        fields: [
                            "organization_id": .text(org), "identifier_scheme": .text(DirectoryVocabulary.organizationScheme),
                            "identifier_type": .text("Thaw network member"), "identifier": .text(w.housing.id.raw)
                        ]),
                    HSDSRecord(
                        entity: "service", id: service,
                        fields: [
                            "organization_id": .text(org), "name": .text("Housing help desk"), "status": .text("active"),
                            "eligibility_description": .text("Adults in Riverside")
                        ]),
                    HSDSRecord(
                        entity: "language", id: "0e3c1d2b-6666-4aaa-8bbb-000000000006", fields: ["service_id": .text(service), "code": .text("fr")]),
                    HSDSRecord(
                        entity: "attribute", id: "0e3c1d2b-7777-4aaa-8bbb-000000000007",
                        fields: [
                            "link_id": .text(service), "link_entity": .text("service"),
                            "taxonomy_term_id": .text(DirectoryVocabulary.needTermId(.housing))
                        ]),
                    HSDSRecord(
                        entity: "attribute", id: "0e3c1d2b-8888-4aaa-8bbb-000000000008",
                        fields: [
                            "link_id": .text(service), "link_entity": .text("service"),
                            "taxonomy_term_id": .text(DirectoryVocabulary.capacityTermId(capacity))
                        ]),
                    HSDSRecord(entity: "organization", id: outsider, fields: ["name": .text("Not in the network"), "description": .text("x")]),
                    HSDSRecord(
                        entity: "service", id: outsiderService,
                        fields: ["organization_id": .text(outsider), "name": .text("Elsewhere"), "status": .text("active")])
                ]
                return reading
            }
            let first = try await w.store.importDirectory(package(capacity: .waitlist))
            #expect(first.servicesProjected == 1)  // the outsider's service is in the directory, not referred to
            let found = try await w.store.searchServices(ServiceSearch(need: .housing, language: "fr", capacities: [.waitlist]))
            #expect(found.map(\.name) == ["Housing help desk"])
            #expect(found.first?.organizationId == w.housing.id && found.first?.eligibility == "Adults in Riverside")

            #expect(try await w.store.importDirectory(package(capacity: .waitlist)).servicesProjected == 0)
            #expect(try await w.store.importDirectory(package(capacity: .closed)).servicesProjected == 1)
            #expect(try await w.store.searchServices(ServiceSearch(need: .housing, capacities: [.closed])).map(\.name) == ["Housing help desk"])
            #expect(try await w.store.searchServices(ServiceSearch(keyword: "Elsewhere")).isEmpty)
        }
    }
}
