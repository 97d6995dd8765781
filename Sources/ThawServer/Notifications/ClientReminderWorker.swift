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

/// A reminder's words, in the client's language where it is French, else English.
enum ClientReminderText {
    static func message(_ reminder: ClientReminder) -> EmailMessage {
        let french = reminder.language?.lowercased().hasPrefix("fr") == true
        let calendar = LocalCalendar(reminder.timeZone)
        let (day, minutes, zone) = calendar.wallClock(reminder.at)
        let time = ClientSummaryWords.clock(minutes)
        if french {
            return EmailMessage(
                to: reminder.address, subject: "Rappel : votre rendez-vous",
                body: "Bonjour,\n\nRappel de votre rendez-vous le \(ClientSummaryWords.date(day, french: true)) à \(time) (\(zone)), "
                    + "à l’adresse suivante : \(reminder.place).\n\nPour le changer, communiquez avec la personne qui vous a orienté.\n",
                preferencesURL: nil)
        }
        return EmailMessage(
            to: reminder.address, subject: "Reminder: your appointment",
            body: "Hello,\n\nThis is a reminder of your appointment on \(ClientSummaryWords.date(day, french: false)) at \(time) (\(zone)), "
                + "at: \(reminder.place).\n\nTo change it, contact the person who referred you.\n",
            preferencesURL: nil)
    }
}
