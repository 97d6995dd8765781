import HTTPTypes
import Hummingbird
import ThawStorage
import ThawCore

/// Per-request state: the signed-in principal once the auth middleware has run.
public struct ThawRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, as `Authenticator` (API) or `WebSessionMiddleware` (pages) found it in this request.
    public var principal: Principal?
    public var sessionSecret: String?
    /// The session's CSRF token, which every web form must echo as `_csrf`.
    public var csrfToken: String?
    /// The signed-in person's unread notifications, for the navigation (pages only).
    public var unreadNotifications = 0
    /// Where the signed-in person may work today: their own organisation first, then those they
    /// are placed with (pages only; empty when there is no choice).
    public var workplaces: [Workplace] = []
    public var requestId: String = ""
    /// The peer's IP address (a proxy's, behind one; see `ServerConfiguration.trustedProxies`).
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Where the request came from, for sign-in throttling: the peer, or, when the peer
    /// is a proxy we trust, the last address it put in `X-Forwarded-For`.
    func clientAddress(_ request: Request, trustedProxies: Set<String>) -> String {
        let peer = peerAddress ?? "unknown"
        guard trustedProxies.contains(peer), let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last.map({ String($0).trimmingWhitespace }), !last.isEmpty, last.count <= 64
        else { return peer }
        return last
    }

    /// Bodies are read by `JSONBody`, which applies the configured limit; this
    /// is the ceiling for anything else.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: ThawResponseEncoder { ThawResponseEncoder() }

    /// The caller, or 401 for pages that need one.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw ThawError.unauthenticated("sign in or send a bearer token") }
        return principal
    }
}

/// An organisation a person may work for today.
public struct Workplace: Sendable, Equatable {
    public var id: ID<Organization>
    public var name: String
}
