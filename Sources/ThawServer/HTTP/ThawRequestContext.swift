import HTTPTypes
import Hummingbird
import ThawStorage
import ThawCore

/// Per-request state: the signed-in principal once the auth middleware has run.
public struct ThawRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var sessionSecret: String?
    /// The session's CSRF token, which every web form must echo as `_csrf`.
    public var csrfToken: String?
    public var requestID: String = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by `JSONBody`, which applies the configured limit; this
    /// is the ceiling for anything else.
    public var maxUploadSize: Int { 1 << 20 }

    /// The principal, or 401 for routes that need one.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw ThawError.unauthenticated("sign in or send a bearer token") }
        return principal
    }
}
