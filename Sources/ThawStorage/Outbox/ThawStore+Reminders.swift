import ThawCore

/// A reminder planned for one person, under the event id that makes it once.
private struct PlannedReminder: Sendable {
    var eventId: String
    var notification: PlannedNotification
}

extension ThawStore {
    /// Makes the reminders that have come due (see `Reminders`): planned on a reader, written in
    /// one short transaction. A reminder's event id names what it is about and its date, so a
    /// reminder already made is not made again, by this process or another. Returns how many
    /// notifications were written.
    @discardableResult
    public func remind(email: EmailSchedule?) async throws -> Int {
        let now = clock.now()
        let planned = try await database.read { db in try await Self.planReminders(db, email: email, now: now) }
        guard !planned.isEmpty else { return 0 }
        return try await database.write { db in
            var written = 0
            for reminder in planned { written += try await reminder.notification.insert(db, eventId: reminder.eventId, now: now) }
            return written
        }
    }

    private static func planReminders(_ db: any SQLConnection, email: EmailSchedule?, now: Timestamp) async throws -> [PlannedReminder] {
        var lookups = FanOutLookups()
        var planner = ReminderPlanner(db: db, email: email, now: now)
        try await planner.followUps(&lookups)
        try await planner.commitments(&lookups)
        try await planner.consultations(&lookups)
        try await planner.funding(&lookups)
        try await planner.surveys(&lookups)
        return planner.planned
    }
}

/// Who is reminded of what, each through the same lookups the outbox's fan-out uses.
private struct ReminderPlanner {
    let db: any SQLConnection
    let email: EmailSchedule?
    let now: Timestamp
    var planned: [PlannedReminder] = []

    /// At most this many subjects of one kind per sweep; the rest wait for the next.
    static let batch = 500

    var today: CalendarDate { CalendarDate(now) }

    init(db: any SQLConnection, email: EmailSchedule?, now: Timestamp) { self.db = db; self.email = email; self.now = now }

    /// The navigator who sent a referral hears on the day its follow-up falls due (their
    /// organisation's day), while they may still read it.
    mutating func followUps(_ lookups: inout FanOutLookups) async throws {
        let rows = try await db.query(
            """
            SELECT \(Referral.columns) FROM referrals
            WHERE follow_up_due >= ? AND follow_up_due < ? AND status <> 'draft' AND \(Schema.openPredicate)
              AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_id = 'follow-up-due:' || referrals.id || ':' || referrals.follow_up_due)
            ORDER BY follow_up_due LIMIT ?
            """, now.adding(days: -Reminders.followUpLookbackDays), now.adding(days: 2), Self.batch)
        for referral in rows.map(Referral.init(row:)) {
            guard let due = referral.followUpDue,
                let actor = try await lookups.actor(db, referral.requesterUserId, in: referral.requesterOrganizationId),
                due <= LocalCalendar(actor.timeZone).followUpDay(now).through,
                (try? await ScopedStore.visibleReferral(db, referral.id, actor: actor, now: now)) != nil
            else { continue }
            let requester = try await lookups.name(db, referral.requesterOrganizationId)
            var owner: String?
            if let ownerId = referral.ownerOrganizationId { owner = try await lookups.name(db, ownerId) }
            try await add(
                "follow-up-due:\(referral.id.raw):\(due.millis)", to: [referral.requesterUserId], .followUpDue, .referral(referral.id),
                NotificationRules.summary(.followUpDue, requester: requester, owner: owner), &lookups)
        }
    }

    /// An open commitment due within `Reminders.daysAhead` days: the person who made it, or
    /// their organisation's partnership leads where nobody was named or they have left.
    mutating func commitments(_ lookups: inout FanOutLookups) async throws {
        let rows = try await db.query(
            "SELECT \(Commitment.columns) FROM commitments WHERE status = 'open' AND due_on >= ? AND due_on <= ? ORDER BY due_on LIMIT ?",
            today, today.adding(days: Reminders.daysAhead), Self.batch)
        for commitment in try rows.map(Commitment.init(row:)) {
            var people: [ID<User>] = []
            if let person = commitment.personId, try await lookups.actor(db, person, in: commitment.organizationId) != nil {
                people = [person]
            } else {
                people = try await lookups.people(db, of: commitment.organizationId, withAny: [.partnershipLead])
            }
            let summary = Reminders.commitmentDue(
                by: try await lookups.name(db, commitment.organizationId), to: try await lookups.name(db, commitment.toOrganizationId),
                dueOn: commitment.dueOn)
            try await add(
                "commitment-due:\(commitment.id.raw):\(commitment.dueOn)", to: people, .commitmentDue,
                NotificationSubject(.commitment, commitment.id.raw), summary, &lookups)
        }
    }

