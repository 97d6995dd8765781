import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The climate aggregates on every backend: updated with each ledger entry,
/// equal to a rebuild from the ledger, and read back as components.
@Suite struct ClimateContractTests {
    /// A database of migration 11 (day rows) with a ledger moves to one row per pair and month,
    /// recomputed from its entries, and its old tables are gone.
    @Test(arguments: Backend.available)
    func migrationTwelveRecomputesTheMonthRowsFromTheLedger(backend: Backend) async throws {
        try await withDatabase(backend, migrations: Migrator.all.filter { $0.version < 12 }) { db in
            let january = CalendarDate("2026-01-05")!.startOfDay  // a Monday
            let entries: [(days: Int, user: String?, actor: String, counterpart: String?, kind: String, channel: String, detail: String)] = [
                (0, "usr_1", "org_b", "org_a", "thread.message", "informal", "{}"),
                (1, "usr_2", "org_a", "org_b", "signal.acknowledged", "formal", #"{"timeliness":"late"}"#),
                (8, "usr_1", "org_b", "org_a", "consultation.answered", "formal", #"{"response":"adapted","timeliness":"on-time"}"#),
                (9, nil, "org_a", "org_b", "referral.response-overdue", "system", "{}"),
                (9, nil, "org_a", "org_b", "user.created", "system", "{}"),  // system: nothing
                (10, "usr_3", "org_a", nil, "thread.message", "informal", "{}")  // no counterpart: nothing
            ]
            try await db.database.write { c in
                for e in entries {
                    try await c.execute(
                        """
                        INSERT INTO activity (at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, subject_type, subject_id, channel, detail)
                        VALUES (?, ?, ?, ?, ?, 'test', 'x', ?, ?)
                        """, january.adding(days: e.days), e.user, e.actor, e.counterpart, e.kind, e.channel, e.detail)
                }
            }
            #expect(try await Migrator.migrate(db.database, migrations: Migrator.all.filter { $0.version <= 12 }) == [12])
            let store = ThawStore(database: db.database, clock: ManualClock(january))
            let rows = try await store.storedClimateRows()  // a schema of migration 12: nothing is pending yet
            // org_a|org_b, January: hi_to_lo 2 (b's message and answer), lo_to_hi 1, formal 2, informal 1, answered 1,
            // adopted 1, on time 1, late 2 (a late acknowledgement, an overdue response); two weeks with contact; two people.
            #expect(rows == ["org_a|org_b|2026-01-01|1|2|2|1|0|0|0|1|1|1|2|0|0|2|2|5b1d1,6a1c1k1,13b1c1h1i1j1,14k1|4112 usr_1\n32 usr_2"])
            for old in ["climate_days", "climate_day_people", "climate_month_weeks", "climate_month_people"] {
                await #expect(throws: (any Error).self) { try await db.database.read { c in try await c.query("SELECT * FROM \(old)", []) } }
            }
        }
    }

    @Test(arguments: Backend.available)
    func incrementalAggregatesEqualARebuildAndGiveTheComponents(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff), lead = w.store.scoped(to: w.clinicLead)
            var referral = try await w.refer()  // clinic → housing
            w.clock.advance(seconds: 3600)
            referral = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            _ = try await partner.sendMessage(referral: referral.id, body: "Booked")  // housing → clinic
            _ = try await nav.sendMessage(referral: referral.id, body: "Thanks")  // clinic → housing
            w.clock.advance(seconds: 8 * 86_400)  // another week
            _ = try await lead.startThread(subject: "Coffee", with: [w.housingStaff.userId], message: "Next week?")
            let kept = try await lead.createCommitment(
                NewCommitment(
                    toOrganizationId: w.housing.id, what: "PPE", context: .thread,
                    dueOn: CalendarDate(w.clock.now().adding(days: 2))))
            _ = try await lead.createCommitment(
                NewCommitment(
                    toOrganizationId: w.housing.id, what: "Schedule", context: .meeting,
                    dueOn: CalendarDate(w.clock.now().adding(days: 1))))
            _ = try await lead.changeCommitment(kept.id, .keep(evidence: "Delivered"), expectedVersion: 1)
            _ = try await w.store.scoped(to: w.housingStaff).changeCommitment(kept.id, .confirm(note: nil), expectedVersion: 2)
            w.clock.advance(seconds: 3 * 86_400)
            try await w.store.markMissedCommitments()

            let incremental = try await w.store.climateSnapshot()
            #expect(!incremental.isEmpty)
            let seen = LockedCounter()
            let report = try await w.store.rebuildClimate(pageSize: 3) { done, total in seen.set(done, total) }
            #expect(report.rows == ClimateRowChanges(rows: incremental.count))  // every stored row as the ledger gives it
            #expect(try await w.store.climateSnapshot() == incremental)
            #expect(seen.done == seen.total && seen.total > 10)

            let months = try await lead.pairClimate(
                w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!)
            let january = try #require(months.first)
            #expect(january.counts.loToHi + january.counts.hiToLo >= 4)
            #expect(january.components.followThrough == 0.5)  // one kept, one missed
            #expect(january.components.channelMix != nil && january.counts.informal == 2)  // the thread and the promise made in it
            #expect(january.weeksWithContact == 2 && january.weeksInPeriod == 5)  // weeks of 5 and 12 January, of five touching January
            #expect(january.index != nil && january.index! > 0 && january.index! <= 100)
            let weeks = try await lead.pairClimate(
                w.clinic.id, w.housing.id, period: .week, from: CalendarDate("2026-01-05")!, to: CalendarDate("2026-01-26")!)
            #expect(weeks.map(\.start.description) == ["2026-01-05", "2026-01-12", "2026-01-19"])
            #expect(weeks.reduce(PairCounts()) { $0 + $1.counts } == january.counts)  // weeks and the month agree
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.foodStaff).pairClimate(
                    w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!,
                    to: CalendarDate("2026-02-01")!)
            }
            await #expect(throws: ThawError.self) {
                try await lead.pairClimate(
                    w.clinic.id, w.housing.id, period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!,
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
            _ = try await w.refer()  // clinic – housing, January
            let lead = w.store.scoped(to: w.clinicLead)
            _ = try await lead.startThread(subject: "Hello", with: [w.foodStaff.userId], message: "Coffee?")  // clinic – food
            let months = try await lead.networkClimate(period: .month, from: CalendarDate("2025-12-01")!, to: CalendarDate("2026-02-01")!)
            #expect(months.map(\.ties) == [0, 2])
            let january = months[1]
            #expect(january.measures.density == 2.0 / 6.0)  // 2 ties of 6 among 4 organisations
            #expect(january.measures.betweenness[w.clinic.id.raw] == 1.0 / 3.0)  // the clinic joins housing and food
            #expect(january.measures.directness == nil)  // the world has no central-system organisation
            #expect(january.tieWeightedIndex != nil)
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.navigator).networkClimate(
                    period: .month, from: CalendarDate("2026-01-01")!, to: CalendarDate("2026-02-01")!)
            }
        }
    }
}

