import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Appointments the partner books, and the reminders that go to a client who agreed to them:
/// a day before, once, only while the appointment stands. On both databases.
@Suite struct AppointmentContractTests {
    @Test(arguments: Backend.available)
    func aReminderGoesADayBeforeOnlyToAClientWhoAgreed(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            let referral = try await w.refer()
            let inThreeDays = NewAppointment(at: w.clock.now().adding(days: 3), place: "  1 Main St, room 4 ")
            // Booked by the partner working it, once it has accepted.
            await #expect(throws: ThawError.self) { try await partner.recordAppointment(referral: referral.id, inThreeDays) }
            _ = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            await #expect(throws: ThawError.self) { try await nav.recordAppointment(referral: referral.id, inThreeDays) }
            await #expect(throws: ThawError.self) {
                try await partner.recordAppointment(referral: referral.id, NewAppointment(at: w.clock.now().adding(days: -1), place: "x"))
            }
            let appointment = try await partner.recordAppointment(referral: referral.id, inThreeDays)
            #expect(appointment.place == "1 Main St, room 4")
            #expect(try await nav.appointments(referral: referral.id) == [appointment])
            // The client has no email address on file: email reminders cannot be agreed.
            await #expect(throws: ThawError.self) { try await nav.setReminderChannel(client: w.client.id, .email) }
            try await w.database.write { c in
                try await c.execute("UPDATE clients SET email = 'amara@client.test', preferred_language = 'fr' WHERE id = ?", w.client.id)
            }
            w.clock.advance(seconds: 2 * 86_400 + 3600)  // within a day of it
            #expect(try await w.store.dueClientReminders().isEmpty, "not agreed: no reminder")
            try await nav.setReminderChannel(client: w.client.id, .email)
            #expect(try await nav.reminderChannel(client: w.client.id) == .email)
            let due = try await w.store.dueClientReminders()
            #expect(due.map(\.appointmentId) == [appointment.id] && due.first?.address == "amara@client.test" && due.first?.language == "fr")
            try await w.store.markClientReminderSent(appointment.id)
            #expect(try await w.store.dueClientReminders().isEmpty, "sent once")
            // Each send read the client's address: in the access log, as the holding organisation's system.
            let reads = try await w.database.read { c in
                try await c.query("SELECT user_id, organization_id FROM access_log WHERE subject_type = 'reminder'", [])
            }
            #expect(reads.map { $0.string("user_id") } == ["system-reminders"] && reads.first?.string("organization_id") == w.clinic.id.raw)
        }
    }

    @Test(arguments: Backend.available)
    func noReminderForAnAppointmentOnAReferralThatEndedOrAClientWhoWithdrew(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator), partner = w.store.scoped(to: w.housingStaff)
            try await w.database.write { c in try await c.execute("UPDATE clients SET email = 'amara@client.test' WHERE id = ?", w.client.id) }
            try await nav.setReminderChannel(client: w.client.id, .email)
            let cancelled = try await w.refer(), withdrawn = try await w.refer()
            for referral in [cancelled, withdrawn] {
                _ = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
                _ = try await partner.recordAppointment(referral: referral.id, NewAppointment(at: w.clock.now().adding(seconds: 7200), place: "Hall"))
            }
            #expect(try await w.store.dueClientReminders().count == 2, "within a day: due at once")
            // Claimed for a lease: another server process asking meanwhile gets nothing to send.
            #expect(try await w.store.dueClientReminders().isEmpty)
            w.clock.advance(seconds: 60)  // the lease passed unsent (the SMTP server failed): tried again
            _ = try await nav.changeStatus(cancelled.id, StatusChange(status: .cancelled, reason: "moved"), expectedVersion: 2)
            #expect(try await w.store.dueClientReminders().count == 1)
            w.clock.advance(seconds: 60)
            try await nav.setReminderChannel(client: w.client.id, nil)
            #expect(try await w.store.dueClientReminders().isEmpty)
            // An address that could smuggle a header is never used.
            try await nav.setReminderChannel(client: w.client.id, .email)
            try await w.database.write { c in
                try await c.execute("UPDATE clients SET email = ? WHERE id = ?", "amara@client.test>\r\nBcc: x@evil.test", w.client.id)
            }
            #expect(try await w.store.dueClientReminders().isEmpty)
        }
    }
}
