extension Schema {
    /// Appointments partners book on referrals, how each client agreed to be reminded, and the
    /// reminders due (the address is read from the client when a reminder goes, so a changed or
    /// withdrawn address or agreement stops it).
    static let v39Appointments = Migration(
        version: 39, name: "appointments and client reminders",
        sql: [
            """
            CREATE TABLE appointments (
                id TEXT PRIMARY KEY, referral_id TEXT NOT NULL REFERENCES referrals(id), client_id TEXT NOT NULL,
                organization_id TEXT NOT NULL, at BIGINT NOT NULL, place TEXT NOT NULL, recorded_by TEXT NOT NULL,
                recorded_at BIGINT NOT NULL, cancelled_at BIGINT)
            """,
            "CREATE INDEX appointments_by_referral ON appointments (referral_id, at)",
            """
            CREATE TABLE client_reminder_channels (
                client_id TEXT PRIMARY KEY REFERENCES clients(id), channel TEXT NOT NULL, agreed_at BIGINT NOT NULL,
                recorded_by TEXT NOT NULL)
            """,
            """
            CREATE TABLE client_reminders (
                appointment_id TEXT PRIMARY KEY REFERENCES appointments(id), due_at BIGINT NOT NULL, sent_at BIGINT,
                attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)
            """,
            "CREATE INDEX client_reminders_due ON client_reminders (due_at) WHERE sent_at IS NULL"
        ])
}
