import Hummingbird
import NIOCore
import ServiceLifecycle
import ThawCore
import ThawStorage

/// Server-sent events for live pages: `event: referral` with the referral's
/// id whenever a referral this user's organisation is party to changes (or an
/// open referral appears). Ids only; the page fetches itself again, through
/// the same authorised and audited path as any page view. `event: refresh` asks
/// every page to fetch itself again: changes may have passed unheard.
extension WebRoutes {
    /// Each stream ends after this long; the browser's EventSource reconnects by itself.
    static let eventStreamLifetime: Duration = .seconds(600)
    static let heartbeat: Duration = .seconds(15)

    @Sendable func events(_ request: Request, context: ThawRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let organization = principal.organization.id, user = principal.user.id
        guard let secret = context.sessionSecret else { throw ThawError.unauthenticated("live updates need a signed-in session") }
        let digest = SecretDigest.hex(secret)
        let store = self.store
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let (lines, output) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(64))
                let (events, unsubscribe) = store.changes.subscribe()
                let forward = Task {
                    for await event in events {
                        // Signed out or deactivated: the stream ends at once.
                        if event.ends(sessionDigest: digest, user: user) { output.finish(); return }
                        if let change = event.referralChange, change.concerns(organization) {
                            output.yield("event: referral\ndata: {\"referral\":\"\(change.referralId.raw)\"}\n\n")
                        } else if event == .catchUp {
                            output.yield("event: refresh\ndata: {}\n\n")
                        }
                    }
                }
                // The session is checked again now, after subscribing: an ending between the request's
                // sign-in and the subscription sends no event this stream could see. Then a comment now and
                // then finds closed connections and keeps proxies from timing out, each time after checking
                // the session again, for an ending this process did not see (expiry, another process).
                let ticks = Task {
                    var elapsed: Duration = .zero
                    while elapsed < Self.eventStreamLifetime, (try? await store.principal(sessionSecret: secret)) != nil {
                        if elapsed > .zero { output.yield(": keep-alive\n\n") }
                        try await Task.sleep(for: Self.heartbeat)
                        elapsed += Self.heartbeat
                    }
                    output.finish()
                }
                defer { forward.cancel(); ticks.cancel(); unsubscribe(); output.finish() }
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                // On SIGTERM the stream ends, so a graceful shutdown never waits on an open page.
                try await withGracefulShutdownHandler {
                    for await line in lines {
                        try await writer.write(ByteBuffer(string: line))
                    }
                } onGracefulShutdown: {
                    output.finish()
                }
                try await writer.finish(nil)
            })
    }
}
