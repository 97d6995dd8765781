import ThawCore

extension ThawStore {
    /// The notifications a referral event makes for people (see `NotificationRules`): one per
    /// person, each queued for email as that person's preference for its kind says.
    static func notifyPeople(_ db: any SQLConnection, _ event: OutboxEvent, _ referral: Referral, email: EmailSchedule?, now: Timestamp)
        async throws
    {
        let audience = NotificationRules.audience(
            kind: event.kind, detail: event.detail, byOwner: event.actorOrganizationId == referral.ownerOrganizationId,
            hasOwner: referral.ownerOrganizationId != nil)
        guard !audience.isEmpty else { return }
        let requester = try await ScopedStore.organization(db, referral.requesterOrganizationId).name
        let owner = try await referral.ownerOrganizationId.asyncMap { try await ScopedStore.organization(db, $0).name }
        for (who, kind) in audience {
            var people: [ID<User>] = []
            switch who {
            case .requester:
                people = [referral.requesterUserId]
            case .ownerStaff:
                guard let ownerId = referral.ownerOrganizationId else { continue }
                people = try await db.query("SELECT \(User.columns) FROM users WHERE organization_id = ? AND active = 1", ownerId)
                    .map(User.init(row:)).filter { !$0.roles.isDisjoint(with: AccessPolicy.receivingRoles) }.map(\.id)
            }
            for person in people {
                // Only someone who may see the referral now hears of it (a lapsed consent, a left job: nothing).
                guard
                    let actor = try await activeActor(
                        db, person,
                        in: who == .requester ? referral.requesterOrganizationId : referral.ownerOrganizationId ?? referral.requesterOrganizationId),
                    (try? await ScopedStore.visibleReferral(db, referral.id, actor: actor, now: now)) != nil
                else { continue }
                let mode =
                    try await db.first("SELECT mode FROM notification_preferences WHERE user_id = ? AND kind = ?", person, kind.rawValue)
                    .flatMap { EmailMode(rawValue: $0.string("mode")) } ?? kind.defaultMode
                let due: Timestamp? =
                    switch (email, mode) {
                    case (nil, _), (_, .off): nil
                    case (.some, .immediately): now
                    case (.some(let schedule), .digest): schedule.nextDigest(after: now)
                    }
                try await db.execute(
                    """
                    INSERT INTO notifications (id, user_id, event_id, kind, referral_id, summary, created_at, email_due_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (event_id, user_id) DO NOTHING
                    """, IDGenerator.make("ntf", createdAt: now, as: UserNotification.self), person, event.id, kind.rawValue, referral.id,
                    NotificationRules.summary(kind, requester: requester, owner: owner), now, due)
            }
        }
    }
}
