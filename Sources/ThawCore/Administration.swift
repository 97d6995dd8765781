/// Who administers whom. Two roles, never one reaching past the other:
///
/// - an **organisation administrator** (`administrator`) manages its own
///   organisation: its users and their roles, services, capacity and API tokens;
/// - a **network administrator** (`network-administrator`, held in the hosting
///   organisation) adds organisations and their first administrators, and may
///   deactivate or reactivate another organisation's administrators. It cannot
///   add anyone else to another organisation, so it cannot give itself a way
///   into that organisation's clients.
///
/// Only a network administrator grants `network-administrator`, and only within
/// its own organisation.
public enum Administration {
    /// Checks that `actor` may add a user with `roles` to `organization`.
    /// `hasActiveAdministrator`: whether that organisation already has one.
    public static func checkNewUser(
        by actor: Actor, in organization: ID<Organization>, roles: Set<Role>,
        hasActiveAdministrator: Bool
    ) throws {
        if roles.contains(.networkAdministrator) {
            guard actor.has(.networkAdministrator), organization == actor.organizationId else {
                throw ThawError.forbidden("only a network administrator grants network-administrator, and only in its own organisation")
            }
        }
        if roles.contains(.evaluator) {
            // Evaluators see aggregates only, so the network may add them in any organisation
            // (a university, a funder); in another organisation, with no other role.
            guard actor.has(.networkAdministrator) else {
                throw ThawError.forbidden("only a network administrator grants the evaluator role")
            }
            guard organization == actor.organizationId || roles == [.evaluator] else {
                throw ThawError.unprocessable(
                    "roles", "evaluator-only", "in another organisation a network administrator adds an evaluator with no other role")
            }
            return
        }
        if organization == actor.organizationId {
            guard actor.has(.administrator) else {
                throw ThawError.forbidden("adding a user needs the administrator role of the organisation")
            }
            return
        }
        guard actor.has(.networkAdministrator) else {
            throw ThawError.forbidden("an administrator adds users to its own organisation only")
        }
        guard roles == [.administrator] else {
            throw ThawError.unprocessable(
                "roles", "first-administrator",
                "in another organisation a network administrator adds only administrators; they add everyone else")
        }
        guard !hasActiveAdministrator else {
            throw ThawError.conflict(
                code: "organization-has-administrator",
                message: "this organisation already has an active administrator, who adds its users")
        }
    }

    /// Checks that `actor` may grant or withdraw the evaluator role, to a user of any organisation.
    public static func checkEvaluatorGrant(by actor: Actor) throws {
        guard actor.has(.networkAdministrator) else {
            throw ThawError.forbidden("only a network administrator grants or withdraws the evaluator role")
        }
    }

    /// Whether `actor` may list the users of `organization`.
    public static func mayListUsers(_ actor: Actor, of organization: ID<Organization>) -> Bool {
        (organization == actor.organizationId && actor.has(.administrator)) || actor.has(.networkAdministrator)
    }

    /// Whether `actor` may change `user` at all (false: 404, so another organisation's
    /// people are not confirmed to exist): its own organisation's administrators, and for
    /// another organisation's administrator, a network administrator.
    public static func mayManage(_ user: User, by actor: Actor) -> Bool {
        if user.organizationId == actor.organizationId { return actor.has(.administrator) }
        return actor.has(.networkAdministrator) && user.roles.contains(.administrator)
    }

    /// Checks a change of roles or of being active, once `mayManage` allowed the actor to see the user.
    public static func checkChange(of user: User, roles: Set<Role>?, active: Bool?, by actor: Actor) throws {
        var v = Validator()
        if let roles { v.require(!roles.isEmpty, "roles", "required", "a user needs at least one role") }
        v.require(!(user.id == actor.userId && active == false), "active", "not-self", "you cannot deactivate yourself")
        if user.id == actor.userId, let roles {
            v.require(
                roles.contains(.administrator) || !actor.has(.administrator), "roles", "not-self",
                "you cannot remove your own administrator role")
            v.require(
                roles.contains(.networkAdministrator) || !actor.has(.networkAdministrator), "roles", "not-self",
                "you cannot remove your own network-administrator role")
        }
        try v.check()
        if let roles, roles.contains(.evaluator), !user.roles.contains(.evaluator) {
            throw ThawError.forbidden("the evaluator role is granted with its period by a network administrator (PUT /api/v1/users/{id}/evaluator)")
        }
        if user.organizationId != actor.organizationId {
            // Another organisation's administrator: its network administrator may only switch it off or on.
            guard roles == nil || roles == user.roles else {
                throw ThawError.forbidden(
                    "a network administrator may deactivate or reactivate another organisation's administrator, not change roles")
            }
            return
        }
        if let roles, roles.contains(.networkAdministrator) != user.roles.contains(.networkAdministrator) {
            guard actor.has(.networkAdministrator) else {
                throw ThawError.forbidden("only a network administrator grants or removes network-administrator")
            }
        }
    }
}
