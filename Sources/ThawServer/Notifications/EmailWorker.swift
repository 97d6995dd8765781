import Logging
import ServiceLifecycle
import ThawCore
import ThawStorage

/// Sends people's emails from the queue the outbox fills: what is due, one email per person
/// (several notifications due together make a digest), retried with backoff when the SMTP
/// server fails, given up after `ThawStore.maxEmailAttempts`. Runs only where SMTP is configured.
struct EmailWorker: ServiceLifecycle.Service {
    let store: ThawStore
    let smtp: SMTPClient
    let baseURL: String
    let poll: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var sent = 0
                do {
                    let batches = try await store.claimDueEmails()
                    for batch in batches { await send(batch) }
                    sent = batches.count
                } catch {
                    logger.error("email round failed", metadata: ["error": .string(String(describing: error))])
                }
                if sent == 0 { try await Task.sleep(for: poll) }
            }
        }
    }

    private func send(_ batch: EmailBatch) async {
        do {
            do {
                try await smtp.send(NotificationEmail.message(batch, baseURL: baseURL))
            } catch {
                logger.warning("email not sent", metadata: ["user": .string(batch.user.id.raw), "error": .string(String(describing: error))])
                try await store.markEmailFailed(batch, error: String(describing: error))
                return
            }
            try await store.markEmailed(batch)
        } catch {
            logger.error("email not recorded", metadata: ["user": .string(batch.user.id.raw), "error": .string(String(describing: error))])
        }
    }
}

/// The words of a notification email, in the person's language: what happened between which
/// organisations, and a link. Never the client: no name, need, note or message text leaves Thaw
/// by email.
enum NotificationEmail {
    static func message(_ batch: EmailBatch, baseURL: String) -> EmailMessage {
        ClientSummaryWords.inLanguage(Language(preferred: batch.user.language)) { words(batch, baseURL: baseURL) }
    }

    private static func words(_ batch: EmailBatch, baseURL: String) -> EmailMessage {
        let preferences = baseURL + WebPath.emailPreferences(batch.linkToken)
        let lines = batch.notifications.map { notification in
            "- \(notification.summary)\n  \(baseURL)\(WebPath.subject(notification.subject))"
        }
        let subject =
            batch.notifications.count == 1
            ? "Thaw: " + (batch.notifications.first?.kind.subjectLine ?? say("an update"))
            : "Thaw: " + say("%1 updates", batch.notifications.count)
        let body = """
            \(say("Hello %1,", batch.user.displayName))

            \(lines.joined(separator: "\n\n"))

            \(say("Sign in to Thaw to see more. To change what Thaw emails you, or to stop these emails:"))
            \(preferences)
            """
        return EmailMessage(to: batch.user.email, subject: subject, body: body, preferencesURL: preferences)
    }
}

extension NotificationKind {
    var subjectLine: String {
        switch self {
        case .newReferral: say("a new referral")
        case .referralAccepted: say("a referral was accepted")
        case .referralDeclined: say("a referral was declined")
        case .referralCompleted: say("a referral was completed")
        case .referralCancelled: say("a referral was cancelled")
        case .message: say("a new message on a referral")
        case .responseOverdue: say("a first response is overdue")
        case .followUpDue: say("a referral is due for follow-up")
        case .commitmentDue: say("a commitment is due soon")
        case .feedbackDue: say("feedback on a consultation is due soon")
        case .fundingAlert: say("joint funding is nearing its end")
        case .surveyOpen: say("a partnership pulse survey is open")
        case .capacityCheck: say("is your service's capacity still right?")
        }
    }
}
