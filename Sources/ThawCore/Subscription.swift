/// A system's standing request to hear of changes to the referrals its organisation is a
/// party to (FHIR's Subscription, as the R5 backport defines it): Thaw POSTs a notification
/// naming what changed to the endpoint, and the system reads it through the API as usual.
public struct Subscription: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Created; the handshake to the endpoint has not yet succeeded.
        case requested
        case active
        /// The handshake failed, or deliveries keep failing; see `error`.
        case error
        case off
    }

    /// What a subscription is about: today one topic, a referral's Task created or changed.
    public enum Topic: String, Codable, Sendable, CaseIterable {
        case taskChanged = "task-changed"
    }

    public var id: ID<Subscription>
    public var organizationId: ID<Organization>
    public var userId: ID<User>
    public var topic: Topic
    public var filter: SubscriptionFilter
    public var endpoint: String
    public var headers: [String]
    public var heartbeatSeconds: Int?
    public var status: Status
    public var error: String?
    public var eventsSinceStart: Int64
    public var createdAt: Timestamp
    public var endAt: Timestamp?

    public init(
        id: ID<Subscription>, organizationId: ID<Organization>, userId: ID<User>, topic: Topic, filter: SubscriptionFilter,
        endpoint: String, headers: [String], heartbeatSeconds: Int?, status: Status, error: String?, eventsSinceStart: Int64,
        createdAt: Timestamp, endAt: Timestamp?
    ) {
        self.id = id; self.organizationId = organizationId; self.userId = userId; self.topic = topic; self.filter = filter
        self.endpoint = endpoint; self.headers = headers; self.heartbeatSeconds = heartbeatSeconds; self.status = status
        self.error = error; self.eventsSinceStart = eventsSinceStart; self.createdAt = createdAt; self.endAt = endAt
    }
}

/// Which of its organisation's referrals a subscription hears of; every condition given must hold.
public struct SubscriptionFilter: Codable, Sendable, Equatable {
    public var owner: ID<Organization>?
    public var requester: ID<Organization>?
    public var statuses: Set<TaskStatus>

    public init(owner: ID<Organization>? = nil, requester: ID<Organization>? = nil, statuses: Set<TaskStatus> = []) {
        self.owner = owner; self.requester = requester; self.statuses = statuses
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(requester, forKey: .requester)
        try c.encodeSorted(statuses, forKey: .statuses)
    }

    public func matches(_ referral: Referral) -> Bool {
        (owner.map { $0 == referral.ownerOrganizationId } ?? true)
            && (requester.map { $0 == referral.requesterOrganizationId } ?? true)
            && (statuses.isEmpty || statuses.contains(referral.status))
    }
}

public struct NewSubscription: Sendable {
    public var topic: Subscription.Topic
    public var filter: SubscriptionFilter
    public var endpoint: String
    public var headers: [String]
    public var heartbeatSeconds: Int?
    public var endAt: Timestamp?

    public init(
        topic: Subscription.Topic, filter: SubscriptionFilter, endpoint: String, headers: [String] = [], heartbeatSeconds: Int? = nil,
        endAt: Timestamp? = nil
    ) {
        self.topic = topic; self.filter = filter; self.endpoint = endpoint; self.headers = headers
        self.heartbeatSeconds = heartbeatSeconds; self.endAt = endAt
    }

    /// Fields are named as the FHIR Subscription names them.
    public func validate(now: Timestamp) throws {
        var v = Validator()
        let lower = endpoint.lowercased()
        v.require(
            (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && endpoint.count <= 500 && !endpoint.contains(where: \.isWhitespace),
            "channel.endpoint", "url", "the endpoint is an http or https URL of at most 500 characters")
        v.require(headers.count <= 5, "channel.header", "max-items", "at most 5 headers")
        for (index, header) in headers.enumerated() {
            let parts = header.split(separator: ":", maxSplits: 1)
            v.require(
                parts.count == 2 && !parts[0].isEmpty && parts[0].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                    && header.count <= 1000 && !header.contains("\r") && !header.contains("\n"),
                "channel.header[\(index)]", "header", "a header is 'Name: value' on one line, at most 1000 characters")
        }
        if let heartbeatSeconds {
            v.require((1...86_400).contains(heartbeatSeconds), "heartbeatPeriod", "range", "the heartbeat period is 1 second to a day")
        }
        if let endAt { v.require(endAt > now, "end", "not-in-past", "end must be in the future") }
        try v.check()
    }
}

extension SubscriptionFilter {
    /// The filter as stored: `owner=…;requester=…;status=a,b`, each part only when set.
    public var stored: String {
        var parts: [String] = []
        if let owner { parts.append("owner=\(owner.raw)") }
        if let requester { parts.append("requester=\(requester.raw)") }
        if !statuses.isEmpty { parts.append("status=" + statuses.map(\.rawValue).sorted().joined(separator: ",")) }
        return parts.joined(separator: ";")
    }

    public init(stored: String) {
        self.init()
        for part in stored.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "owner": owner = ID(pair[1])
            case "requester": requester = ID(pair[1])
            case "status": statuses = Set(pair[1].split(separator: ",").compactMap { TaskStatus(rawValue: String($0)) })
            default: continue
            }
        }
    }
}
