import ThawCore

extension ThawStore {
    /// An administrator changes a user's roles or deactivates (or reactivates)
    /// them, as `Administration` allows. Deactivation ends the user's sessions at
    /// once; their API tokens stop working because every token lookup requires an
    /// active user. A user the actor may not manage is 404.
    public func updateUser(_ id: ID<User>, roles: Set<Role>?, active: Bool?, by actor: Actor) async throws -> User {
        try AccessPolicy.require(actor, anyOf: [.administrator, .networkAdministrator], to: "changing a user")
        let now = clock.now()
        let user = try await database.write { db in
            guard let row = try await db.first("SELECT \(User.columns) FROM users WHERE id = ?", id),
                case var user = User(row: row), Administration.mayManage(user, by: actor)
            else {
                throw ThawError.notFound("user \(id)")
            }
            try Administration.checkChange(of: user, roles: roles, active: active, by: actor)
            var detail: [String: String] = [:]
            if let roles, roles != user.roles { user.roles = roles; detail["roles"] = roles.listText }
            if let active, active != user.active { user.active = active; detail["active"] = active ? "true" : "false" }
            guard !detail.isEmpty else { return user }
            try await db.execute("UPDATE users SET roles = ?, active = ? WHERE id = ?", user.roles.listText, user.active, id)
            if !user.active { try await db.execute("DELETE FROM sessions WHERE user_id = ?", id) }
            try await db.append(
                LedgerRecord(
                    kind: "user.updated", subjectType: "user", subjectId: id.raw,
                    counterpart: user.organizationId == actor.organizationId ? nil : user.organizationId,
                    channel: .system, detail: detail),
                actorUser: actor.userId, actorOrganization: actor.organizationId, at: now)
            return user
        }
        // Its open live streams end now, not at their next check.
        if !user.active { changes.publish(.accessEnded(sessionDigest: nil, user: user.id)) }
        return user
    }
}
