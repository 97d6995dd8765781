import ThawCore

/// The organisation's clients, a name search (sent by POST, so names never
/// appear in a URL), and the form to register a new client.
struct ClientListView {
    var clients: [Client]
    var searched: String?
    var state: FormState
    var csrf: String?

    /// Before a search, the clients registered most recently: a caseload is found by name, not scrolled
    /// (and the form to register one stays a few keystrokes away).
    static let recent = 25

    func render() -> HTML {
        let rows = clients.map { client -> HTML in
            """
            <tr><td data-label="Name"><a href="\(WebPath.client(client.id))">\(client.familyName), \(client.givenName)</a></td>
            <td data-label="Born">\(client.birthDate.map(Components.date) ?? "—")</td>
            <td data-label="Language">\(Words.language(client.preferredLanguage))</td></tr>
            """
        }
        let list: HTML =
            clients.isEmpty
            ? (searched != nil ? "<p>No clients match that name.</p>" : "<p>No clients.</p>")
            : """
            <table class="stack"><caption class="visually-hidden">Clients</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Born</th><th scope="col">Language</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        let search = FormState(form: WebForm(fields: ["q": [searched ?? ""]]))
        return """
            <h1>Clients</h1>
            <div class="columns">
            <section aria-labelledby="list-heading">
            <h2 id="list-heading">\(searched == nil ? say("Your organisation's clients") : say("Search results"))</h2>
            \(searched == nil ? "<p class=\"hint\">\(say("The %1 registered most recently; search by name for the others.", Self.recent))</p>" as HTML : .empty)
            <form class="filters" method="post" action="\(WebPath.clients)" role="search">
            \(Components.csrfField(csrf))\(Components.hidden("action", "search"))
            \(Components.textField("q", "Name contains", state: search, type: "search"))
            <button type="submit" class="button-secondary">Search</button>
            </form>
            \(list)
            </section>
            <section class="panel" aria-labelledby="new-heading">
            <h2 id="new-heading">Register a client</h2>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.clients)" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "create"))
            \(Components.textField("givenName", "Given name", state: state, required: true, autocomplete: "off"))
            \(Components.textField("familyName", "Family name", state: state, required: true, autocomplete: "off"))
            \(Components.textField("birthDate", "Date of birth", state: state, type: "date"))
            \(Components.textField("phone", "Phone", state: state, type: "tel"))
            \(Components.textField("email", "Email", state: state, type: "email"))
            \(Components.textField("address", "Address", state: state))
            \(Components.textField("preferredLanguage", "Preferred language", state: state, hint: "For example en, fr, pa"))
            <button type="submit">Register client</button>
            </form>
            </section>
            </div>
            """
    }
}
