import ThawCore

extension Appointment {
    static let columns = "id, referral_id, organization_id, at, place, recorded_by, recorded_at, cancelled_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), referralId: row.id("referral_id"), organizationId: row.id("organization_id"), at: row.timestamp("at"),
            place: row.string("place"), recordedBy: row.id("recorded_by"), recordedAt: row.timestamp("recorded_at"),
            cancelledAt: row.optionalTimestamp("cancelled_at"))
    }
}

extension ScopedStore {
    /// The partner working a referral books an appointment for the client; where the client agreed
    /// to reminders, one is queued for a day before.
    public func recordAppointment(referral id: ID<Referral>, _ input: NewAppointment) async throws -> Appointment {
        try AccessPolicy.require(actor, anyOf: AccessPolicy.receivingRoles, to: "booking an appointment")
        let actor = self.actor, now = now()
        try input.validate(now: now)
        return try await database.write { db in
            let (referral, side, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            guard side == .performer else { throw ThawError.forbidden("the partner working the referral books its appointments") }
            guard referral.status.isActive else {
                throw ThawError.conflict(
                    code: "not-active", message: "book appointments on a referral being worked; this one is \(referral.status.rawValue)")
            }
            let appointment = Appointment(
                id: IDGenerator.make("apt", createdAt: now), referralId: id, organizationId: actor.organizationId, at: input.at,
                place: input.place.trimmingWhitespace, recordedBy: actor.userId, recordedAt: now)
            try await db.execute(
                """
                INSERT INTO appointments (id, referral_id, client_id, organization_id, at, place, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, appointment.id, id, referral.clientId, actor.organizationId, appointment.at, appointment.place, actor.userId, now)
            try await db.execute(
                "INSERT INTO client_reminders (appointment_id, due_at) VALUES (?, ?)", appointment.id,
                ClientReminders.due(for: appointment.at, now: now))
            try await db.append(
                LedgerRecord(
                    kind: "referral.appointment-booked", subjectType: "referral", subjectId: id.raw,
                    counterpart: referral.requesterOrganizationId, channel: .referral, detail: ["appointment": appointment.id.raw]),
                by: actor, at: now)
            try await db.logAccess(
                actor, client: referral.clientId, action: "write", subjectType: "appointment", subjectId: appointment.id.raw, at: now)
            return appointment
        }
    }

    /// A referral's appointments, for either side.
    public func appointments(referral id: ID<Referral>) async throws -> [Appointment] {
        let actor = self.actor, now = now()
        let (client, list) = try await database.read { db in
            let (referral, _, _) = try await Self.visibleReferral(db, id, actor: actor, now: now)
            return (
                referral.clientId,
                try await db.query("SELECT \(Appointment.columns) FROM appointments WHERE referral_id = ? ORDER BY at, id", id)
                    .map(Appointment.init(row:))
            )
        }
        try await auditRead(client: client, subjectType: "appointments", subjectId: id.raw, at: now)
        return list
    }

    /// Records how the client agreed to be reminded of appointments (nil: not at all, or no longer).
    public func setReminderChannel(client id: ID<Client>, _ channel: ReminderChannel?) async throws {
        let actor = self.actor, now = now()
        try await database.write { db in
            let client = try await Self.heldClient(db, id, actor: actor)
            if channel == .email, (client.email ?? "").isEmpty {
                throw ThawError.unprocessable("channel", "needs-address", "record the client's email address before email reminders")
            }
            try await db.execute("DELETE FROM client_reminder_channels WHERE client_id = ?", id)
            if let channel {
                try await db.execute(
                    "INSERT INTO client_reminder_channels (client_id, channel, agreed_at, recorded_by) VALUES (?, ?, ?, ?)", id, channel, now,
                    actor.userId)
            }
            try await db.append(
                LedgerRecord(
                    kind: channel == nil ? "client.reminders-stopped" : "client.reminders-agreed", subjectType: "client", subjectId: id.raw,
                    counterpart: nil, channel: .system, detail: channel.map { ["channel": $0.rawValue] } ?? [:]),
                by: actor, at: now)
            try await db.logAccess(actor, client: id, action: "write", subjectType: "reminder-channel", subjectId: id.raw, at: now)
        }
    }

    public func reminderChannel(client id: ID<Client>) async throws -> ReminderChannel? {
        let actor = self.actor
        return try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await db.first("SELECT channel FROM client_reminder_channels WHERE client_id = ?", id)?.optionalEnum("channel")
        }
    }
}
