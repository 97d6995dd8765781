import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The climate aggregates on every backend: updated with each ledger entry,
/// equal to a rebuild from the ledger, and read back as components.
@Suite struct ClimateContractTests {
    /// The database's week number (what weekly sums group by) is Swift's, for every day of several years
    /// and across both ends of each year, and its Monday is the day's week start.
    @Test(arguments: Backend.available)
    func theDatabaseCountsWeeksAsSwiftDoes(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let first = CalendarDate("2019-12-23")!.startOfDay
            let days = (0..<(366 * 4)).map { CalendarDate(first.adding(days: $0)) }
            let sql = "SELECT " + days.indices.map { "\(ClimateSQL.weekNumber(db.database.dialect == .postgres ? "CAST(? AS TEXT)" : "?", db.database.dialect)) AS w\($0)" }
                .joined(separator: ", ")
            let row = try #require(try await db.database.read { c in try await c.query(sql, days.map(\.sqlValue)).first })
            for (index, day) in days.enumerated() {
                #expect(row.int("w\(index)") == ScopedStore.week(day), "week of \(day)")
                #expect(ScopedStore.monday(ofWeek: row.int("w\(index)")) == ScopedStore.weekStart(day))
            }
        }
    }

    @Test(arguments: Backend.available)
    func incrementalAggregatesEqualARebuildAndGiveTheComponents(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff), lead = w.store.scoped(to: w.clinicLead)
            var referral = try await w.refer()                                                     // clinic → housing
            w.clock.advance(seconds: 3600)
            referral = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await partner.sendMessage(referral: referral.id, body: "Booked")             // housing → clinic
            _ = try await nav.sendMessage(referral: referral.id, body: "Thanks")                 // clinic → housing
            w.clock.advance(seconds: 8 * 86_400)                                                   // another week
            _ = try await lead.startThread(subject: "Coffee", with: [w.housingStaff.userID], message: "Next week?")
            let kept = try await lead.createCommitment(NewCommitment(toOrganizationId: w.housing.id, what: "PPE", context: .thread,
                                                                     dueOn: CalendarDate(w.clock.now().adding(days: 2))))
            _ = try await lead.createCommitment(NewCommitment(toOrganizationId: w.housing.id, what: "Schedule", context: .meeting,
                                                              dueOn: CalendarDate(w.clock.now().adding(days: 1))))
            _ = try await lead.changeCommitment(kept.id, .keep(evidence: "Delivered"), expectedVersion: 1)
            w.clock.advance(seconds: 3 * 86_400)
            try await w.store.markMissedCommitments()

            let incremental = try await w.store.climateSnapshot()
            #expect(!incremental.isEmpty)
            let seen = LockedCounter()
            try await w.store.rebuildClimate(pageSize: 3) { done, total in seen.set(done, total) }
            #expect(try await w.store.climateSnapshot() == incremental)
            #expect(seen.done == seen.total && seen.total > 10)

            let months = try await lead.pairClimate(w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!)
            let january = try #require(months.first)
            #expect(january.counts.loToHi + january.counts.hiToLo >= 4)
            #expect(january.components.followThrough == 0.5)                 // one kept, one missed
            #expect(january.components.channelMix != nil && january.counts.informal == 2)   // the thread and the promise made in it
            #expect(january.weeksWithContact == 2 && january.weeksInPeriod == 5)   // weeks of 5 and 12 January, of five touching January
            #expect(january.index != nil && january.index! > 0 && january.index! <= 100)
            let weeks = try await lead.pairClimate(w.clinic.id, w.housing.id, period: .week, from: CalendarDate("2026-01-05")!, to: CalendarDate("2026-01-26")!)
            #expect(weeks.map(\.start.description) == ["2026-01-05", "2026-01-12", "2026-01-19"])
            #expect(weeks.reduce(PairCounts()) { $0 + $1.counts } == january.counts)   // weeks and the month agree
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.foodStaff).pairClimate(w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!,
                                                                      to: CalendarDate("2026-02-01")!)
            }
            await #expect(throws: ThawError.self) {
                try await lead.pairClimate(w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!,
                                           weights: ClimateWeights(weights: ["reciprocity": 0]))
            }
        }
    }
}

extension ClimateContractTests {
    @Test(arguments: Backend.available)
    func networkClimateCountsTiesPerPeriod(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await w.refer()                                                               // clinic – housing, January
            let lead = w.store.scoped(to: w.clinicLead)
            _ = try await lead.startThread(subject: "Hello", with: [w.foodStaff.userID], message: "Coffee?")   // clinic – food
            let months = try await lead.networkClimate(period: .month, from: CalendarDate("2025-12-01")!, to: CalendarDate("2026-02-01")!)
            #expect(months.map(\.ties) == [0, 2])
            let january = months[1]
            #expect(january.measures.density == 2.0 / 6.0)                                        // 2 ties of 6 among 4 organisations
            #expect(january.measures.betweenness[w.clinic.id.raw] == 1.0 / 3.0)                   // the clinic joins housing and food
            #expect(january.measures.directness == nil)                                           // the world has no central-system organisation
            #expect(january.tieWeightedIndex != nil)
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.navigator).networkClimate(period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!)
            }
        }
    }
}

/// Progress seen by the rebuild's callback.
final class LockedCounter: @unchecked Sendable {
    private(set) var done = 0, total = 0
    func set(_ done: Int, _ total: Int) { self.done = done; self.total = total }
}
