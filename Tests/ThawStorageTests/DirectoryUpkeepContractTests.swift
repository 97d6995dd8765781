import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// What the directory knows beyond words, on every backend: opening hours ("open now"), the
/// areas services serve, how fresh each record is, and capacity kept by its own organisation.
@Suite struct DirectoryUpkeepContractTests {
    typealias Fixture = DirectorySearchContractTests

    static func id(_ n: Int, _ kind: Int) -> String { "5e4c0000-0000-4000-8000-\(Fixture.format6(n))\(Fixture.format6(kind))" }

    static func schedule(_ n: Int, _ k: Int, byday: String, opens: String, closes: String, offset: Double? = nil) -> HSDSRecord {
        var fields: [String: HSDSRecord.Value] = [
            "service_id": .text(id(n, 1)), "freq": .text("WEEKLY"), "byday": .text(byday), "opens_at": .text(opens), "closes_at": .text(closes)
        ]
        if let offset { fields["timezone"] = .number(offset) }
        return HSDSRecord(entity: "schedule", id: id(n, 30 + k), fields: fields)
    }

    static func area(_ n: Int, type: String, extent: String) -> HSDSRecord {
        HSDSRecord(
            entity: "service_area", id: id(n, 40),
            fields: ["service_id": .text(id(n, 1)), "name": .text("Area of \(n)"), "extent_type": .text(type), "extent": .text(extent)])
    }

    /// Ottawa, 2026-12-07 is a Monday; the network's local time is UTC−5.
    static func at(_ date: String, _ hour: Int, _ minute: Int = 0) -> Timestamp {
        CalendarDate(date)!.startOfDay.adding(seconds: Int64(hour * 3600 + minute * 60))
    }

    static func ledger(_ w: World, _ kind: String) async throws -> Int {
        try await w.database.read { db in try await db.query("SELECT COUNT(*) AS n FROM activity WHERE kind = ?", kind).first?.int("n") ?? 0 }
    }

