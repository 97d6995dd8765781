import ThawCore
import ThawStorage

/// Administration: the organisations of the network and a form to add one.
struct OrganizationsView {
    var organizations: [Organization]
    var viewer: Actor
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let names = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) })
        let rows = organizations.map { org -> HTML in
            """
            <tr><td data-label="Organisation"><a href="\(WebPath.organization(org.id))">\(org.name)</a></td>
            <td data-label="Sector">\(Words.sector(org.sector))</td>
            <td data-label="Part of">\(org.parentId.flatMap { names[$0] } ?? "—")</td>
            <td data-label="Area">\(org.area ?? "—")</td></tr>
            """
        }
        let parents: [(value: String, label: Phrase)] = [("", "None")] + organizations.map { ($0.id.raw, Phrase(said: $0.name)) }
        let alignments: [(value: String, label: Phrase)] = [
            ("", "Not applicable"), (Alignment.independentPrimaryCare.rawValue, "Independent primary care"),
            (Alignment.centralSystem.rawValue, "Central system")
        ]
        return """
            <h1>Administration</h1>
            <div class="columns">
            <section aria-labelledby="orgs-heading">
            <h2 id="orgs-heading">Organisations</h2>
            <table class="stack"><caption class="visually-hidden">Organisations in the network</caption>
            <thead><tr><th scope="col">Organisation</th><th scope="col">Sector</th><th scope="col">Part of</th><th scope="col">Area</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            </section>
            \(newOrganizationHTML(parents: parents, alignments: alignments))
            </div>
            """
    }

    /// Only a network administrator adds organisations.
    private func newOrganizationHTML(parents: [(value: String, label: Phrase)], alignments: [(value: String, label: Phrase)]) -> HTML {
        guard viewer.has(.networkAdministrator) else { return .empty }
        return """
            <section class="panel" aria-labelledby="new-org-heading">
            <h2 id="new-org-heading">Add an organisation</h2>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.admin)" novalidate>
            \(Components.csrfField(csrf))
            \(Components.textField("name", "Name", state: state, required: true))
            \(Components.select("sector", "Sector", state: state, options: Components.options(Sector.self, label: Words.sector), required: true))
            \(Components.select("alignment", "Alignment", state: state, options: alignments))
            \(Components.select("parentId", "Part of", state: state, options: parents))
            \(Components.textField("area", "Area served", state: state))
            \(Components.select("timeZone", "Time zone", state: state, options: [("", "From the area served")] + AreaTimeZones.zones.map { ($0, Phrase(said: verbatim($0))) }, hint: "If left out: the one the area served names, else the network's."))
            <button type="submit">Add organisation</button>
            </form>
            </section>
            """
    }
}

/// One organisation: its services with capacity, and its users with roles.
struct OrganizationView {
    var organization: Organization
    var services: [Service]
    var users: [User]
    var viewer: Actor
    /// For the organisation's own administrators: the people placed with it.
    var placements: PlacementsPanel?
    var failed: (action: String, state: FormState)?
    var csrf: String?

    private func state(_ action: String) -> FormState { .of(action, failed: failed) }
    private var path: String { WebPath.organization(organization.id) }
    /// The viewer's own organisation: its services and all its users' roles are the viewer's to keep.
    private var isOwn: Bool { viewer.organizationId == organization.id }
    /// Roles the viewer may hand out here (network-administrator only by a network administrator, in its own organisation).
    private var grantableRoles: [Role] {
        Role.allCases.filter { $0 != .evaluator && ($0 != .networkAdministrator || (isOwn && viewer.has(.networkAdministrator))) }
    }

    func render() -> HTML {
        """
        <p><a href="\(WebPath.admin)">← All organisations</a></p>
        <h1>\(organization.name)</h1>
        <p class="muted">\(Words.sector(organization.sector))\(organization.area.map { " · \($0)" } ?? "")</p>
        <div class="columns">
        <div>\(servicesHTML)\(usersHTML)\(placements?.render() ?? .empty)</div>
        <div>\(isOwn ? newServiceHTML : .empty)\(newUserHTML)\(newEvaluatorHTML)</div>
        </div>
        """
    }