extension ClimateContractTests {
    /// Many writes at once that each bring the pair's first entry of a new month: each must create or
    /// find the one month row and add to it, none lost. (PostgreSQL runs them truly in parallel; the
    /// row is made first and then read with a lock, so a second writer waits rather than overwrites.)
    @Test(arguments: Backend.available)
    func concurrentFirstEntriesOfAMonthAllCount(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let messages = 24
            // One referral each: messages on one referral would queue on its row's lock before reaching the climate.
            var referrals: [Referral] = []
            for _ in 0..<messages { referrals.append(try await w.refer()) }
            w.clock.advance(seconds: 27 * 86_400)  // 1 February: a month with no entry yet (the consent runs to 4 February)
            let month = CalendarDate(year: CalendarDate(w.clock.now()).year, month: CalendarDate(w.clock.now()).month, day: 1)!
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, referral) in referrals.enumerated() {
                    group.addTask { _ = try await (i.isMultiple(of: 2) ? nav : partner).sendMessage(referral: referral.id, body: "Note \(i)") }
                }
                try await group.waitForAll()
            }
            // Folded by several folders at once (every server process has one), in small batches: each
            // entry counts once, and the month's first row is made once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await w.store.foldPendingClimate(batchSize: 5) } }
                try await group.waitForAll()
            }
            let rows = try await db.database.read { c in
                try await c.query("SELECT lo_to_hi + hi_to_lo AS entries, lo_to_hi, hi_to_lo FROM climate_months WHERE month = ?", [month.sqlValue])
            }
            #expect(rows.count == 1)
            #expect(rows.first?.int64("entries") == Int64(messages))
            #expect(rows.first?.int64("lo_to_hi") == Int64(messages / 2))
            #expect(try await w.store.rebuildFindsClimateUnchanged())
        }
    }
}

extension ClimateContractTests {
    /// A read folds what is pending before it reads. While another process's background folder holds
    /// a batch (PostgreSQL, rows locked), the read waits for it rather than skipping those entries, so
    /// it never reads month rows the other has not yet committed. (SQLite has one writer: nothing to skip.)
    @Test(arguments: Backend.available)
    func aReadWaitsForAFoldUnderWayElsewhere(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            let nav = w.store.scoped(to: w.navigator)
            for i in 0..<6 { _ = try await nav.sendMessage(referral: referral.id, body: "Note \(i)") }
            let other = try await db.reopen()
            let reader = w.store
            let started = LockedCounter()
            // The other process's background folder takes the whole batch and holds it for a moment.
            async let held: Int = other.write { c in
                let folded = try await ThawStore.foldClimateBatch(c, limit: 500, skippingLocked: true)
                started.set(1, folded)
                try await Task.sleep(for: .milliseconds(400))
                return folded
            }
            while started.done == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let month = CalendarDate(w.clock.now()).firstOfMonth
            let read = try await reader.scoped(to: w.networkAdmin).pairClimate(
                w.clinic.id, w.housing.id, period: .month, from: month, to: month.firstOfMonth(adding: 1))
            #expect(try await held > 0)
            let exchanged = (read.first?.counts.loToHi ?? 0) + (read.first?.counts.hiToLo ?? 0)
            #expect(exchanged == 7)  // the referral and six messages
            try await other.close()
        }
    }
}

/// Progress seen by the rebuild's callback.
final class LockedCounter: @unchecked Sendable {
    private(set) var done = 0, total = 0
    func set(_ done: Int, _ total: Int) { self.done = done; self.total = total }
}
