import ThawCore

extension ThawStore {
    /// The language a person reads Thaw in, chosen by them: English or French.
    public func setLanguage(_ language: String, for user: ID<User>) async throws {
        guard User.languages.contains(language) else {
            throw ThawError.invalid("language", "one-of", "language is en or fr")
        }
        let now = clock.now()
        try await database.write { db in
            guard let row = try await db.first("SELECT organization_id, language FROM users WHERE id = ?", user) else {
                throw ThawError.notFound("user \(user)")
            }
            guard row.optionalString("language") != language else { return }
            try await db.execute("UPDATE users SET language = ? WHERE id = ?", language, user)
            try await db.append(
                LedgerRecord(kind: "user.updated", subjectType: "user", subjectId: user.raw, channel: .system, detail: ["language": language]),
                actorUser: user, actorOrganization: row.id("organization_id"), at: now)
        }
    }

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
            // The evaluator role stays until a network administrator withdraws it with its period.
            let roles = roles.map { $0.union(user.roles.intersection([.evaluator])) }
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