    @Test(arguments: Backend.available)
    func openNowReadsWeeklyHoursInTheirOwnOffsetOrTheNetworks(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            var reading = HSDSReading()
            let counselling = { (n: Int, name: String) in
                Fixture.service(n, name: name, description: "Counselling", needs: [.mentalHealth], languages: ["en"], at: nil)
            }
            reading.records =
                counselling(1, "Weekday Counselling") + [Self.schedule(1, 0, byday: "MO,TU,WE,TH,FR", opens: "09:00", closes: "17:00")]
                + counselling(2, "Weekend Counselling") + [Self.schedule(2, 0, byday: "SA,SU", opens: "10:00:00", closes: "14:00:00", offset: -5)]
                + counselling(3, "Night Line") + [Self.schedule(3, 0, byday: "MO,TU,WE,TH,FR,SA,SU", opens: "20:00", closes: "08:00")]
                + counselling(4, "Counselling Without Hours")
            let report = try await w.store.importDirectory(reading)
            #expect(report.refused.isEmpty, "\(report.refused)")
            func open(_ moment: Timestamp) async throws -> [String] {
                var query = DirectoryQuery(text: "counselling")
                query.openNow = true
                query.now = moment
                query.localOffsetHours = -5
                return try await w.store.searchDirectory(query).hits.map(\.name).sorted()
            }
            // Monday 10:00 local (15:00 UTC).
            #expect(try await open(Self.at("2026-12-07", 15)) == ["Weekday Counselling"])
            // Tuesday 06:00 local: still Monday night's window.
            #expect(try await open(Self.at("2026-12-08", 11)) == ["Night Line"])
            // Saturday 11:00 at the schedule's own UTC−5, whatever the network's offset.
            var query = DirectoryQuery(text: "counselling")
            query.openNow = true
            query.now = Self.at("2026-12-12", 16)
            query.localOffsetHours = 3
            #expect(try await w.store.searchDirectory(query).hits.map(\.name) == ["Weekend Counselling"])
            // Without the filter, every hit says whether it is open, or nothing where it has no hours.
            var all = DirectoryQuery(text: "counselling")
            all.now = Self.at("2026-12-07", 15)
            all.localOffsetHours = -5
            let hits = Dictionary(uniqueKeysWithValues: try await w.store.searchDirectory(all).hits.map { ($0.name, $0.openNow) })
            #expect(hits["Weekday Counselling"] == .some(true) && hits["Night Line"] == .some(false))
            #expect(hits["Counselling Without Hours"] == .some(nil))
        }
    }

    @Test(arguments: Backend.available)
    func aServiceAreaLeavesOutClientsItDoesNotServe(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let downtown = GeoPoint(latitude: Fixture.downtown.0, longitude: Fixture.downtown.1)!
            // Gatineau, across the river: a box north of downtown that leaves it out.
            let gatineau = #"{"type":"Polygon","coordinates":[[[-75.80,45.43],[-75.60,45.43],[-75.60,45.55],[-75.80,45.55],[-75.80,45.43]]]}"#
            // Around downtown, with a hole where downtown is: served all round, but not there.
            let ring =
                #"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-76,45],[-75,45],[-75,46],[-76,46],[-76,45]],[[-75.8,45.35],[-75.6,45.35],[-75.6,45.5],[-75.8,45.5],[-75.8,45.35]]]}}"#
            let city = #"{"type":"MultiPolygon","coordinates":[[[[-76,45],[-75,45],[-75,46],[-76,46],[-76,45]]]]}"#
            var reading = HSDSReading()
            let near = { (n: Int, name: String) in
                Fixture.service(n, name: name, description: "Housing help", needs: [.housing], languages: ["en"], at: (45.4300, -75.7000))
            }
            reading.records =
                near(1, "Gatineau Housing") + [Self.area(1, type: "geojson", extent: gatineau)]
                + near(2, "Suburban Housing") + [Self.area(2, type: "geojson", extent: ring)]
                + near(3, "City Housing") + [Self.area(3, type: "GeoJSON", extent: city)]
                + near(4, "West End Housing") + [Self.area(4, type: "postal_code", extent: "K2A, K2B")]
                + near(5, "Housing Anywhere") + [Self.area(5, type: "text", extent: "the whole region")]
                + near(6, "Housing Unlimited")
                + Fixture.service(
                    7, name: "Placed Housing", description: "Housing help", needs: [.housing], languages: ["en"], at: (45.4215, -75.6972),
                    postalCode: "K1P 1J1")
            let report = try await w.store.importDirectory(reading)
            #expect(report.refused.isEmpty, "\(report.refused)")
            let housing = DirectoryQuery(text: "housing help")
            var atDowntown = housing
            atDowntown.near = downtown
            #expect(
                Set(try await w.store.searchDirectory(atDowntown).hits.map(\.name))
                    == ["City Housing", "West End Housing", "Housing Anywhere", "Housing Unlimited", "Placed Housing"])
            // A postal code: tested against the prefixes, and placed where the directory has it.
            var inWestEnd = housing
            inWestEnd.postalCode = "K2B 8J9"
            let westEnd = try await w.store.searchDirectory(inWestEnd)
            #expect(westEnd.origin == nil && westEnd.hits.map(\.name).contains("West End Housing"))
            var inCentre = housing
            inCentre.postalCode = "K1P 1J1"
            let centre = try await w.store.searchDirectory(inCentre)
            #expect(centre.origin != nil)
            #expect(!centre.hits.map(\.name).contains("West End Housing") && !centre.hits.map(\.name).contains("Suburban Housing"))
            #expect(centre.hits.first { $0.name == "Gatineau Housing" } == nil)
            // With no place given, nothing is left out for its area; the area is shown in words.
            let anywhere = try await w.store.searchDirectory(housing)
            #expect(anywhere.hits.count == 7)
            #expect(anywhere.hits.first { $0.name == "West End Housing" }?.areaServed == "Area of 4")
        }
    }

    @Test(arguments: Backend.available)
    func recordsAreFlaggedStaleByTheirLastVerification(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            func assured(_ n: Int, _ name: String, _ date: String?) -> [HSDSRecord] {
                var records = Fixture.service(n, name: name, description: "Rent bank", needs: [.income], languages: ["en"], at: nil)
                if let date { records[1].fields["assured_date"] = .text(date) }
                return records
            }
            var reading = HSDSReading()
            reading.records =
                assured(1, "Fresh Rent Bank", "2025-12-01") + assured(2, "Old Rent Bank", "2025-06-01") + assured(3, "Rent Bank Never Checked", nil)
            #expect(try await w.store.importDirectory(reading).refused.isEmpty)
            // 2026-01-05: 35 and 218 days since.
            let hits = Dictionary(
                uniqueKeysWithValues: try await w.store.searchDirectory(DirectoryQuery(text: "rent bank")).hits.map { ($0.name, $0) })
            #expect(hits["Fresh Rent Bank"]?.stale == false && hits["Old Rent Bank"]?.stale == true)
            #expect(hits["Rent Bank Never Checked"]?.stale == true && hits["Rent Bank Never Checked"]?.verifiedAt == nil)
            #expect(hits["Fresh Rent Bank"]?.verifiedAt == CalendarDate("2025-12-01")!.startOfDay)
            var strict = DirectoryQuery(text: "rent bank")
            strict.staleAfterDays = 30
            #expect(try await w.store.searchDirectory(strict).hits.allSatisfy(\.stale))

            // The network's own services start verified when added, and age from then.
            let hampers = try await w.store.searchDirectory(DirectoryQuery(text: "hampers")).hits.first
            #expect(hampers?.stale == false && hampers?.verifiedAt == World.start)
            w.clock.advance(seconds: 181 * 86_400)
            #expect(try await w.store.searchDirectory(DirectoryQuery(text: "hampers")).hits.first?.stale == true)
            let food = w.store.scoped(to: w.foodStaff)
            #expect(try await food.staleServices(policyDays: 180).map(\.name) == ["Hampers"])
            #expect(try await w.store.scoped(to: w.housingStaff).staleServices(policyDays: 180).map(\.name) == ["Rapid Rehousing"])
            // Saying it is still right verifies it, by name, in the ledger.
            let verified = try await food.verifyService(w.foodService.id)
            #expect(verified.verifiedAt == w.clock.now() && verified.verifiedBy == "staff@food.test" && verified.capacity == .accepting)
            #expect(try await food.staleServices(policyDays: 180).isEmpty)
            let hit = try await w.store.searchDirectory(DirectoryQuery(text: "hampers")).hits.first
            #expect(hit?.stale == false && hit?.verifiedBy == "staff@food.test")
            #expect(try await Self.ledger(w, "service.verified") == 1)
        }
    }

    @Test(arguments: Backend.available)
    func capacityWithAWaitIsKeptByTheServicesOwnPeopleAndPublished(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let food = w.store.scoped(to: w.foodStaff)
            let waitlisted = try await food.updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .waitlist, estimatedWaitDays: 30))
            #expect(waitlisted.capacity == .waitlist && waitlisted.estimatedWaitDays == 30 && waitlisted.verifiedBy == "staff@food.test")
            let hit = try await w.store.searchDirectory(DirectoryQuery(text: "hampers")).hits.first
            #expect(hit?.capacity == .waitlist && hit?.waitTime == "About 4 weeks")
            // Published in HSDS: the wait and the date verified, never the person's address.
            let hsdsId = try await w.store.database.read { db in
                try await db.first("SELECT hsds_id FROM services WHERE id = ?", w.foodService.id)?.optionalString("hsds_id")
            }
            let record = try await w.store.directoryRecord("service", id: hsdsId ?? "")?.first { $0.entity == "service" }
            #expect(record?["wait_time"] == "About 4 weeks" && record?["assured_date"] == "2026-01-05" && record?["assurer_email"] == nil)
            // Accepting again: the wait goes.
            let accepting = try await food.updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .accepting))
            #expect(accepting.estimatedWaitDays == nil)
            let after = try await w.store.directoryRecord("service", id: hsdsId ?? "")?.first { $0.entity == "service" }
            #expect(after?["wait_time"] == nil)
            #expect(try await Self.ledger(w, "service.capacity-changed") == 2)

            // A wait only with a waitlist, and a sane one.
            await #expect(throws: ThawError.self) {
                try await food.updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .accepting, estimatedWaitDays: 10))
            }
            await #expect(throws: ThawError.self) {
                try await food.updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .waitlist, estimatedWaitDays: 5000))
            }
            // Another organisation's staff cannot see it to change it; a navigator may not keep services at all.
            do {
                _ = try await w.store.scoped(to: w.housingStaff).updateCapacity(service: w.foodService.id, to: CapacityUpdate(capacity: .closed))
                Issue.record("another organisation changed the capacity")
            } catch let error as ThawError {
                guard case .notFound = error else { Issue.record("\(error)"); return }
            }
            do {
                _ = try await w.store.scoped(to: w.navigator).verifyService(w.foodService.id)
                Issue.record("a navigator verified a service")
            } catch let error as ThawError {
                guard case .forbidden = error else { Issue.record("\(error)"); return }
            }
            #expect(try await w.store.service(w.foodService.id).capacity == .accepting)
        }
    }
}
