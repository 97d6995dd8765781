import Hummingbird
import ThawCore
import ThawStorage

/// The notification list and email preferences; and the page an email's own link opens, which
/// changes that person's email preferences without signing in (the link's token is the key).
extension WebRoutes {
    func registerNotifications(on web: RouterGroup<ThawRequestContext>) {
        web.get(RouterPath(stringLiteral: WebPath.notifications), use: notificationsPage)
        web.post(RouterPath(stringLiteral: WebPath.notifications), use: notificationsAction)
        web.get("/notifications/:notificationId", use: openNotification)
        web.get("/email-preferences/:token", use: emailPreferencesPage)
        web.post("/email-preferences/:token", use: emailPreferencesAction)
        // RFC 8058's one-click unsubscribe: a mail client POSTs here for the List-Unsubscribe header.
        web.post("/email-preferences/:token/off", use: emailOneClickOff)
    }

    @Sendable func notificationsPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let scoped = try scoped(context)
        let view = NotificationsView(
            list: try await scoped.notifications(), preferences: try await scoped.notificationPreferences(),
            roles: scoped.actor.roles, emailEnabled: configuration.smtp != nil, csrf: context.csrfToken)
        return WebPage.response(layout("Notifications", context, section: "notifications", notice: notice(request)).render(view.render()))
    }

    @Sendable func notificationsAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let form = try await form(request, context)
        let scoped = try scoped(context)
        switch form["action"] {
        case "read-all":
            try await scoped.markNotificationsRead(nil)
            return WebPage.redirect(to: WebPath.notifications)
        case "preferences":
            for kind in NotificationKind.allCases {
                if let mode = try form.choice(kind.rawValue, EmailMode.self) { try await scoped.setNotificationPreference(kind, mode) }
            }
            return WebPage.redirect(to: WebPath.notifications, notice: "preferences-saved")
        default:
            throw ThawError.invalid("action", "enum", "action must be read-all or preferences")
        }
    }

    /// Opens what a notification is about, marking it read.
    @Sendable func openNotification(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let subject = try await scoped(context).openNotification(try context.id("notificationId"))
        return WebPage.redirect(to: WebPath.subject(subject))
    }

    @Sendable func emailPreferencesPage(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let token = try emailToken(context)
        let (user, preferences) = try await store.emailLinkPreferences(token)
        let view = """
            <h1>What Thaw emails \(user.displayName)</h1>
            \(EmailPreferencesForm(preferences: preferences, roles: user.roles, action: WebPath.emailPreferences(token), csrf: nil).render())
            """ as HTML
        return WebPage.response(layout("Email preferences", context, notice: notice(request)).render(view))
    }

    @Sendable func emailPreferencesAction(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let token = try emailToken(context)
        let form = WebForm(urlEncoded: String(buffer: try await JSONBody.collect(request, limit: 16 * 1024)))
        for kind in NotificationKind.allCases {
            if let mode = try form.choice(kind.rawValue, EmailMode.self) { try await store.setEmailLinkPreference(token, kind, mode) }
        }
        return WebPage.redirect(to: WebPath.emailPreferences(token), notice: "preferences-saved")
    }

    @Sendable func emailOneClickOff(_ request: Request, context: ThawRequestContext) async throws -> Response {
        try await store.setEmailLinkPreference(try emailToken(context), nil, .off)
        return WebPage.response(
            layout("Email preferences", context).render(
                "<h1>Thaw will not email you</h1><p>You can change this when signed in, under Notifications.</p>"))
    }

    private func emailToken(_ context: ThawRequestContext) throws -> String {
        guard let token = context.parameters.get("token"), token.hasPrefix("mail"), token.count <= 100,
            token.allSatisfy({ $0.isLetter || $0.isNumber })
        else { throw ThawError.notFound("this link is not one Thaw sent") }
        return token
    }
}
