import ThawCore

extension Subscription {
    static let columns = """
        id, organization_id, user_id, topic, criteria, endpoint, headers, heartbeat_seconds, status, error,
        events_since_start, created_at, end_at
        """

    init(row: SQLRow) {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), userId: row.id("user_id"),
            topic: Topic(rawValue: row.string("topic")) ?? .taskChanged, filter: SubscriptionFilter(stored: row.optionalString("criteria") ?? ""),
            endpoint: row.string("endpoint"),
            headers: (row.optionalString("headers") ?? "").split(separator: "\n").map(String.init),
            heartbeatSeconds: row.optionalInt64("heartbeat_seconds").map(Int.init), status: Status(rawValue: row.string("status")) ?? .error,
            error: row.optionalString("error"), eventsSinceStart: row.int64("events_since_start"), createdAt: row.timestamp("created_at"),
            endAt: row.optionalTimestamp("end_at"))
    }
}

extension ScopedStore {
    /// A subscription of the actor's organisation. It hears only of referrals its organisation is
    /// a party to, so a filter naming two other organisations would hear of nothing: refused.
    public func createSubscription(_ input: NewSubscription) async throws -> Subscription {
        let actor = self.actor, now = now()
        try input.validate(now: now)
        if let owner = input.filter.owner, let requester = input.filter.requester,
            owner != actor.organizationId, requester != actor.organizationId
        {
            throw ThawError.unprocessable(
                "criteria", "own-referrals", "a subscription hears of its own organisation's referrals; name it as owner or requester")
        }
        let subscription = Subscription(
            id: IDGenerator.make("sub"), organizationId: actor.organizationId, userId: actor.userId, topic: input.topic,
            filter: input.filter, endpoint: input.endpoint, headers: input.headers, heartbeatSeconds: input.heartbeatSeconds,
            status: .requested, error: nil, eventsSinceStart: 0, createdAt: now, endAt: input.endAt)
        try await database.write { db in
            try await db.execute(
                """
                INSERT INTO subscriptions (\(Subscription.columns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)
                """, subscription.id, subscription.organizationId, subscription.userId, subscription.topic.rawValue,
                subscription.filter.stored, subscription.endpoint, subscription.headers.joined(separator: "\n"),
                subscription.heartbeatSeconds.map(Int64.init), subscription.status.rawValue, now, subscription.endAt)
        }
        return subscription
    }

    /// One of the organisation's subscriptions; another organisation's is 404.
    public func subscription(_ id: ID<Subscription>) async throws -> Subscription {
        let actor = self.actor
        guard
            let row = try await database.read({ db in
                try await db.first(
                    "SELECT \(Subscription.columns) FROM subscriptions WHERE id = ? AND organization_id = ?", id, actor.organizationId)
            })
        else { throw ThawError.notFound("Subscription \(id)") }
        return Subscription(row: row)
    }

    public func subscriptions() async throws -> [Subscription] {
        let actor = self.actor
        return try await database.read { db in
            try await db.query(
                "SELECT \(Subscription.columns) FROM subscriptions WHERE organization_id = ? AND status <> 'off' ORDER BY created_at DESC",
                actor.organizationId
            ).map(Subscription.init(row:))
        }
    }

    /// Turns a subscription off: nothing more is sent to it, and what was waiting is dropped.
    public func endSubscription(_ id: ID<Subscription>) async throws {
        _ = try await subscription(id)
        try await database.write { db in
            try await db.execute("UPDATE subscriptions SET status = 'off' WHERE id = ?", id)
            try await db.execute(
                "UPDATE deliveries SET dead_at = ?, last_error = 'subscription ended' WHERE subscription_id = ? AND delivered_at IS NULL AND dead_at IS NULL",
                now(), id)
        }
    }
}
