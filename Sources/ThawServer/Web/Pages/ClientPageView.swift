import ThawCore
import ThawStorage

/// One client, for the organisation that holds the record: details, consents
/// (with revoke), the needs screening and identified needs, and every referral.
struct ClientPageView {
    var client: Client
    var consents: [Consent]
    var latestScreening: Screening?
    var needs: [IdentifiedNeed]
    var referrals: [ClientReferral]
    var organizations: [Organization]
    /// How the client agreed to be reminded of appointments; nil: not reminded.
    var reminders: ReminderChannel?
    var links: LinkedRecordsPanel
    var tasks: ClientTasksPanel
    var now: Timestamp
    var csrf: String?
    /// The form that failed, by its `action`, with what was typed.
    var failed: [String: FormState] = [:]

    func render() -> HTML {
        """
        <h1>\(client.givenName) \(client.familyName)</h1>
        <div class="columns">
        <div>
        \(referralsHTML)
        \(tasks.render())
        \(needsHTML)
        \(screeningHTML)
        </div>
        <div>
        \(detailsHTML)
        \(consentsHTML)
        \(links.render())
        </div>
        </div>
        """
    }

    private var detailsHTML: HTML {
        """
        <section class="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl class="facts">
        <dt>Date of birth</dt><dd>\(client.birthDate.map(Components.date) ?? "—")</dd>
        <dt>Phone</dt><dd>\(client.phone ?? "—")</dd>
        <dt>Email</dt><dd>\(client.email ?? "—")</dd>
        <dt>Address</dt><dd>\(client.address ?? "—")</dd>
        <dt>Language</dt><dd>\(Words.language(client.preferredLanguage))</dd>
        <dt>Registered</dt><dd>\(Components.time(client.createdAt))</dd>
        </dl>
        <form method="post" action="\(WebPath.client(client.id))" class="no-print" novalidate>
        \(Components.csrfField(csrf))\(Components.hidden("action", "reminders"))
        \(Components.checkboxes("remindByEmail", "Appointment reminders", state: failed["reminders"] ?? FormState(),
            options: [("yes", "The client agreed to an email the day before each appointment (the time and place only)")],
            checked: reminders == .email ? ["yes"] : []))
        <button type="submit" class="button-secondary">Save</button>
        </form>
        </section>
        """
    }

    func granteeName(_ grantee: ConsentGrantee) -> String {
        switch grantee {
        case .organization(let id): return organizations.first { $0.id == id }?.name ?? id.raw
        case .sector(let sector): return Words.everyOrganisation(in: sector)
        }
    }

    private func consentState(_ consent: Consent) -> (String, Bool) {
        if consent.revokedAt != nil { return (say("Revoked"), false) }
        if let until = consent.validUntil, until <= now { return (say("Expired"), false) }
        if consent.validFrom > now { return (say("Not yet valid"), false) }
        return (say("Active"), true)
    }

    private var consentsHTML: HTML {
        let rows = consents.reversed().map { consent -> HTML in
            let (label, active) = consentState(consent)
            let revoke: HTML =
                active
                ? """
                <form method="post" action="\(WebPath.client(client.id))" data-confirm="Revoke this consent? Partners lose access at once.">
                \(Components.csrfField(csrf))\(Components.hidden("action", "revoke-consent"))\(Components.hidden("consent", consent.id.raw))
                <button type="submit" class="button-danger">Revoke<span class="visually-hidden"> consent for \(granteeName(consent.grantee))</span></button>
                </form>
                """ : .empty
            return """
                <li class="consent">
                <strong>\(granteeName(consent.grantee))</strong> — <span class="badge">\(label)</span><br>
                <span>\(consent.scopes.sorted { $0.rawValue < $1.rawValue }.map { Words.scope($0) }.joined(separator: ", "))</span><br>
                <span class="muted">\(Words.purpose(consent.purpose)); from \(Components.time(consent.validFrom))\(consent.validUntil.map { " until \(Components.time($0))" } ?? HTML.empty)</span>
                \(revoke)
                </li>
                """
        }
        let state = failed["consent"] ?? FormState()
        let grantees: [(value: String, label: Phrase)] =
            [("", "Choose…")] + organizations.filter { $0.id != client.organizationId }.map { ("org:" + $0.id.raw, Phrase(said: $0.name)) }
            + Sector.allCases.map { ("sector:" + $0.rawValue, Phrase(said: Words.everyOrganisation(in: $0))) }
        return """
            <section class="panel" aria-labelledby="consent-heading">
            <h2 id="consent-heading">Consent to share</h2>
            \(consents.isEmpty ? HTML(stringLiteral: "<p>No consent recorded yet. Partners see nothing about this client.</p>") : "<ul class=\"plain\">\(rows)</ul>")
            <details\(HTML.attribute("open", if: state.hasErrors))>
            <summary>Record consent</summary>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.client(client.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "consent"))
            \(ConsentFields.render(state: state, grantees: grantees))
            <button type="submit">Record consent</button>
            </form>
            </details>
            </section>
            """
    }

    private var needsHTML: HTML {
        NeedStoriesPanel(clientId: client.id, needs: needs, referrals: referrals, csrf: csrf, failed: failed).render()
    }

