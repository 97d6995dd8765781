import ThawCore
import ThawStorage

/// The notification list, newest first, each linked to what happened; and the person's
/// choice, per kind, of how it is emailed.
struct NotificationsView {
    var list: NotificationList
    var preferences: [NotificationKind: EmailMode]
    var roles: Set<Role>
    var emailEnabled: Bool
    var csrf: String?

    func render() -> HTML {
        let items = list.items.map { notification -> HTML in
            let unread = notification.readAt == nil
            return """
                <li class="\(unread ? "notification unread" : "notification")">\(unread ? HTML(stringLiteral: "<span class=\"badge\">New</span> ") : .empty)<a href="\(WebPath.notification(notification.id))">\(notification.summary)</a>
                <span class="meta">\(Components.time(notification.createdAt))</span></li>
                """
        }
        let body: HTML =
            list.items.isEmpty
            ? HTML(stringLiteral: "<p>Nothing yet. You will see here what happens to the referrals you send and receive, and what comes due.</p>")
            : "<ul class=\"notifications\">\(items)</ul>"
        let markAll: HTML =
            list.unread > 0
            ? """
            <form method="post" action="\(WebPath.notifications)">\(Components.csrfField(csrf))\(Components.hidden("action", "read-all"))
            <button type="submit" class="button-secondary">Mark all read</button></form>
            """ : .empty
        return """
            <h1>Notifications</h1>
            <div class="columns">
            <section aria-labelledby="list-heading"><h2 id="list-heading">\(list.unread) unread</h2>\(markAll)\(body)</section>
            <section class="panel" aria-labelledby="email-heading"><h2 id="email-heading">Email</h2>
            \(emailEnabled ? .empty : HTML(stringLiteral: "<p class=\"hint\">This server sends no email yet; your choices apply once it does.</p>"))
            \(EmailPreferencesForm(preferences: preferences, roles: roles, action: WebPath.notifications, csrf: csrf).render())
            </section></div>
            """
    }
}

/// One choice per kind of notification the person's roles can bring them: at once, in the daily
/// digest, or not at all. No client data is ever emailed: what happened, between which
/// organisations, and a link.
struct EmailPreferencesForm {
    var preferences: [NotificationKind: EmailMode]
    var roles: Set<Role>
    var action: String
    var csrf: String?

    func render() -> HTML {
        let rows = NotificationKind.allCases.filter { $0.concerns(roles) }.map { kind -> HTML in
            let current = preferences[kind] ?? kind.defaultMode
            let options = EmailMode.allCases.map { mode -> HTML in
                """
                <label class="choice"><input type="radio" name="\(kind)" value="\(mode)"\(HTML.attribute("checked", if: mode == current))> \(mode.label)</label>
                """
            }
            return "<fieldset><legend>\(say(kind.title))</legend>\(options)</fieldset>"
        }
        return """
            <form method="post" action="\(action)">\(Components.csrfField(csrf))\(Components.hidden("action", "preferences"))
            \(rows)
            <p class="hint">Emails say what happened and link to Thaw; they never carry a client's details.</p>
            <button type="submit">Save</button></form>
            """
    }
}

extension EmailMode {
    var label: String {
        switch self {
        case .immediately: say("At once")
        case .digest: say("Daily digest")
        case .off: say("No email")
        }
    }
}
