import Logging
import ServiceLifecycle
import ThawCore
import ThawStorage

/// Sends clients the appointment reminders they agreed to, in French or English: the time and
/// the place, nothing else (no organisation, service, need or name). A failed send is tried
/// again on later rounds, up to `ClientReminders.maxAttempts` times.
struct ClientReminderWorker: ServiceLifecycle.Service {
    let store: ThawStore
    let smtp: SMTPClient
    let poll: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for reminder in try await store.dueClientReminders() { await send(reminder) }
                } catch {
                    logger.error("client reminder round failed", metadata: ["error": .string(String(describing: error))])
                }
                try await Task.sleep(for: poll)
            }
        }
    }

    private func send(_ reminder: ClientReminder) async {
        do {
            do {
                try await smtp.send(ClientReminderText.message(reminder))
            } catch {
                logger.warning("client reminder not sent", metadata: ["appointment": .string(reminder.appointmentId.raw)])
                try await store.markClientReminderFailed(reminder.appointmentId, error: String(describing: error))
                return
            }
            try await store.markClientReminderSent(reminder.appointmentId)
        } catch {
            logger.error("client reminder not recorded", metadata: ["appointment": .string(reminder.appointmentId.raw)])
        }
    }
}

/// A reminder's words, in the client's language where it is French, else English: the time and
/// place, nothing else.
enum ClientReminderText {
    static func message(_ reminder: ClientReminder) -> EmailMessage {
        ClientSummaryWords.inLanguage(Language(preferred: reminder.language)) {
            let (day, minutes, zone) = LocalCalendar(reminder.timeZone).wallClock(reminder.at)
            let when = say("%1 at %2 (%3)", ClientSummaryWords.date(day), ClientSummaryWords.clock(minutes), zone)
            return EmailMessage(
                to: reminder.address, subject: say("Reminder: your appointment"),
                body: say(
                    "Hello,\n\nThis is a reminder of your appointment on %1, at: %2.\n\nTo change it, contact the person who referred you.\n", when,
                    reminder.place),
                preferencesURL: nil)
        }
    }
}
