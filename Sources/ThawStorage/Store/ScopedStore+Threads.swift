import ThawCore

/// Threads are visible to their participants only: no role, administrator
/// included, reads a thread it is not part of.
extension ScopedStore {
    public func startThread(subject: String, with people: [ID<User>], message: String) async throws -> DiscussionThread {
        var v = Validator()
        v.requireText(subject, "subject", maxLength: 300)
        v.requireText(message, "message", maxLength: 8000)
        v.require(!people.isEmpty && people.count <= 50, "participantIds", "items", "a thread has 1 to 50 other participants")
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            var participants = [DiscussionThread.Participant(userId: actor.userId, organizationId: actor.organizationId)]
            for person in Set(people) where person != actor.userId {
                guard let row = try await db.first("SELECT organization_id FROM users WHERE id = ? AND active = 1", person) else {
                    throw ThawError.unprocessable("participantIds", "exists", "no active user \(person)")
                }
                participants.append(.init(userId: person, organizationId: row.id("organization_id")))
            }
            guard participants.contains(where: { $0.organizationId != actor.organizationId }) else {
                throw ThawError.unprocessable("participantIds", "other-organization", "a thread connects people in different organisations")
            }
            let thread = DiscussionThread(
                id: IDGenerator.make("thr"), subject: subject.trimmingWhitespace, organizationId: actor.organizationId,
                participants: participants.sorted { $0.userId < $1.userId }, createdAt: now, lastMessageAt: now)
            try await db.execute(
                "INSERT INTO threads (id, subject, organization_id, created_by, created_at, last_message_at) VALUES (?, ?, ?, ?, ?, ?)",
                thread.id, thread.subject, actor.organizationId, actor.userId, now, now)
            for participant in participants {
                try await db.execute(
                    "INSERT INTO thread_participants (thread_id, user_id, organization_id) VALUES (?, ?, ?)",
                    thread.id, participant.userId, participant.organizationId)
            }
            try await Self.insertMessage(db, thread, body: message, actor: actor, at: now)
            return thread
        }
    }

    public func postToThread(_ id: ID<DiscussionThread>, body: String) async throws -> ThreadMessage {
        var v = Validator()
        v.requireText(body, "body", maxLength: 8000)
        try v.check()
        let actor = self.actor, now = now()
        return try await database.write { db in
            let thread = try await Self.participantThread(db, id, actor: actor)
            try await db.execute("UPDATE threads SET last_message_at = ? WHERE id = ?", now, id)
            return try await Self.insertMessage(db, thread, body: body, actor: actor, at: now)
        }
    }

    public func thread(_ id: ID<DiscussionThread>) async throws -> (DiscussionThread, [ThreadMessage]) {
        let actor = self.actor
        return try await database.read { db in
            let thread = try await Self.participantThread(db, id, actor: actor)
            let messages = try await db.query(
                """
                SELECT id, thread_id, author_user_id, organization_id, body, sent_at FROM thread_messages WHERE thread_id = ? ORDER BY sent_at, id
                """, id
            ).map { row in
                ThreadMessage(
                    id: row.id("id"), threadId: id, authorId: row.id("author_user_id"), organizationId: row.id("organization_id"),
                    body: row.string("body"), sentAt: row.timestamp("sent_at"))
            }
            return (thread, messages)
        }
    }

    /// Threads I take part in, most recently active first.
    public func threads() async throws -> [DiscussionThread] {
        let actor = self.actor
        return try await database.read { db in
            var found: [DiscussionThread] = []
            for row in try await db.query(
                """
                SELECT t.id FROM threads t JOIN thread_participants p ON p.thread_id = t.id WHERE p.user_id = ?
                ORDER BY t.last_message_at DESC, t.id
                """, actor.userId)
            {
                found.append(try await Self.participantThread(db, row.id("id"), actor: actor))
            }
            return found
        }
    }

    static func participantThread(_ db: any SQLConnection, _ id: ID<DiscussionThread>, actor: Actor) async throws -> DiscussionThread {
        let participants = try await db.query("SELECT user_id, organization_id FROM thread_participants WHERE thread_id = ? ORDER BY user_id", id)
            .map { DiscussionThread.Participant(userId: $0.id("user_id"), organizationId: $0.id("organization_id")) }
        guard participants.contains(where: { $0.userId == actor.userId }),
            let row = try await db.first("SELECT id, subject, organization_id, created_at, last_message_at FROM threads WHERE id = ?", id)
        else {
            throw ThawError.notFound("thread \(id)")
        }
        return DiscussionThread(
            id: id, subject: row.string("subject"), organizationId: row.id("organization_id"), participants: participants,
            createdAt: row.timestamp("created_at"), lastMessageAt: row.timestamp("last_message_at"))
    }

    /// One ledger entry per other organisation in the thread, so each pair's informal contact is counted.
    @discardableResult
    static func insertMessage(_ db: any SQLConnection, _ thread: DiscussionThread, body: String, actor: Actor, at now: Timestamp) async throws
        -> ThreadMessage
    {
        let message = ThreadMessage(
            id: IDGenerator.make("tms", createdAt: now), threadId: thread.id, authorId: actor.userId,
            organizationId: actor.organizationId, body: body.trimmingWhitespace, sentAt: now)
        try await db.execute(
            """
            INSERT INTO thread_messages (id, thread_id, author_user_id, organization_id, body, sent_at) VALUES (?, ?, ?, ?, ?, ?)
            """, message.id, thread.id, actor.userId, actor.organizationId, message.body, now)
        for org in Set(thread.participants.map(\.organizationId)) where org != actor.organizationId {
            try await db.append(
                LedgerRecord(
                    kind: "thread.message", subjectType: "thread", subjectId: thread.id.raw, counterpart: org,
                    channel: .informal, detail: ["message": message.id.raw]), by: actor, at: now)
        }
        return message
    }
}
