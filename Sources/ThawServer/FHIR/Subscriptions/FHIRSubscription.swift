import ThawCore

/// FHIR R4's Subscription as the R5 backport profiles it: the topic in `criteria`, the filter
/// in its `backport-filter-criteria` extension, a `rest-hook` channel with `id-only` payloads.
struct FHIRSubscription: FHIRResource {
    static let type = FHIRResourceType.subscription
    var resourceType = "Subscription"
    var id: String
    var meta: Meta?
    var status: String
    var reason: String
    var criteria: String
    var criteriaElement: Element?
    var end: String?
    var error: String?
    var channel: Channel

    struct Channel: Codable, Sendable {
        var `extension`: [Extension]?
        var type: String
        var endpoint: String?
        var payload: String?
        var payloadElement: Element?
        var header: [String]?

        private enum CodingKeys: String, CodingKey {
            case `extension`, type, endpoint, payload, header
            case payloadElement = "_payload"
        }
    }

    /// The `_element` that carries a primitive's extensions.
    struct Element: Codable, Sendable { var `extension`: [Extension]? }

    struct Extension: Codable, Sendable {
        var url: String
        var valueString: String?
        var valueCode: String?
        var valueUnsignedInt: Int?
        var valuePositiveInt: Int?
    }

    private enum CodingKeys: String, CodingKey {
        case resourceType, id, meta, status, reason, criteria, end, error, channel
        case criteriaElement = "_criteria"
    }

    static let profile = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"
    static let filterCriteria = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria"
    static let payloadContent = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content"
    static let heartbeatPeriod = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period"

    init(_ subscription: Subscription) {
        id = subscription.id.fhir
        meta = Meta(versionId: nil, lastUpdated: nil, profile: [Self.profile])
        status = subscription.status.rawValue
        reason = "Changes to this organisation's referrals"
        criteria = subscription.topic.canonical
        let filter = subscription.filter.fhirCriteria
        criteriaElement = filter.isEmpty ? nil : Element(extension: [Extension(url: Self.filterCriteria, valueString: "Task?" + filter)])
        end = subscription.endAt?.description
        error = subscription.error
        channel = Channel(
            extension: subscription.heartbeatSeconds.map { [Extension(url: Self.heartbeatPeriod, valueUnsignedInt: $0)] }, type: "rest-hook",
            endpoint: subscription.endpoint, payload: "application/fhir+json",
            payloadElement: Element(extension: [Extension(url: Self.payloadContent, valueCode: "id-only")]),
            // A header's value is often a credential: shown by name only.
            header: subscription.headers.isEmpty
                ? nil : subscription.headers.map { ($0.split(separator: ":").first.map(String.init) ?? "") + ": ***" })
    }
}

extension Subscription.Topic {
    /// The topic's canonical URL, which a Subscription names in `criteria`.
    var canonical: String { FHIRSystems.thaw + "/SubscriptionTopic/" + rawValue }

    init?(canonical: String) {
        guard let topic = Self.allCases.first(where: { $0.canonical == canonical }) else { return nil }
        self = topic
    }
}

extension SubscriptionFilter {
    /// The filter as FHIR search parameters on Task (`owner=Organization/org-…&status=requested`).
    var fhirCriteria: String {
        var parts: [String] = []
        if let owner { parts.append("owner=Organization/\(owner.fhir)") }
        if let requester { parts.append("requester=Organization/\(requester.fhir)") }
        if !statuses.isEmpty { parts.append("status=" + statuses.map(\.rawValue).sorted().joined(separator: ",")) }
        return parts.joined(separator: "&")
    }

    /// Reads `Task?owner=…&requester=…&status=…`; anything else is refused, naming it.
    init(fhirCriteria text: String) throws {
        self.init()
        guard text.hasPrefix("Task?") || text == "Task" else {
            throw ThawError.unprocessable("Subscription.criteria", "task-filter", "the filter is a search on Task (Task?owner=…)")
        }
        for pair in text.dropFirst("Task?".count).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            guard parts.count == 2 else {
                throw ThawError.unprocessable("Subscription.criteria", "task-filter", "\(pair) is not name=value")
            }
            switch parts[0] {
            case "owner", "requester":
                guard let id = Reference(reference: parts[1]).id(of: .organization) else {
                    throw ThawError.unprocessable("Subscription.criteria", "reference", "\(parts[0]) names an Organization/id")
                }
                if parts[0] == "owner" { owner = ID(fhir: id) } else { requester = ID(fhir: id) }
            case "status":
                statuses = Set(
                    try parts[1].split(separator: ",").map { raw in
                        guard let status = TaskStatus(rawValue: String(raw)) else {
                            throw ThawError.unprocessable("Subscription.criteria", "task-status", "\(raw) is not a Task status")
                        }
                        return status
                    })
            default:
                throw ThawError.unprocessable(
                    "Subscription.criteria", "supported-filter", "Thaw filters Task changes by owner, requester and status, not \(parts[0])")
            }
        }
    }
}
