import Foundation
import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The HSDS directory's import and export on every backend: records kept whole, each once;
/// nothing written when anything is refused; a newer record kept; the two shapes round-trip.
@Suite struct DirectoryImportContractTests {
    static let org = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    static let service = "ac148810-d857-441c-9679-408f346de14b"
    static let location = "a4e8ba1a-4bd8-4f2b-a9a3-6b9a1f1d8c6e"

    static let package: [String: String] = [
        "organizations.csv": #"""
        id,name,description,email,website,year_incorporated
        \#(org),Riverside Food Bank,"Food, hampers and a community kitchen",info@food.example,https://food.example,1987

        """#,
        "services.csv": #"""
        id,organization_id,name,description,status,minimum_age,last_modified
        \#(service),\#(org),Emergency hampers,"Three days of food; ""no questions asked""",active,0,2026-11-01T10:00:00Z

        """#,
        "locations.csv": #"""
        id,location_type,organization_id,name,latitude,longitude
        \#(location),physical,\#(org),Main depot,45.4215,-75.6972

        """#,
        "service_at_location.csv": #"""
        id,service_id,location_id
        0b0ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d71,\#(service),\#(location)

        """#,
        "phones.csv": #"""
        id,service_id,number
        5f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e,\#(service),613-555-0199

        """#
    ]

    static func read(_ tables: [String: String]) -> HSDSReading {
        var reading = HSDSReading()
        for (file, text) in tables.sorted(by: { $0.key < $1.key }) { reading.add(HSDSReader.table(text, file: file)) }
        return reading
    }

    @Test(arguments: Backend.available)
    func aPackageImportsOnceAndExportsToTheSameRecords(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let reading = Self.read(Self.package)
            #expect(reading.problems.isEmpty, "\(reading.problems)")
            let first = try await w.store.importDirectory(reading)
            #expect((first.added, first.updated, first.unchanged) == (5, 0, 0))
            let again = try await w.store.importDirectory(reading)
            #expect((again.added, again.updated, again.unchanged) == (0, 0, 5))

            // The directory holds Thaw's own organisations and services too; these are the imported ones.
            let imported = Set(reading.records.map(\.id))
            let stored = try await w.store.directoryRecords().filter { imported.contains($0.id) }
            let service = stored.first { $0.entity == "service" }
            #expect(service?["description"] == "Three days of food; \"no questions asked\"")
            #expect(service?.fields["minimum_age"] == .number(0))

            // The data package written out reads back to the same records.
            let writer = HSDSWriter(stored)
            var tables: [String: String] = [:]
            for table in writer.tables() { tables[table.file] = table.text }
            let reread = Self.read(tables)
            #expect(reread.problems.isEmpty)
            #expect(Set(reread.records.map(\.storedFields)) == Set(stored.map(\.storedFields)))

            // So does the JSON: the service whole, its organisation, place and phone nested in it.
            let files = try writer.jsonFiles()
            #expect(files.map(\.file) == ["services.json", "organizations.json"])  // the imported records alone
            var fromJSON = HSDSReading()
            for file in files { fromJSON.add(HSDSReader.json(file.data, file: file.file)) }
            #expect(fromJSON.problems.isEmpty, "\(fromJSON.problems)")
            let replay = try await w.store.importDirectory(fromJSON)
            #expect((replay.added, replay.updated) == (0, 0))
        }
    }

    @Test(arguments: Backend.available)
    func anythingRefusedMeansNothingWrittenUnlessPartialIsAsked(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let before = Set(try await w.store.directoryRecords().map(\.id))
            var tables = Self.package
            tables["services.csv"] = #"""
                id,organization_id,name,description,status,minimum_age
                \#(Self.service),\#(Self.org),Emergency hampers,,active,twelve
                7c4f5e8a-1111-4d2e-9abc-0123456789ab,\#(Self.org),,No name,sometimes,
                not-a-uuid,\#(Self.org),Bad id,,active,

                """#
            tables["phones.csv"] = #"""
                id,service_id,number
                5f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e,9e9e9e9e-0000-4000-8000-000000000000,613-555-0199

                """#
            tables["service_at_location.csv"] = #"""
                id,service_id,location_id
                0b0ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d71,\#(Self.service),\#(Self.location)
                1c1ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d72,\#(Self.service),9e9e9e9e-0000-4000-8000-00000000000f

                """#
            tables["schedules.csv"] = #"""
                id,service_id,freq,byday,opens_at,closes_at,valid_from
                2a2ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d73,\#(Self.service),WEEKLY,"MO,TU",9am,17:00,
                3a3ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d74,\#(Self.service),WEEKLY,"MO,XX",09:00,25:00,2026-13-01

                """#
            tables["addresses.csv"] = #"""
                id,location_id,address_1,city,state_province,postal_code,country,address_type
                4a4ae1b7-3f4e-4a5c-9f11-2c1f0f3c5d75,\#(Self.location),1 Main St,Ottawa,ON,123 ABC,CA,physical

                """#
            let reading = Self.read(tables)
            let rules = Set(reading.problems.map { "\($0.file) \($0.row) \($0.field) \($0.rule)" })
            #expect(rules.contains("schedules.csv row 1 opens_at time"))
            #expect(rules.contains("schedules.csv row 2 byday byday"))
            #expect(rules.contains("schedules.csv row 2 closes_at time"))
            #expect(rules.contains("schedules.csv row 2 valid_from date"))
            #expect(rules.contains("addresses.csv row 1 postal_code postal-code"))
            #expect(rules.contains("services.csv row 1 minimum_age number"))
            #expect(rules.contains("services.csv row 2 name required"))
            #expect(rules.contains("services.csv row 2 status enum"))
            #expect(rules.contains("services.csv row 3 id uuid"))
            let refused = try await w.store.importDirectory(reading)
            #expect(refused.writtenNothing)
            // A service at a location that is nowhere cannot be: refused by its link. A phone naming
            // a service that is nowhere is kept as it is, and noted.
            #expect(refused.refused.contains { $0.file == "service_at_location.csv" && $0.row == "row 2" && $0.rule == "reference" })
            #expect(refused.dangling.contains { $0.file == "phones.csv" && $0.field == "service_id" })
            #expect(Set(try await w.store.directoryRecords().map(\.id)) == before)

            // Partial: what passes goes in, and nothing that needs a refused record.
            let partial = try await w.store.importDirectory(reading, allowPartial: true)
            #expect(!partial.writtenNothing)
            let kept = Set(try await w.store.directoryRecords().filter { !before.contains($0.id) }.map(\.entity))
            #expect(kept == ["organization", "location", "phone"])
        }
    }

    @Test(arguments: Backend.available)
    func aNewerRecordInTheDirectoryIsNotOverwrittenByAnOlderOne(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await w.store.importDirectory(Self.read(Self.package))
            var older = Self.package
            older["services.csv"] = #"""
                id,organization_id,name,status,last_modified
                \#(Self.service),\#(Self.org),Old name,active,2025-01-01T00:00:00Z

                """#
            let report = try await w.store.importDirectory(Self.read(older))
            #expect(report.older == 1 && report.updated == 0)
            var newer = Self.package
            newer["services.csv"] = #"""
                id,organization_id,name,status,last_modified
                \#(Self.service),\#(Self.org),New name,active,2026-12-01T00:00:00Z

                """#
            #expect(try await w.store.importDirectory(Self.read(newer)).updated == 1)
            #expect(try await w.store.directoryRecords().first { $0.id == Self.service }?["name"] == "New name")
        }
    }

    @Test func csvReadsQuotesLineBreaksAndEitherLineEnding() throws {
        let rows = try CSVTable.rows("\u{FEFF}a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n,\n")
        #expect(rows == [["a", "b"], ["x, \"y\"", "two\nlines"], ["", ""]])
        #expect(throws: CSVError.self) { try CSVTable.rows("a\n\"open") }
        let written = CSVTable.document(header: ["a", "b"], rows: [["-1, =x", "plain"]])
        #expect(try CSVTable.rows(written) == [["a", "b"], ["-1, =x", "plain"]])
    }

    @Test func filesThatAreNotHSDSAreRefusedWhole() {
        #expect(HSDSReader.table("id,name\n1,x\n", file: "clients.csv").problems.map(\.rule) == ["table"])
        #expect(HSDSReader.table("name\nx\n", file: "services.csv").problems.map(\.rule) == ["required"])
        #expect(HSDSReader.json(Data("<html>".utf8), file: "x.json").problems.map(\.rule) == ["json"])
        #expect(HSDSReader.json(Data("{\"colour\": \"blue\"}".utf8), file: "x.json").problems.map(\.rule) == ["entity"])
    }
}
