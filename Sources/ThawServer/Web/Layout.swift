import ThawCore
import ThawStorage

/// What every page shares: the document shell, the header with the main
/// navigation for this user's roles, the skip link, and the footer.
struct Layout {
    /// Who sees the Administration pages: organisation and network administrators.
    static let administrationRoles: Set<Role> = [.administrator, .networkAdministrator]

    var title: Phrase
    var principal: Principal?
    var csrf: String?
    /// Which navigation entry is the current page.
    var section: String = ""
    /// Pages that follow the other side's changes live (server-sent events).
    var live: Bool = false
    var notice: Notice?
    /// On a referral page, live updates refresh only for this referral.
    var liveReferral: ID<Referral>?
    /// Shown beside Notifications in the navigation.
    var unread = 0
    /// Where the person may work today, when they are placed somewhere: a choice in the header.
    var workplaces: [Workplace] = []

    struct Notice {
        enum Kind: String { case info, success, warning, error }
        var kind: Kind
        var text: Phrase
    }

    func render(_ main: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="\(Viewer.language.htmlCode)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.text) · Thaw</title>
        <link rel="stylesheet" href="\(WebPath.css)">
        <script src="\(WebPath.script)" defer></script>
        </head>
        <body\(live ? HTML(raw: " data-live=\"\(WebPath.events)\"") : .empty)\(liveReferral.map { " data-referral=\"\($0)\"" } ?? HTML.empty)>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
        <a class="brand" href="\(WebPath.home)"><span aria-hidden="true">❄︎</span> Thaw</a>
        \(navigation)
        \(account)
        </header>
        <main id="main" tabindex="-1">
        \(noticeHTML)
        \(main)
        </main>
        <footer class="site-footer"><p>Thaw — closed-loop referrals between primary care, health and social partners.</p></footer>
        </body>
        </html>
        """
    }

    private var noticeHTML: HTML {
        guard let notice else { return .empty }
        let role = notice.kind == .error || notice.kind == .warning ? "alert" : "status"
        return
            "<div class=\"notice notice-\(notice.kind)\" role=\"\(role)\"><strong>\(Self.noticeLabel(notice.kind)):</strong> \(notice.text.text)</div>"
    }

    static func noticeLabel(_ kind: Notice.Kind) -> String {
        switch kind {
        case .info: return say("Note")
        case .success: return say("Done")
        case .warning: return say("Warning")
        case .error: return say("Problem")
        }
    }

    private var navigation: HTML {
        guard let principal else { return .empty }
        let actor = principal.actor
        var links: [(String, String, String)] = []
        if actor.hasAny(AccessPolicy.referringRoles) {
            links.append(("caseload", WebPath.caseload, "Caseload"))
            links.append(("clients", WebPath.clients, "Clients"))
        }
        if actor.hasAny(AccessPolicy.receivingRoles) { links.append(("inbox", WebPath.inbox, "Inbox")) }
        if actor.hasAny(AccessPolicy.directoryRoles) { links.append(("our-services", WebPath.ourServices, "Our services")) }
        if actor.roles != [.evaluator] { links.append(("partnership", WebPath.partnership, "Partnership")) }
        if actor.hasAny([.partnershipLead, .administrator, .networkAdministrator]) { links.append(("climate", WebPath.climate, "Climate")) }
        if actor.hasAny(ScopedStore.evaluationRoles) { links.append(("evaluation", WebPath.evaluation, "Evaluation")) }
        if actor.hasAny(Self.administrationRoles) { links.append(("admin", WebPath.admin, "Administration")) }
        links.append(("tokens", WebPath.adminTokens, "API tokens"))
        let items = links.map { key, href, label -> HTML in
            key == section
                ? "<li><a href=\"\(href)\" aria-current=\"page\">\(say(label))</a></li>"
                : "<li><a href=\"\(href)\">\(say(label))</a></li>"
        }
        let count: HTML = unread > 0 ? " <span class=\"badge\">\(unread)<span class=\"visually-hidden\"> unread</span></span>" : .empty
        let notifications: HTML =
            section == "notifications"
            ? "<li><a href=\"\(WebPath.notifications)\" aria-current=\"page\">Notifications\(count)</a></li>"
            : "<li><a href=\"\(WebPath.notifications)\">Notifications\(count)</a></li>"
        return "<nav class=\"site-nav\" aria-label=\"Main\"><ul>\(items)\(notifications)</ul></nav>"
    }

    private var account: HTML {
        guard let principal else { return .empty }
        return """
            <div class="account">
            <span class="who">\(principal.user.displayName)<span class="org">\(principal.organization.name)</span></span>
            \(workplaceHTML(principal))
            \(languageSwitch)
            <form method="post" action="\(WebPath.signOut)">\(Components.csrfField(csrf))<button type="submit" class="button-quiet">Sign out</button></form>
            </div>
            """
    }

    /// The other language, one press away: the choice is kept for the person.
    private var languageSwitch: HTML {
        let other: Language = Viewer.language == .fr ? .en : .fr
        return """
            <form method="post" action="\(WebPath.language)" class="language-switch">\(Components.csrfField(csrf))
            \(Components.hidden("language", other.rawValue))\(Components.hidden("back", Viewer.path))
            <button type="submit" class="button-quiet" lang="\(other.rawValue)">\(verbatim(other.ownName))</button></form>
            """
    }

    /// For a person placed with another organisation: which one they work for now.
    private func workplaceHTML(_ principal: Principal) -> HTML {
        guard workplaces.count > 1 else { return .empty }
        let options = workplaces.map { place -> HTML in
            "<option value=\"\(place.id.raw)\"\(HTML.attribute("selected", if: place.id == principal.organization.id))>\(place.name)</option>"
        }
        return """
            <form method="post" action="\(WebPath.workingAs)" class="working-as">\(Components.csrfField(csrf))
            <label for="f-working-as">Working for</label> <select id="f-working-as" name="organizationId">\(options)</select>
            <button type="submit" class="button-quiet">Switch</button></form>
            """
    }
}
