import Foundation
import Logging
import ThawStorage
import ThawCore

/// Everything the server needs to know, passed in as a value; handlers never
/// read the environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Mark the session cookie `Secure` (on behind HTTPS; off for plain-HTTP local use).
    public var secureCookies: Bool
    /// bcrypt cost; 12 in production, lower only in tests.
    public var bcryptCost: UInt8
    public var sessionLifetimeSeconds: Int64
    public var maxBodyBytes: Int
    public var logLevel: Logger.Level
    /// How often the deadline sweep runs (missed commitments, overdue first responses, reminders).
    public var deadlineSweepSeconds: Int64 = 600
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client (for sign-in throttling).
    public var trustedProxies: Set<String> = []
    /// The address others reach this server at (`https://thaw.example.org`), for the links that leave
    /// it: subscription notifications name resources by it. Without it, `http://host:port`.
    public var publicURL: String?
    /// Where email goes out; nil: no email (people still see their notifications in the web app).
    public var smtp: SMTPConfiguration?
    /// The hour (UTC) of the daily digest email.
    public var digestHourUTC = 12
    /// When notifications are emailed: nil where there is no SMTP server.
    var emailSchedule: EmailSchedule? { smtp.map { _ in EmailSchedule(digestHourUTC: digestHourUTC) } }
    /// How often the Tasks of referrals sent to partners' own systems are read there for changes.
    public var partnerFollowSeconds: Int64 = 15
    /// Whether the HSDS directory API (`/hsds`) answers without signing in.
    public var publicDirectory = false
    /// Directory records unverified for longer than this are flagged in search and listed for their organisation.
    public var directoryStaleDays = Freshness.defaultPolicyDays
    /// The network's time zone (IANA), for opening hours given in local time ("open now").
    public var timeZone = TimeZone.current
    /// How often the outbox worker looks for events and deliveries due when it found none last time.
    public var outboxPollMilliseconds: Int64 = 200
    /// Connections: see `ConnectionLimits`.
    public var connections = ConnectionLimits()
    /// Draws every page in the pseudo-language (each catalogue string bracketed, ⟪like this⟫), for
    /// the test that walks every page looking for text the catalogues do not hold. Never in service.
    public var pseudoTranslation = false
    /// Counts below this are hidden in every evaluation report and export (an evaluator may
    /// ask for a higher threshold, never a lower one).
    public var evaluationThreshold = SmallCells.defaultThreshold
    /// What this network calls itself in the climate package it publishes (a region, a province).
    public var networkName = "Thaw network"
    /// Whether the published climate package names organisations and outside events. Off unless
    /// the network decided to allow it.
    public var climatePackageNames = false

    public init(
        host: String = "127.0.0.1", port: Int = 8080,
        secureCookies: Bool = false, bcryptCost: UInt8 = 12, sessionLifetimeSeconds: Int64 = 8 * 3600,
        maxBodyBytes: Int = 1 << 20, logLevel: Logger.Level = .info
    ) {
        self.host = host; self.port = port; self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost; self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.maxBodyBytes = maxBodyBytes; self.logLevel = logLevel
    }

    /// The base URL links leaving the server start with, without a trailing slash.
    public var baseURL: String {
        if let publicURL, !publicURL.isEmpty { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        return (secureCookies ? "https://" : "http://") + "\(host):\(port)"
    }
}

extension ServerConfiguration {
    /// Sets a directory search's moment, the network's UTC offset then, and the freshness policy.
    func directoryClock(_ query: inout DirectoryQuery, now: Timestamp) {
        query.now = now
        let date = Date(timeIntervalSince1970: Double(now.millis) / 1000)
        query.localOffsetHours = Double(timeZone.secondsFromGMT(for: date)) / 3600
        query.staleAfterDays = directoryStaleDays
    }
}
