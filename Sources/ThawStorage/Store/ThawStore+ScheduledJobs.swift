import ThawCore

/// A job every server process runs on a timer, that must run once per period across them all.
public enum ScheduledJob: String, Sendable, CaseIterable {
    /// Missed commitments, overdue first responses, reminders, forgotten sign-in failures.
    case deadlineSweep = "deadline-sweep"
    /// Reading the Tasks of referrals sent to partners' own systems.
    case partnerFollow = "partner-follow"
}

extension ThawStore {
    /// Claims this period's run of `job`: true for exactly one caller per period, whichever
    /// process it is in. Nothing is held while the job runs, so a process that dies mid-run
    /// stops no one: the next period is claimed by whoever asks first. `holder` names the
    /// claimant for whoever looks (host and process id).
    public func claimScheduledRun(_ job: ScheduledJob, every period: Duration, holder: String) async throws -> Bool {
        let now = clock.now()
        let next = Timestamp(millis: now.millis + max(1, Int64(period / .milliseconds(1))))
        return try await database.write { db in
            try await db.execute("INSERT INTO scheduled_jobs (name, next_run_at) VALUES (?, 0) ON CONFLICT (name) DO NOTHING", job.rawValue)
            // Two processes asking at once: on PostgreSQL the second waits for the first's row lock,
            // then finds the row no longer due; on SQLite writes are one at a time anyway.
            let claimed = try await db.execute(
                "UPDATE scheduled_jobs SET next_run_at = ?, last_holder = ?, last_started_at = ? WHERE name = ? AND next_run_at <= ?",
                next, holder, now, job.rawValue, now)
            return claimed == 1
        }
    }
}