    /// An invited organisation that has given no feedback on an open consultation whose deadline
    /// is within `Reminders.daysAhead` days: its partnership leads.
    mutating func consultations(_ lookups: inout FanOutLookups) async throws {
        let rows = try await db.query(
            """
            SELECT c.id, c.organization_id, c.deadline, i.organization_id AS invited FROM consultations c
            JOIN consultation_invitations i ON i.consultation_id = c.id
            WHERE c.status = 'open' AND c.deadline >= ? AND c.deadline <= ? AND i.organization_id <> c.organization_id
              AND NOT EXISTS (SELECT 1 FROM feedback_items f WHERE f.consultation_id = c.id AND f.organization_id = i.organization_id)
            ORDER BY c.deadline LIMIT ?
            """, today, today.adding(days: Reminders.daysAhead), Self.batch)
        for row in rows {
            let id = row.string("id"), invited: ID<Organization> = row.id("invited"), deadline = try row.calendarDate("deadline")
            let summary = Reminders.feedbackDue(from: try await lookups.name(db, row.id("organization_id")), deadline: deadline)
            try await add(
                "feedback-due:\(id):\(invited.raw):\(deadline)", to: try await lookups.people(db, of: invited, withAny: [.partnershipLead]),
                .feedbackDue, NotificationSubject(.consultation, id), summary, &lookups)
        }
    }

    /// A joint funding agreement not yet renewed reaching 180, 90 or 30 days before its end: the
    /// partnership leads of every party, once per threshold.
    mutating func funding(_ lookups: inout FanOutLookups) async throws {
        let longest = FundingAgreement.alertThresholds.max() ?? 180
        let rows = try await db.query(
            "SELECT id, ends_on FROM funding_agreements WHERE renewal <> 'renewed' AND ends_on >= ? AND ends_on <= ? ORDER BY ends_on LIMIT ?",
            today, today.adding(days: longest), Self.batch)
        for row in rows {
            let id = row.string("id"), endsOn = try row.calendarDate("ends_on")
            let daysLeft = Int((endsOn.startOfDay.millis - today.startOfDay.millis) / 86_400_000)
            guard let threshold = FundingAgreement.alert(daysToExpiry: daysLeft) else { continue }
            let parties: [ID<Organization>] = try await db.query(
                "SELECT organization_id FROM funding_parties WHERE agreement_id = ? ORDER BY organization_id", id
            ).map { $0.id("organization_id") }
            var names: [String] = [], leads: [ID<User>] = []
            for party in parties {
                names.append(try await lookups.name(db, party))
                leads += try await lookups.people(db, of: party, withAny: [.partnershipLead])
            }
            try await add(
                "funding-alert:\(id):\(endsOn):\(threshold)", to: leads, .fundingAlert, NotificationSubject(.funding, id),
                Reminders.fundingEnds(endsOn, daysLeft: daysLeft, parties: names), &lookups)
        }
    }

    /// A pulse survey round open today: everyone in the participating organisations may answer it.
    mutating func surveys(_ lookups: inout FanOutLookups) async throws {
        let rows = try await db.query(
            "SELECT id, organization_id, closes_on FROM survey_rounds WHERE opens_on <= ? AND closes_on >= ? ORDER BY opens_on LIMIT ?",
            today, today, Self.batch)
        for row in rows {
            let id = row.string("id")
            let participants: [ID<Organization>] = try await db.query(
                "SELECT organization_id FROM survey_participants WHERE round_id = ? ORDER BY organization_id", id
            ).map { $0.id("organization_id") }
            var people: [ID<User>] = []
            for organization in participants { people += try await lookups.people(db, of: organization, withAny: nil) }
            let summary = Reminders.surveyOpen(by: try await lookups.name(db, row.id("organization_id")), closesOn: try row.calendarDate("closes_on"))
            try await add("survey-open:\(id)", to: people, .surveyOpen, NotificationSubject(.survey, id), summary, &lookups)
        }
    }

    private mutating func add(
        _ eventId: String, to people: [ID<User>], _ kind: NotificationKind, _ subject: NotificationSubject, _ summary: String,
        _ lookups: inout FanOutLookups
    ) async throws {
        for person in people {
            let mode = try await lookups.preferences(db, person)[kind] ?? kind.defaultMode
            planned.append(
                PlannedReminder(
                    eventId: eventId,
                    notification: PlannedNotification(
                        user: person, kind: kind, subject: subject, summary: summary, emailDue: email.emailDue(mode, now: now))))
        }
    }
}
