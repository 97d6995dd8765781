import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The results kept for periods that are over (`ClimateResultCache`) are exactly what computing
/// them again gives: read back unchanged, forgotten when the ledger reaches into their days, when
/// a rebuild changes a month row, and not used for another set of organisations or other weights.
@Suite struct ClimateResultCacheTests {
    /// What the dashboard and the cooling list read, by month and by week.
    struct Reading: Equatable {
        var months: [NetworkPeriod], weeks: [NetworkPeriod]
        var monthTies: [NetworkTie], weekTies: [NetworkTie]
        var coolingByMonth: [CoolingPartnership], coolingByWeek: [CoolingPartnership]
    }

    static func read(_ w: World, from: CalendarDate) async throws -> Reading {
        let lead = w.store.scoped(to: w.networkAdmin)
        let today = CalendarDate(w.clock.now())
        let lastWeek = today.adding(days: -7), lastMonth = today.firstOfMonth(adding: -1)
        return Reading(
            months: try await lead.networkClimate(period: .month, from: from, to: today.adding(days: 1), perOrganization: false),
            weeks: try await lead.networkClimate(period: .week, from: from, to: today.adding(days: 1), perOrganization: false),
            monthTies: try await lead.networkTies(period: .month, containing: lastMonth),
            weekTies: try await lead.networkTies(period: .week, containing: lastWeek),
            coolingByMonth: try await lead.coolingPartnerships(period: .month),
            coolingByWeek: try await lead.coolingPartnerships(period: .week))
    }

    static func keptCount(_ db: TestDatabase) async throws -> Int {
        try await db.database.read { c in try await c.query("SELECT COUNT(*) AS n FROM climate_results", []) }.first?.int("n") ?? -1
    }

    static func forgetAll(_ db: TestDatabase) async throws {
        _ = try await db.database.write { c in try await c.execute("DELETE FROM climate_results", []) }
    }

    @Test(arguments: Backend.available)
    func keptResultsAreWhatComputingAgainGives(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let clinic = w.store.scoped(to: w.clinicLead), housing = w.store.scoped(to: w.housingStaff)
            // Thirty weeks of contact between the clinic and housing, then three weeks without: cooling by week.
            for week in 0..<30 {
                _ = try await clinic.startThread(subject: "Week \(week)", with: [w.housingStaff.userId], message: "Any rooms this week?")
                if week % 2 == 0 {
                    _ = try await housing.startThread(subject: "Intake, week \(week)", with: [w.clinicLead.userId], message: "Two places open")
                }
                w.clock.advance(seconds: 7 * 86_400)
            }
            w.clock.advance(seconds: 3 * 7 * 86_400 + 2 * 3600)
            let from = CalendarDate("2026-01-01")!

            let first = try await Self.read(w, from: from)
            #expect(first.coolingByWeek.map(\.reason) == [.quiet])
            #expect(first.months.count == 8 && first.weeks.count > 30)
            // Kept: each whole month and week that is over, a month's and a week's ties, and both cooling lists.
            let kept = try await Self.keptCount(db)
            let today = CalendarDate(w.clock.now())
            let wholeWeeks: Int = first.weeks.filter { $0.start >= from && $0.end <= today }.count
            #expect(kept == first.months.count - 1 + wholeWeeks + 4)

            // Read again from what was kept, and computed again with nothing kept: the same.
            #expect(try await Self.read(w, from: from) == first)
            try await Self.forgetAll(db)
            #expect(try await Self.read(w, from: from) == first)
            // The same figures the full computation gives (which also has each organisation's degree and betweenness).
            let full = try await w.store.scoped(to: w.networkAdmin).networkClimate(period: .month, from: from, to: CalendarDate(w.clock.now()))
            #expect(full.map(\.tieWeightedIndex) == first.months.map(\.tieWeightedIndex))
            #expect(full.map(\.measures.density) == first.months.map(\.measures.density))
            #expect(full.map(\.ties) == first.months.map(\.ties))

            // An entry dated in a month that is over (a clock set back): the fold forgets what it changes.
            let now = w.clock.now()
            let february = CalendarDate("2026-02-10")!
            let before = try await w.store.scoped(to: w.networkAdmin).networkTies(period: .month, containing: february)
            w.clock.set(february.startOfDay.adding(seconds: 9 * 3600))
            _ = try await w.store.scoped(to: w.foodStaff).startThread(
                subject: "Food and housing", with: [w.housingStaff.userId], message: "Shall we talk?")
            _ = try await housing.startThread(subject: "A late note", with: [w.clinicLead.userId], message: "Forgot to say")
            w.clock.set(now)
            let after = try await w.store.scoped(to: w.networkAdmin).networkTies(period: .month, containing: february)
            #expect(after.count == before.count + 1)
            let interactionsBefore: Int = before.map(\.interactions).reduce(0, +)
            let interactionsAfter: Int = after.map(\.interactions).reduce(0, +)
            #expect(interactionsAfter == interactionsBefore + 2)
            let late = try await Self.read(w, from: from)
            #expect(late != first)
            try await Self.forgetAll(db)
            #expect(try await Self.read(w, from: from) == late)

            // A new organisation changes every period's density: what was kept for the old network is not used.
            _ = try await w.store.createOrganization(NewOrganization(name: "Seniors' Centre", sector: .community))
            let grown = try await Self.read(w, from: from)
            #expect(grown.months.map(\.measures.density) != late.months.map(\.measures.density))
            try await Self.forgetAll(db)
            #expect(try await Self.read(w, from: from) == grown)

            // Other weights are computed each time, never kept.
            let weights = try ClimateWeights.parse("reciprocity:3,openness:1")
            _ = try await w.store.scoped(to: w.networkAdmin).coolingPartnerships(period: .week, weights: weights)
            _ = try await w.store.scoped(to: w.networkAdmin).networkClimate(
                period: .month, from: from, to: CalendarDate(now), weights: weights, perOrganization: false)
            #expect(try await Self.keptCount(db) == kept)

            // A rebuild that changes a month row forgets everything kept.
            _ = try await db.database.write { c in try await c.execute("UPDATE climate_months SET formal = formal + 5", []) }
            let report = try await w.store.rebuildClimate()
            #expect(!report.rows.unchanged)
            #expect(try await Self.keptCount(db) == 0)
            #expect(try await Self.read(w, from: from) == grown)
        }
    }

    /// A period is kept only once it ended more than an hour before: changes made at its very end may still be committing.
    @Test func aPeriodJustOverIsNotKeptYet() throws {
        let end = CalendarDate("2026-03-01")!
        #expect(!ClimateResultCache.keeps(until: end, weights: .defaults, now: end.startOfDay.adding(seconds: 3599)))
        #expect(ClimateResultCache.keeps(until: end, weights: .defaults, now: end.startOfDay.adding(seconds: 3600)))
        #expect(!ClimateResultCache.keeps(until: end, weights: try ClimateWeights.parse("reciprocity:2"), now: end.startOfDay.adding(days: 30)))
    }
}
