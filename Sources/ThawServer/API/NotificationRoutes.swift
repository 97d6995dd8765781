import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// One kind of notification and how its owner wants it emailed.
struct NotificationPreference: ResponseCodable {
    var kind: NotificationKind
    var mode: EmailMode
    var title: String?
}

struct MarkRead: Codable { var ids: [ID<UserNotification>]? }

extension NotificationList: ResponseEncodable {}
extension DeadLetter: ResponseEncodable {}

/// A person's own notifications and email preferences: nobody reads or sets another's.
struct NotificationRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(
                .get, "notifications", id: "listNotifications", tag: "notifications",
                summary: "My notifications, newest first, and how many are unread",
                answer: .one(NotificationList.self)),
            use: list)
        routes.add(
            .init(
                .post, "notifications/read", id: "markNotificationsRead", tag: "notifications",
                summary: "Mark my notifications read (the ids given, or all)", body: MarkRead.self, success: 204),
            use: markRead)
        routes.add(
            .init(
                .get, "notification-preferences", id: "listNotificationPreferences", tag: "notifications",
                summary: "How each kind of notification is emailed to me", answer: .list(NotificationPreference.self)),
            use: preferences)
        routes.add(
            .init(
                .put, "notification-preferences", id: "setNotificationPreference", tag: "notifications",
                summary: "Email one kind of notification at once, in the daily digest, or not at all", body: NotificationPreference.self,
                answer: .list(NotificationPreference.self)),
            use: setPreference)
        routes.add(
            .init(
                .get, "dead-letters", id: "listDeadLetters", tag: "notifications",
                summary: "Notifications and emails Thaw gave up delivering for my organisation (administrators)", answer: .list(DeadLetter.self)),
            use: deadLetters)
        routes.add(
            .init(
                .post, "dead-letters/:letterId/retry", id: "retryDeadLetter", tag: "notifications",
                summary: "Send an undelivered notification or email again (administrators)", success: 204),
            use: retry)
    }

    @Sendable func deadLetters(_ request: Request, context: CallerContext) async throws -> ItemList<DeadLetter> {
        ItemList(try await store.scoped(to: context.actor).deadLetters())
    }

    @Sendable func retry(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        guard let id = context.parameters.get("letterId"), id.count <= 100 else { throw ThawError.notFound("undelivered notification") }
        try await store.scoped(to: context.actor).retryDeadLetter(id)
        return .noContent
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> NotificationList {
        let limit = try request.uri.queryParameters["limit"].map { raw -> Int in
            guard let value = Int(raw), (1...200).contains(value) else { throw ThawError.invalid("limit", "range", "limit is 1 to 200") }
            return value
        }
        return try await store.scoped(to: context.actor).notifications(limit: limit ?? 50)
    }

    @Sendable func markRead(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        let input = try await body(MarkRead.self, request)
        try await store.scoped(to: context.actor).markNotificationsRead(input.ids)
        return .noContent
    }

    @Sendable func preferences(_ request: Request, context: CallerContext) async throws -> ItemList<NotificationPreference> {
        ItemList(Self.listed(try await store.scoped(to: context.actor).notificationPreferences()))
    }

    @Sendable func setPreference(_ request: Request, context: CallerContext) async throws -> ItemList<NotificationPreference> {
        let input = try await body(NotificationPreference.self, request)
        let scoped = store.scoped(to: context.actor)
        try await scoped.setNotificationPreference(input.kind, input.mode)
        return ItemList(Self.listed(try await scoped.notificationPreferences()))
    }

    static func listed(_ preferences: [NotificationKind: EmailMode]) -> [NotificationPreference] {
        NotificationKind.allCases.map { NotificationPreference(kind: $0, mode: preferences[$0] ?? $0.defaultMode, title: $0.title) }
    }
}
