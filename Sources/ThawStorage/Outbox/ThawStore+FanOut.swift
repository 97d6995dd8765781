import ThawCore

/// What fanning out one event writes, worked out beforehand on a reader: the subscriptions that
/// hear of it, the people told of it, and whether it goes to a partner's own system.
struct FanOutPlan: Sendable {
    var event: OutboxEvent
    var subscriptions: [ID<Subscription>] = []
    var notifications: [PlannedNotification] = []
    var outbound: ID<Organization>?
    /// The referring side cancelled a referral that went to a partner's own system: tell it there.
    var cancelOutbound = false
}

/// A notification for one person, with when it is due to be emailed (nil: not emailed).
struct PlannedNotification: Sendable {
    var user: ID<User>
    var kind: NotificationKind
    var subject: NotificationSubject
    var summary: String
    var emailDue: Timestamp?

    /// Writes it as heard of through `eventId`: a person hears of one event once.
    @discardableResult
    func insert(_ db: any SQLConnection, eventId: String, now: Timestamp) async throws -> Int {
        try await db.execute(
            """
            INSERT INTO notifications (id, user_id, event_id, kind, subject_type, subject_id, summary, created_at, email_due_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id, user_id) DO NOTHING
            """, IDGenerator.make("ntf", createdAt: now, as: UserNotification.self), user, eventId, kind.rawValue, subject.type.rawValue,
            subject.id, summary, now, emailDue)
    }
}

extension EmailSchedule? {
    /// When a notification is emailed under a person's choice for its kind: at once, at the next
    /// digest, or never (and never where the server has no SMTP).
    func emailDue(_ mode: EmailMode, now: Timestamp) -> Timestamp? {
        switch (self, mode) {
        case (nil, _), (_, .off): nil
        case (.some, .immediately): now
        case (.some(let schedule), .digest): schedule.nextDigest(after: now)
        }
    }
}

/// Lookups that do not change within one round of planning.
struct FanOutLookups {
    var actors: [String: Actor?] = [:]
    var names: [ID<Organization>: String] = [:]
    var staff: [ID<Organization>: [User]] = [:]
    var preferences: [ID<User>: [NotificationKind: EmailMode]] = [:]

    mutating func actor(_ db: any SQLConnection, _ user: ID<User>, in organization: ID<Organization>) async throws -> Actor? {
        let key = user.raw + "|" + organization.raw
        if let known = actors[key] { return known }
        let found = try await ThawStore.activeActor(db, user, in: organization)
        actors[key] = found
        return found
    }

    mutating func name(_ db: any SQLConnection, _ organization: ID<Organization>) async throws -> String {
        if let known = names[organization] { return known }
        let found = try await ScopedStore.organization(db, organization).name
        names[organization] = found
        return found
    }

    /// The active people of an organisation with any of `roles` (nil: everyone).
    mutating func people(_ db: any SQLConnection, of organization: ID<Organization>, withAny roles: Set<Role>?) async throws -> [ID<User>] {
        let everyone: [User]
        if let known = staff[organization] {
            everyone = known
        } else {
            everyone = try await db.query("SELECT \(User.columns) FROM users WHERE organization_id = ? AND active = 1", organization)
                .map(User.init(row:))
            staff[organization] = everyone
        }
        return everyone.filter { user in roles.map { !user.roles.isDisjoint(with: $0) } ?? true }.map(\.id)
    }

    mutating func preferences(_ db: any SQLConnection, _ user: ID<User>) async throws -> [NotificationKind: EmailMode] {
        if let known = preferences[user] { return known }
        let found = try await ThawStore.preferences(db, user)
        preferences[user] = found
        return found
    }
}

extension ThawStore {
    /// Plans the fan-out of up to `limit` events on a reader, where it holds up no writer: who
    /// may hear of each is decided by the same rules as reading the referral.
    static func planFanOut(_ db: any SQLConnection, limit: Int, email: EmailSchedule?, now: Timestamp) async throws -> [FanOutPlan] {
        let events = try await db.query(
            """
            SELECT id, kind, subject_type, subject_id, actor_organization_id, detail, created_at FROM outbox_events
            WHERE fanned_out = 0 ORDER BY created_at LIMIT ?
            """, limit
        ).map(OutboxEvent.init(row:))
        var lookups = FanOutLookups()
        var plans: [FanOutPlan] = []
        for event in events {
            var plan = FanOutPlan(event: event)
            if event.subjectType == "referral",
                let referral = try await db.first("SELECT \(Referral.columns) FROM referrals WHERE id = ?", event.subjectId).map(Referral.init(row:))
            {
                if Outbox.taskChangeKinds.contains(event.kind) {
                    plan.subscriptions = try await subscribers(db, referral, &lookups, now: now)
                }
                plan.notifications = try await people(db, event, referral, &lookups, email: email, now: now)
                plan.outbound = try await partnerSystem(db, event, referral)
                plan.cancelOutbound =
                    event.kind == "referral.status-changed" && event.detail["to"] == TaskStatus.cancelled.rawValue
                    && event.actorOrganizationId == referral.requesterOrganizationId
            }
            plans.append(plan)
        }
        return plans
    }