    private var servicesHTML: HTML {
        let rows = services.map { service -> HTML in
            """
            <tr><td data-label="Service"><strong>\(service.name)</strong><br><span class="muted">\(service.needCategories.map(Words.need).joined(separator: ", "))</span></td>
            <td data-label="Capacity">\(Components.capacityBadge(service.capacity))</td></tr>
            """
        }
        let servicesTable: HTML =
            services.isEmpty
            ? HTML(stringLiteral: "<p>No services yet.</p>")
            : """
            <table class="stack"><caption class="visually-hidden">Services and capacity</caption>
            <thead><tr><th scope="col">Service</th><th scope="col">Capacity</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let keep: HTML = isOwn ? "<p><a href=\"\(WebPath.ourServices)\">Update capacity and verify our services</a></p>" : .empty
        return """
            <section aria-labelledby="services-heading"><h2 id="services-heading">Services</h2>
            \(servicesTable)\(keep)
            </section>
            """
    }

    private var usersHTML: HTML {
        guard Administration.mayListUsers(viewer, of: organization.id) else { return .empty }
        let rows = users.map { user -> HTML in
            let deactivated: HTML = user.active ? .empty : " <span class=\"badge\">Deactivated</span>"
            return """
                <tr><td data-label="User"><strong>\(user.displayName)</strong><br><span class="muted">\(user.email)</span>\(deactivated)</td>
                <td data-label="Roles">\(Administration.mayManage(user, by: viewer) ? userForm(user) : "\(user.roles.map(Words.role).sorted().joined(separator: ", "))")</td></tr>
                """
        }
        let error: HTML = failed?.action == "user" ? Components.errorSummary(state("user")) : .empty
        return """
            <section aria-labelledby="users-heading"><h2 id="users-heading">Users and roles</h2>
            \(error)
            <table class="stack"><caption class="visually-hidden">Users of this organisation</caption>
            <thead><tr><th scope="col">User</th><th scope="col">Roles and access</th></tr></thead><tbody>\(rows)</tbody></table>
            </section>
            """
    }

    /// Roles and the active switch for a user of the viewer's own organisation; for
    /// another organisation's administrator, the active switch alone.
    private func userForm(_ user: User) -> HTML {
        let roleNames = user.roles.map(Words.role).sorted().joined(separator: ", ")
        let boxes: [HTML] =
            isOwn
            ? grantableRoles.map { role -> HTML in
                let id = "role-\(user.id.raw)-\(role.rawValue)"
                return
                    "<span class=\"check\"><input type=\"checkbox\" id=\"\(id)\" name=\"roles\" value=\"\(role)\"\(HTML.attribute("checked", if: user.roles.contains(role)))> <label for=\"\(id)\">\(Words.role(role))</label></span>"
            } : ["\(roleNames)"]
        let activeId = "active-\(user.id.raw)"
        return """
            <form method="post" action="\(path)">\(Components.csrfField(csrf))\(Components.hidden("action", "user"))\(Components.hidden("user", user.id.raw))
            <fieldset class="checks"><legend class="visually-hidden">Roles of \(user.displayName)</legend>\(boxes)</fieldset>
            <span class="check"><input type="checkbox" id="\(activeId)" name="active" value="yes"\(HTML.attribute("checked", if: user.active))> <label for="\(activeId)">Active</label></span>
            <button type="submit" class="button-secondary">Save<span class="visually-hidden"> \(user.displayName)</span></button></form>
            """
    }

    private var newServiceHTML: HTML {
        let state = state("service")
        return """
            <section class="panel" aria-labelledby="new-service-heading"><h2 id="new-service-heading">Add a service</h2>
            \(Components.errorSummary(state))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "service"))
            \(Components.textField("name", "Name", state: state, required: true))
            \(Components.textArea("description", "Description", state: state))
            \(Components.checkboxes("needCategories", "Needs it addresses", state: state, options: Components.options(NeedCategory.self, label: Words.need), checked: []))
            \(Components.textField("eligibility", "Eligibility", state: state))
            \(Components.textField("areaServed", "Area served", state: state))
            \(Components.textField("languages", "Languages", state: state, hint: "Separated by commas, e.g. en, fr"))
            \(Components.select("capacity", "Capacity", state: state, options: Components.options(Capacity.self, label: Words.capacity)))
            <button type="submit">Add service</button>
            </form></section>
            """
    }

    /// A network administrator adds an evaluator here, for a period: aggregates and
    /// de-identified exports only, so in any organisation.
    private var newEvaluatorHTML: HTML {
        guard viewer.has(.networkAdministrator) else { return .empty }
        let state = state("new-evaluator")
        return """
            <section class="panel" aria-labelledby="new-evaluator-heading"><h2 id="new-evaluator-heading">Add an evaluator</h2>
            <p class="hint">A researcher or funder's evaluator sees the evaluation report and the de-identified exports, and nothing \
            of any client, from the first day to the last.</p>
            \(Components.errorSummary(state, idSuffix: "-evaluator"))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "new-evaluator"))
            \(Components.textField("displayName", "Name", state: state, required: true, idSuffix: "-evaluator"))
            \(Components.textField("email", "Email", state: state, type: "email", required: true, idSuffix: "-evaluator"))
            \(Components.textField("password", "Password", state: state, type: "password", required: true, hint: "At least 12 characters", autocomplete: "new-password", idSuffix: "-evaluator"))
            \(Components.textField("evaluatorFrom", "From", state: state, type: "date", required: true, idSuffix: "-evaluator"))
            \(Components.textField("evaluatorUntil", "Until", state: state, type: "date", required: true, idSuffix: "-evaluator"))
            <button type="submit">Add the evaluator</button>
            </form></section>
            """
    }

    private var newUserHTML: HTML {
        guard (isOwn && viewer.has(.administrator)) || (!isOwn && viewer.has(.networkAdministrator)) else { return .empty }
        let state = state("new-user")
        let roles: HTML =
            isOwn
            ? Components.checkboxes(
                "roles", "Roles", state: state, options: grantableRoles.map { ($0.rawValue, Phrase(said: Words.role($0))) }, checked: [],
                idSuffix: "-new")
            : "<p class=\"hint\">In another organisation you add its first administrator; its administrators add everyone else.</p>"
        return """
            <section class="panel" aria-labelledby="new-user-heading"><h2 id="new-user-heading">\(isOwn ? say("Add a user") : say("Add an administrator"))</h2>
            \(Components.errorSummary(state))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "new-user"))
            \(Components.textField("displayName", "Name", state: state, required: true))
            \(Components.textField("email", "Email", state: state, type: "email", required: true, autocomplete: "off"))
            \(roles)
            \(Components.textField("password", "First password", state: state, type: "password", required: true,
                               hint: "At least 12 characters; they should change it", autocomplete: "new-password", value: ""))
            <button type="submit">Add user</button>
            </form></section>
            """
    }
}

/// The signed-in user's own API tokens: create (the secret is shown once) and revoke.
struct TokensView {
    var tokens: [APIToken]
    var newSecret: String?
    var state: FormState
    var now: Timestamp
    var csrf: String?

    func render() -> HTML {
        let rows = tokens.map { token -> HTML in
            let expired = token.expiresAt.map { $0 <= now } == true
            let status = token.revokedAt != nil ? say("Revoked") : (expired ? say("Expired") : say("Active"))
            let revoke: HTML =
                token.revokedAt == nil && !expired
                ? """
                <form method="post" action="\(WebPath.adminTokens)" data-confirm="Revoke this token? Programs using it stop working.">\(Components.csrfField(csrf))\(Components.hidden("action", "revoke"))\(Components.hidden("token", token.id.raw))
                <button type="submit" class="button-danger">Revoke<span class="visually-hidden"> \(token.name)</span></button></form>
                """ : .empty
            return """
                <tr><td data-label="Name">\(token.name)</td><td data-label="Created">\(Components.time(token.createdAt))</td>
                <td data-label="Expires">\(token.expiresAt.map(Components.time) ?? say("Never"))</td>
                <td data-label="Status"><span class="badge">\(status)</span></td><td data-label="Revoke">\(revoke)</td></tr>
                """
        }
        let secret: HTML =
            newSecret.map {
                """
                <div class="notice notice-success" role="status"><p><strong>Copy this token now; it is not shown again.</strong></p>
                <p class="secret" id="new-token">\($0)</p><p>Send it as <code>Authorization: Bearer …</code></p></div>
                """
            } ?? .empty
        let tokensTable: HTML =
            tokens.isEmpty
            ? HTML(stringLiteral: "<p>No tokens yet.</p>")
            : """
            <table class="stack"><caption class="visually-hidden">Your API tokens</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Revoke</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            <h1>API tokens</h1>
            \(secret)
            <div class="columns">
            <section aria-labelledby="tokens-heading"><h2 id="tokens-heading">Your tokens</h2>
            \(tokensTable)
            </section>
            <section class="panel" aria-labelledby="new-token-heading"><h2 id="new-token-heading">Create a token</h2>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.adminTokens)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "create"))
            \(Components.textField("name", "What it is for", state: state, required: true))
            \(Components.textField("expiresAt", "Expires on", state: state, type: "date", hint: "Leave empty for no expiry"))
            <button type="submit">Create token</button>
            </form></section>
            </div>
            """
    }
}