    private var screeningHTML: HTML {
        let state = failed["screening"] ?? FormState()
        let questions = NeedCategory.allCases.map { need -> HTML in
            let name = "answer-" + need.rawValue
            let previous = latestScreening?.answers[need]?.rawValue
            let current = state.form.all(name).first ?? previous ?? ""
            let radios = ScreeningAnswer.allCases.map { answer -> HTML in
                let id = "f-\(name)-\(answer.rawValue)"
                return
                    "<span class=\"check\"><input type=\"radio\" id=\"\(id)\" name=\"\(name)\" value=\"\(answer)\"\(HTML.attribute("checked", if: current == answer.rawValue))> <label for=\"\(id)\">\(Words.answer(answer))</label></span>"
            }
            return "<fieldset class=\"field checks\"><legend>\(Self.question(need))</legend>\(radios)</fieldset>"
        }
        let last: HTML =
            latestScreening.map { "<p class=\"hint\">Last screened \(Components.date($0.screenedOn)); its answers are filled in.</p>" } ?? .empty
        return """
            <section class="panel" aria-labelledby="screening-heading">
            <h2 id="screening-heading">Social needs screening</h2>
            \(last)
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.client(client.id))" novalidate>
            \(Components.csrfField(csrf))\(Components.hidden("action", "screening"))
            \(questions)
            \(Components.textField("screenedOn", "Screened on", state: state, type: "date", hint: "Leave empty for today"))
            <button type="submit">Record screening</button>
            </form>
            </section>
            """
    }

    static func question(_ need: NeedCategory) -> String {
        switch need {
        case .housing: return say("Housing: are you worried about losing your housing, or without a steady place to live?")
        case .food: return say("Food: in the past year, did food run out before there was money to buy more?")
        case .transportation: return say("Transportation: has a lack of transport kept you from appointments, work or getting what you need?")
        case .utilities: return say("Utilities: has a utility company threatened to shut off your heat, electricity or water?")
        case .personalSafety: return say("Personal safety: does anyone hurt, threaten or frighten you?")
        case .employment: return say("Employment: would you like help finding or keeping work?")
        case .income: return say("Income: do you have trouble paying for basics like food, housing, medicine or heating?")
        case .childcare: return say("Childcare: does a lack of childcare make it hard to work or study?")
        case .socialIsolation: return say("Social isolation: how often do you feel lonely or isolated from others — often?")
        case .mentalHealth: return say("Mental health: would you like support with stress, anxiety or low mood?")
        }
    }

    private var referralsHTML: HTML {
        let rows = referrals.map { item -> HTML in
            let r = item.referral
            return """
                <tr><td data-label="Need"><a href="\(WebPath.referral(r.id))">\(Words.need(r.needCategory))</a></td>
                <td data-label="Partner">\(item.partnerName ?? say("Open to any eligible partner"))\(item.serviceName.map { "<br><span class=\"muted\">\($0)</span>" } ?? HTML.empty)</td>
                <td data-label="Status">\(Components.statusBadge(r.status))</td>
                <td data-label="Sent">\(Components.time(r.createdAt))</td></tr>
                """
        }
        let referralsTable: HTML =
            referrals.isEmpty
            ? HTML(stringLiteral: "<p>No referrals yet.</p>")
            : """
            <table class="stack"><caption class="visually-hidden">Referrals for this client</caption>
            <thead><tr><th scope="col">Need</th><th scope="col">Partner</th><th scope="col">Status</th><th scope="col">Sent</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            <section class="panel" aria-labelledby="referrals-heading">
            <h2 id="referrals-heading">Referrals</h2>
            \(referralsTable)
            </section>
            """
    }
}

/// The consent fields, shared by the client page and the new-referral page
/// (where consent can be recorded on the spot).
enum ConsentFields {
    static func render(state: FormState, grantees: [(value: String, label: Phrase)]?, idSuffix: String = "") -> HTML {
        let grantee: HTML =
            grantees.map {
                Components.select("grantee", "Share with", state: state, options: $0, required: true, idSuffix: idSuffix)
            } ?? .empty
        return """
            \(grantee)
            \(Components.checkboxes("scopes", "What may be shared", state: state,
                                options: ConsentScope.allCases.map { ($0.rawValue, Phrase(said: Words.scope($0))) },
                                checked: [ConsentScope.contact.rawValue, ConsentScope.needs.rawValue], idSuffix: idSuffix))
            \(Components.select("purpose", "Purpose", state: state, options: Components.options(ConsentPurpose.self, label: Words.purpose), idSuffix: idSuffix))
            \(Components.textField("validUntil", "Valid until", state: state, type: "date", hint: "Leave empty for no end date"))
            """
    }

    /// Reads the consent fields; the grantee comes from the form or is given.
    static func parse(_ form: WebForm, grantee fixed: ConsentGrantee?) throws -> NewConsent {
        let grantee: ConsentGrantee
        if let fixed {
            grantee = fixed
        } else {
            guard let raw = form["grantee"] else { throw ThawError.unprocessable("grantee", "required", "Choose who may see the information") }
            if raw.hasPrefix("org:") {
                grantee = .organization(ID(String(raw.dropFirst(4))))
            } else if raw.hasPrefix("sector:"), let sector = Sector(rawValue: String(raw.dropFirst(7))) {
                grantee = .sector(sector)
            } else {
                throw ThawError.invalid("grantee", "enum", "grantee must be an organisation or a sector")
            }
        }
        let scopes = try form.choices("scopes", ConsentScope.self)
        let purpose = try form.choice("purpose", ConsentPurpose.self) ?? .referral
        // A consent "until" a date lasts to the end of that day.
        let until = try form.date("validUntil").map(Viewer.calendar.endOfDay)
        return NewConsent(grantee: grantee, scopes: Set(scopes), purpose: purpose, validUntil: until)
    }
}
