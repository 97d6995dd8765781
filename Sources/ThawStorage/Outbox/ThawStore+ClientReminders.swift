import ThawCore

/// A reminder due to a client: where it goes, in which language, and the time and place, nothing more.
public struct ClientReminder: Sendable, Equatable {
    public var appointmentId: ID<Appointment>
    public var address: String
    /// The client's preferred language ("fr", "en", …); the message is in French or English.
    public var language: String?
    public var at: Timestamp
    public var place: String
    /// The time zone the client's organisation keeps, for the time the message gives.
    public var timeZone: String?
}

extension ThawStore {
    /// Claims the reminders due now whose client still agrees to email reminders, still has an
    /// address, and whose appointment still stands on a referral being worked. Each is held for a
    /// lease (its due time moved on, its attempt counted) so that no other server process sends it
    /// meanwhile; one not marked sent by then is tried again. Each read of the client's address is
    /// in the access log, as the holding organisation's system acting.
    public func dueClientReminders(limit: Int = 50) async throws -> [ClientReminder] {
        let now = clock.now()
        return try await database.write { db in
            let rows = try await db.query(
                """
                SELECT a.id, a.at, a.place, a.client_id, c.email, c.preferred_language, c.organization_id AS holder, o.time_zone,
                       o.sector
                FROM client_reminders q JOIN appointments a ON a.id = q.appointment_id
                JOIN referrals r ON r.id = a.referral_id
                JOIN clients c ON c.id = a.client_id JOIN organizations o ON o.id = c.organization_id
                JOIN client_reminder_channels ch ON ch.client_id = c.id AND ch.channel = 'email'
                WHERE q.sent_at IS NULL AND q.due_at <= ? AND q.attempts < ? AND a.cancelled_at IS NULL AND a.at > ?
                  AND r.status IN ('accepted', 'in-progress', 'on-hold')
                ORDER BY q.due_at LIMIT ?
                """, now, ClientReminders.maxAttempts, now, limit)
            var due: [ClientReminder] = []
            for row in rows {
                guard let address = row.optionalString("email"), EmailAddress.isPlain(address) else { continue }
                // Another process may have claimed it since the read: only the one whose update lands sends it.
                let claimed = try await db.execute(
                    """
                    UPDATE client_reminders SET due_at = ?, attempts = attempts + 1
                    WHERE appointment_id = ? AND sent_at IS NULL AND due_at <= ?
                    """, now.adding(seconds: Outbox.leaseMillis / 1000), row.string("id"), now)
                guard claimed == 1 else { continue }
                let system = Actor(userId: ID("system-reminders"), organizationId: row.id("holder"), sector: row.enumValue("sector"), roles: [])
                try await db.logAccess(
                    system, client: row.id("client_id"), action: "read", subjectType: "reminder", subjectId: row.string("id"), at: now)
                due.append(
                    ClientReminder(
                        appointmentId: row.id("id"), address: address, language: row.optionalString("preferred_language"),
                        at: row.timestamp("at"), place: row.string("place"), timeZone: row.optionalString("time_zone")))
            }
            return due
        }
    }

    public func markClientReminderSent(_ id: ID<Appointment>) async throws {
        let now = clock.now()
        try await database.write { db in
            try await db.execute("UPDATE client_reminders SET sent_at = ? WHERE appointment_id = ?", now, id)
        }
    }

    public func markClientReminderFailed(_ id: ID<Appointment>, error: String) async throws {
        try await database.write { db in
            try await db.execute(
                "UPDATE client_reminders SET last_error = ? WHERE appointment_id = ?", String(error.prefix(500)), id)
        }
    }
}

/// An address fit to go into an SMTP envelope and a header as it is: one @, no spaces, angle
/// brackets or line breaks.
public enum EmailAddress {
    public static func isPlain(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && address.count <= 254
            && address.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>\"(),;:\\[]".unicodeScalars.contains($0) }
    }
}