    /// Writes what the plans say, each event once: an event another worker fanned out meanwhile is skipped.
    static func applyFanOut(_ db: any SQLConnection, _ plans: [FanOutPlan], now: Timestamp) async throws -> Int {
        var applied = 0
        for plan in plans {
            guard try await db.execute("UPDATE outbox_events SET fanned_out = 1 WHERE id = ? AND fanned_out = 0", plan.event.id) == 1 else {
                continue
            }
            applied += 1
            for subscription in plan.subscriptions {
                try await db.execute("UPDATE subscriptions SET events_since_start = events_since_start + 1 WHERE id = ?", subscription)
                let number =
                    try await db.first("SELECT events_since_start FROM subscriptions WHERE id = ?", subscription)?.int64("events_since_start") ?? 1
                try await db.execute(
                    """
                    INSERT INTO deliveries (id, event_id, subscription_id, event_number, attempts, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, 0, ?, ?)
                    ON CONFLICT (event_id, subscription_id) DO NOTHING
                    """, IDGenerator.make("dlv", createdAt: now, as: OutboxEvent.self).raw, plan.event.id, subscription, number, now, now)
            }
            for notification in plan.notifications {
                try await notification.insert(db, eventId: plan.event.id.raw, now: now)
            }
            if let organization = plan.outbound {
                try await db.execute(
                    """
                    INSERT INTO outbound_referrals (referral_id, organization_id, state, attempts, next_attempt_at, created_at)
                    VALUES (?, ?, 'pending', 0, ?, ?) ON CONFLICT (referral_id) DO NOTHING
                    """, plan.event.subjectId, organization, now, now)
            }
            if plan.cancelOutbound {
                // Sent: the partner's Task is cancelled there. Not yet sent: it never will be.
                try await db.execute(
                    """
                    UPDATE outbound_referrals SET state = CASE state WHEN 'sent' THEN 'cancel-pending' ELSE 'withdrawn' END,
                        attempts = 0, next_attempt_at = ? WHERE referral_id = ? AND state IN ('sent', 'pending')
                    """, now, plan.event.subjectId)
            }
        }
        return applied
    }

    /// The active subscriptions of the referral's parties whose filter matches and whose
    /// subscriber may see the referral now.
    private static func subscribers(_ db: any SQLConnection, _ referral: Referral, _ lookups: inout FanOutLookups, now: Timestamp) async throws
        -> [ID<Subscription>]
    {
        let parties = [referral.requesterOrganizationId] + (referral.ownerOrganizationId.map { [$0] } ?? [])
        let subscriptions = try await db.query(
            "SELECT \(Subscription.columns) FROM subscriptions WHERE organization_id IN (?, ?) AND status = 'active' AND topic = ?",
            parties[0], parties.last ?? parties[0], Subscription.Topic.taskChanged.rawValue
        ).map(Subscription.init(row:))
        var hearing: [ID<Subscription>] = []
        for subscription in subscriptions where subscription.filter.matches(referral) && (subscription.endAt.map { $0 > now } ?? true) {
            guard let actor = try await lookups.actor(db, subscription.userId, in: subscription.organizationId),
                (try? await ScopedStore.visibleReferral(db, referral.id, actor: actor, now: now)) != nil
            else { continue }
            hearing.append(subscription.id)
        }
        return hearing
    }

    /// The notifications a referral event makes for people (see `NotificationRules`): one per
    /// person who may see the referral now, each queued for email as their preference for its kind says.
    private static func people(
        _ db: any SQLConnection, _ event: OutboxEvent, _ referral: Referral, _ lookups: inout FanOutLookups, email: EmailSchedule?, now: Timestamp
    ) async throws -> [PlannedNotification] {
        let audience = NotificationRules.audience(
            kind: event.kind, detail: event.detail, byOwner: event.actorOrganizationId == referral.ownerOrganizationId,
            hasOwner: referral.ownerOrganizationId != nil)
        guard !audience.isEmpty else { return [] }
        let requester = try await lookups.name(db, referral.requesterOrganizationId)
        var owner: String?
        if let ownerId = referral.ownerOrganizationId { owner = try await lookups.name(db, ownerId) }
        var planned: [PlannedNotification] = []
        for (who, kind) in audience {
            let organization = who == .requester ? referral.requesterOrganizationId : referral.ownerOrganizationId
            guard let organization else { continue }
            if who == .ownerDirectory {
                // About the service, not the client: those who keep its record hear, whatever their access to the referral.
                guard let service = referral.serviceId else { continue }
                for person in try await lookups.people(db, of: organization, withAny: AccessPolicy.directoryRoles) {
                    let mode = try await lookups.preferences(db, person)[kind] ?? kind.defaultMode
                    planned.append(
                        PlannedNotification(
                            user: person, kind: kind, subject: .init(.service, service.raw),
                            summary: NotificationRules.summary(kind, requester: requester, owner: owner), emailDue: email.emailDue(mode, now: now)))
                }
                continue
            }
            let people =
                who == .requester
                ? [referral.requesterUserId] : try await lookups.people(db, of: organization, withAny: AccessPolicy.receivingRoles)
            for person in people {
                guard let actor = try await lookups.actor(db, person, in: organization),
                    (try? await ScopedStore.visibleReferral(db, referral.id, actor: actor, now: now)) != nil
                else { continue }
                let mode = try await lookups.preferences(db, person)[kind] ?? kind.defaultMode
                planned.append(
                    PlannedNotification(
                        user: person, kind: kind, subject: .referral(referral.id),
                        summary: NotificationRules.summary(kind, requester: requester, owner: owner), emailDue: email.emailDue(mode, now: now)))
            }
        }
        return planned
    }

    /// A referral sent (or sent on from a draft) to a partner with its own system goes there too.
    private static func partnerSystem(_ db: any SQLConnection, _ event: OutboxEvent, _ referral: Referral) async throws -> ID<Organization>? {
        guard event.kind == "referral.created" || (event.kind == "referral.status-changed" && event.detail["from"] == TaskStatus.draft.rawValue),
            referral.status == .requested, let owner = referral.ownerOrganizationId,
            try await db.first("SELECT organization_id FROM partner_endpoints WHERE organization_id = ?", owner) != nil
        else { return nil }
        return owner
    }
}
