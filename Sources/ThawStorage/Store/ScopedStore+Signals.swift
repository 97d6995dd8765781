import ThawCore

extension Signal.Kind: SQLBindable {}

/// Signals: the sending organisation and the partners it addressed see them;
/// each addressed partner may acknowledge once.
extension ScopedStore {
    public func sendSignal(_ input: NewSignal) async throws -> Signal {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "recording a signal")
        let actor = self.actor, now = now()
        try input.validate(today: calendar.day(of: now))
        guard !input.addressedToOrganizationIds.contains(actor.organizationId) else {
            throw ThawError.unprocessable(
                "addressedToOrganizationIds", "other-organization", "address the signal to partners, not your own organisation")
        }
        let signal = Signal(
            id: IDGenerator.make("sig"), organizationId: actor.organizationId, kind: input.kind,
            description: input.description.trimmingWhitespace, madeOn: input.madeOn,
            addressedTo: input.addressedToOrganizationIds.sorted().map { .init(organizationId: $0) }, createdAt: now)
        return try await database.write { db in
            try await db.execute(
                """
                INSERT INTO signals (id, organization_id, kind, description, made_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, signal.id, actor.organizationId, signal.kind, signal.description, signal.madeOn, actor.userId, now)
            for addressee in signal.addressedTo {
                try await db.requireOrganization(addressee.organizationId, field: "addressedToOrganizationIds")
                try await db.execute("INSERT INTO signal_addressees (signal_id, organization_id) VALUES (?, ?)", signal.id, addressee.organizationId)
                try await db.append(
                    LedgerRecord(
                        kind: "signal.sent", subjectType: "signal", subjectId: signal.id.raw,
                        counterpart: addressee.organizationId, channel: .formal, detail: ["kind": signal.kind.rawValue]),
                    by: actor, at: now)
            }
            return signal
        }
    }

    /// Acknowledging is a partnership act like sending: it needs a partnership lead or administrator
    /// of an addressed organisation (anyone there can read the signal).
    public func acknowledgeSignal(_ id: ID<Signal>, note: String?) async throws -> Signal {
        try AccessPolicy.require(actor, anyOf: Self.partnershipRoles, to: "acknowledging a signal")
        var v = Validator()
        v.limitText(note, "note", maxLength: 2000)
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            var signal = try await Self.visibleSignal(db, id, actor: actor)
            guard let index = signal.addressedTo.firstIndex(where: { $0.organizationId == actor.organizationId }) else {
                throw ThawError.forbidden("only a partner the signal was addressed to acknowledges it")
            }
            guard signal.addressedTo[index].acknowledgedAt == nil else {
                throw ThawError.conflict(code: "already-acknowledged", message: "your organisation has already acknowledged this signal")
            }
            try await db.execute(
                """
                UPDATE signal_addressees SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE signal_id = ? AND organization_id = ?
                """, now, actor.userId, note, id, actor.organizationId)
            signal.addressedTo[index].acknowledgedAt = now
            signal.addressedTo[index].note = note
            let due = ResponseTiming.endOfDay(signal.madeOn, plusDays: ResponseTiming.signalAcknowledgementDays)
            try await db.append(
                LedgerRecord(
                    kind: "signal.acknowledged", subjectType: "signal", subjectId: id.raw,
                    counterpart: signal.organizationId, channel: .formal,
                    detail: [ResponseTiming.detailKey: ResponseTiming.verdict(due: due, at: now)]),
                by: actor, at: now)
            return signal
        }
    }

    /// Signals my organisation sent or received, newest first.
    public func signals() async throws -> [Signal] {
        let actor = self.actor
        return try await database.read { db in
            var found: [Signal] = []
            for row in try await db.query(
                """
                SELECT DISTINCT s.id, s.made_on FROM signals s LEFT JOIN signal_addressees a ON a.signal_id = s.id
                WHERE s.organization_id = ? OR a.organization_id = ? ORDER BY s.made_on DESC, s.id
                """, actor.organizationId, actor.organizationId)
            {
                found.append(try await Self.visibleSignal(db, row.id("id"), actor: actor))
            }
            return found
        }
    }

    static func visibleSignal(_ db: any SQLConnection, _ id: ID<Signal>, actor: Actor) async throws -> Signal {
        guard let row = try await db.first("SELECT id, organization_id, kind, description, made_on, created_at FROM signals WHERE id = ?", id) else {
            throw ThawError.notFound("signal \(id)")
        }
        let addressees = try await db.query(
            """
            SELECT organization_id, acknowledged_at, note FROM signal_addressees WHERE signal_id = ? ORDER BY organization_id
            """, id
        ).map {
            Signal.Addressee(
                organizationId: $0.id("organization_id"), acknowledgedAt: $0.optionalTimestamp("acknowledged_at"),
                note: $0.optionalString("note"))
        }
        let sender: ID<Organization> = row.id("organization_id")
        guard sender == actor.organizationId || addressees.contains(where: { $0.organizationId == actor.organizationId }) else {
            throw ThawError.notFound("signal \(id)")
        }
        return Signal(
            id: id, organizationId: sender, kind: row.enumValue("kind"), description: row.string("description"),
            madeOn: try row.calendarDate("made_on"), addressedTo: addressees, createdAt: row.timestamp("created_at"))
    }
}
