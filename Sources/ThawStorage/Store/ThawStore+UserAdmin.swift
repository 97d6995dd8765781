import ThawCore

extension ThawStore {
    /// An administrator changes a user's roles or deactivates (or reactivates)
    /// them. Deactivation ends the user's sessions at once; their API tokens
    /// stop working because every token lookup requires an active user.
    public func updateUser(_ id: ID<User>, roles: Set<Role>?, active: Bool?, by actor: Actor) async throws -> User {
        try AccessPolicy.require(actor, anyOf: [.administrator], to: "changing a user")
        var v = Validator()
        if let roles { v.require(!roles.isEmpty, "roles", "required", "a user needs at least one role") }
        v.require(!(id == actor.userID && active == false), "active", "not-self", "you cannot deactivate yourself")
        v.require(!(id == actor.userID && roles.map { !$0.contains(.administrator) } == true), "roles", "not-self",
                  "you cannot remove your own administrator role")
        try v.check()
        let now = clock.now()
        return try await database.write { db in
            guard let row = try await db.first("SELECT \(User.columns) FROM users WHERE id = ?", id) else {
                throw ThawError.notFound("user \(id)")
            }
            var user = User(row: row)
            var detail: [String: String] = [:]
            if let roles, roles != user.roles { user.roles = roles; detail["roles"] = roles.listText }
            if let active, active != user.active { user.active = active; detail["active"] = active ? "true" : "false" }
            guard !detail.isEmpty else { return user }
            try await db.execute("UPDATE users SET roles = ?, active = ? WHERE id = ?", user.roles.listText, user.active, id)
            if !user.active { try await db.execute("DELETE FROM sessions WHERE user_id = ?", id) }
            try await db.append(LedgerRecord(kind: "user.updated", subjectType: "user", subjectID: id.raw,
                                             counterpart: user.organizationID == actor.organizationID ? nil : user.organizationID,
                                             channel: .system, detail: detail),
                                actorUser: actor.userID, actorOrganization: actor.organizationID, at: now)
            return user
        }
    }
}
