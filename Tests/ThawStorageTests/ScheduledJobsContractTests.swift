import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// A scheduled job runs once per period across every process on the database, and a process
/// that stops (or dies mid-run) holds nothing that stops the others.
@Suite struct ScheduledJobsContractTests {
    @Test(arguments: Backend.available)
    func oneCallerPerPeriodWhicheverProcessAsks(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let clock = ManualClock(Timestamp(millis: 1_800_000_000_000))
            let other = try await db.reopen()
            let stores = [ThawStore(database: db.database, clock: clock), ThawStore(database: other, clock: clock)]

            // Many asking at once, from both "processes": one wins.
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 0..<12 {
                    group.addTask {
                        try await stores[attempt % 2].claimScheduledRun(.deadlineSweep, every: .seconds(60), holder: "p\(attempt % 2)")
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            // Another job is claimed on its own.
            #expect(try await stores[1].claimScheduledRun(.partnerFollow, every: .seconds(60), holder: "p1"))

            // Within the period nobody runs it again; once the period has passed, the first to ask does.
            clock.advance(seconds: 59)
            #expect(try await stores[0].claimScheduledRun(.deadlineSweep, every: .seconds(60), holder: "p0") == false)
            #expect(try await stores[1].claimScheduledRun(.deadlineSweep, every: .seconds(60), holder: "p1") == false)
            clock.advance(seconds: 1)
            // Whoever ran it last (perhaps a process that has since died) does not matter.
            #expect(try await stores[1].claimScheduledRun(.deadlineSweep, every: .seconds(60), holder: "p1"))
            #expect(try await stores[0].claimScheduledRun(.deadlineSweep, every: .seconds(60), holder: "p0") == false)
            let holder = try await other.read { c in
                try await c.first("SELECT last_holder FROM scheduled_jobs WHERE name = 'deadline-sweep'")?.string("last_holder")
            }
            #expect(holder == "p1")
            try await other.close()
        }
    }
}
