import Logging
import ServiceLifecycle
import ThawStorage

/// Marks overdue commitments as missed and records overdue first responses on
/// a schedule, so the ledger (and the climate's follow-through and
/// responsiveness) records them even when nobody opens a list. Commitment
/// lists also sweep before they read; this makes the record independent of
/// anyone looking. Each tick also makes the reminders that have come due (follow-ups,
/// commitments, consultation feedback, funding, surveys) and forgets sign-in failures whose
/// window has passed. Every process keeps the timer; one of them sweeps each period.
struct DeadlineSweeper: Service {
    let store: ThawStore
    let interval: Duration
    let logger: Logger
    /// When reminders are emailed; nil without SMTP (they still reach the notification list).
    var email: EmailSchedule?

    func run() async throws {
        // Ends at once on graceful shutdown (SIGTERM), between sweeps or during the wait:
        // the cancelled sleep is how it stops, not a failure.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // With several server processes, one sweeps each period.
                    guard try await store.claimScheduledRun(.deadlineSweep, every: interval, holder: ServerProcess.name) else {
                        try await Task.sleep(for: interval)
                        continue
                    }
                    let swept = try await store.sweepDeadlines()
                    try await store.forgetExpiredSignInFailures()
                    let reminded = try await store.remind(email: email)
                    if reminded > 0 { logger.info("reminders made", metadata: ["notifications": .stringConvertible(reminded)]) }
                    if swept.missedCommitments + swept.overdueResponses > 0 {
                        logger.info(
                            "deadlines swept",
                            metadata: [
                                "commitmentsMissed": .stringConvertible(swept.missedCommitments),
                                "responsesOverdue": .stringConvertible(swept.overdueResponses)
                            ])
                    }
                } catch {
                    logger.error("deadline sweep failed", metadata: ["error": .string(String(describing: error))])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
