import Foundation
import NIOSSL
import ThawCore

/// Where and how Thaw sends email, from one URL (`--smtp` / `THAW_SMTP_URL`):
///
///     smtp://user:password@mail.example.org:587?from=thaw@example.org
///
/// `smtp` upgrades the connection with STARTTLS and refuses to go on without it (add
/// `tls=none` only for a server on the same host); `smtps` speaks TLS from the start (port
/// 465). `ca=/path/ca.pem` trusts a private certificate authority besides the system's.
public struct SMTPConfiguration: Sendable {
    public enum Security: Sendable, Equatable { case startTLS, implicitTLS, none }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: String
    public var trustedCAFile: String?

    public init(url text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ThawError.invalid(
                "smtp", "url", "the SMTP address is a URL such as smtp://user:password@mail.example.org:587?from=thaw@example.org")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        switch (scheme, query["tls"]) {
        case ("smtp", "none"): security = .none
        case ("smtp", _): security = .startTLS
        case ("smtps", _): security = .implicitTLS
        default: throw ThawError.invalid("smtp", "scheme", "the SMTP address starts smtp:// or smtps://")
        }
        self.host = host
        port = url.port ?? (security == .implicitTLS ? 465 : 587)
        username = url.user?.removingPercentEncoding
        password = url.password?.removingPercentEncoding
        guard let from = query["from"], from.contains("@"), !from.contains(where: { "\r\n<> ".contains($0) }) else {
            throw ThawError.invalid("smtp", "from", "name the sender address: ?from=thaw@example.org")
        }
        self.from = from
        trustedCAFile = query["ca"]
    }

    /// The name the server's certificate must carry; nil for an address (TLS names no IP address in SNI).
    var serverName: String? {
        host.allSatisfy { $0.isNumber || $0 == "." } || host.contains(":") ? nil : host
    }

    /// The TLS context: the system's trust roots, and the private CA where one is named.
    func tlsContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustedCAFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(trustedCAFile))]
        }
        return try NIOSSLContext(configuration: tls)
    }
}
