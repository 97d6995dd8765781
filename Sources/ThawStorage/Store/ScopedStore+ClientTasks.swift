import ThawCore

extension ClientTask {
    static let columns = "id, client_id, organization_id, referral_id, kind, description, due_on, status, created_by, created_at, closed_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), clientId: row.id("client_id"), organizationId: row.id("organization_id"), referralId: row.optionalId("referral_id"),
            kind: row.enumValue("kind"), description: row.string("description"), dueOn: row.date("due_on"), status: row.enumValue("status"),
            createdBy: row.id("created_by"), createdAt: row.timestamp("created_at"), closedAt: row.optionalTimestamp("closed_at"))
    }
}

extension ScopedStore {
    /// Asks the client to do something themselves. Only the organisation holding the client's
    /// record does: the task is part of their record, as follow-ups are. A referral it helps
    /// along must be this client's, sent by this organisation.
    public func createClientTask(client id: ID<Client>, _ input: NewClientTask) async throws -> ClientTask {
        let actor = self.actor, now = now(), today = calendar.day(of: now)
        try input.validate(today: today)
        return try await database.write { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            if let referralId = input.referralId {
                guard
                    try await db.first(
                        "SELECT id FROM referrals WHERE id = ? AND client_id = ? AND requester_organization_id = ?", referralId, id,
                        actor.organizationId) != nil
                else {
                    throw ThawError.unprocessable("referralId", "client", "referralId must be a referral of this client sent by your organisation")
                }
            }
            let task = ClientTask(
                id: IDGenerator.make("ctk", createdAt: now), clientId: id, organizationId: actor.organizationId, referralId: input.referralId,
                kind: input.kind, description: input.description.trimmingWhitespace, dueOn: input.dueOn, status: .requested,
                createdBy: actor.userId, createdAt: now, closedAt: nil)
            try await db.execute(
                """
                INSERT INTO client_tasks (id, client_id, organization_id, referral_id, kind, description, due_on, status, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, task.id, id, actor.organizationId, task.referralId, task.kind, task.description, task.dueOn?.description, task.status,
                actor.userId, now)
            try await db.append(
                LedgerRecord(
                    kind: "client-task.created", subjectType: "client", subjectId: id.raw, channel: .system,
                    detail: ["task": task.id.raw, "kind": task.kind.rawValue]),
                by: actor, at: now)
            try await db.logAccess(actor, client: id, action: "write", subjectType: "client-task", subjectId: task.id.raw, at: now)
            return task
        }
    }

    /// The tasks asked of a client, newest first: for the organisation holding the record.
    public func clientTasks(client id: ID<Client>) async throws -> [ClientTask] {
        let actor = self.actor, now = now()
        let tasks = try await database.read { db in
            _ = try await Self.heldClient(db, id, actor: actor)
            return try await db.query(
                "SELECT \(ClientTask.columns) FROM client_tasks WHERE client_id = ? ORDER BY created_at DESC, id", id
            ).map(ClientTask.init(row:))
        }
        try await auditRead(client: id, subjectType: "client-tasks", at: now)
        return tasks
    }

    /// One task, for the organisation holding the client's record (anyone else: not found).
    public func clientTask(_ id: ID<ClientTask>) async throws -> ClientTask {
        let actor = self.actor, now = now()
        let task = try await database.read { db in try await Self.heldTask(db, id, actor: actor) }
        try await auditRead(client: task.clientId, subjectType: "client-task", subjectId: id.raw, at: now)
        return task
    }

    /// The client did it (completed), or it is no longer needed (cancelled); once.
    public func closeClientTask(_ id: ID<ClientTask>, _ input: ClientTaskClosing) async throws -> ClientTask {
        try input.validate()
        let actor = self.actor, now = now()
        return try await database.write { db in
            var task = try await Self.heldTask(db, id, actor: actor)
            guard !task.status.isClosed else {
                throw ThawError.conflict(code: task.status.rawValue, message: "the task is \(task.status.rawValue) already")
            }
            task.status = input.status
            task.closedAt = now
            let changed = try await db.execute(
                "UPDATE client_tasks SET status = ?, closed_at = ? WHERE id = ? AND status = ?", task.status, now, id, ClientTask.Status.requested)
            guard changed == 1 else { throw ThawError.conflict(code: "closed", message: "the task was closed meanwhile") }
            try await db.append(
                LedgerRecord(
                    kind: "client-task.closed", subjectType: "client", subjectId: task.clientId.raw, channel: .system,
                    detail: ["task": id.raw, "status": input.status.rawValue]),
                by: actor, at: now)
            try await db.logAccess(actor, client: task.clientId, action: "write", subjectType: "client-task", subjectId: id.raw, at: now)
            return task
        }
    }

    static func heldTask(_ db: any SQLConnection, _ id: ID<ClientTask>, actor: Actor) async throws -> ClientTask {
        guard actor.hasAny(AccessPolicy.referringRoles),
            let row = try await db.first(
                "SELECT \(ClientTask.columns) FROM client_tasks WHERE id = ? AND organization_id = ?", id, actor.organizationId)
        else {
            throw ThawError.notFound("task \(id)")
        }
        // A task is written only by the organisation holding the client, and a client's record never
        // changes hands, so its organisation is the holder.
        return ClientTask(row: row)
    }
}
