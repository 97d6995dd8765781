import Foundation
import ThawCore
import ThawStorage

/// What Thaw POSTs to a subscription's endpoint (the backport's R4 notification): a `history`
/// Bundle whose first entry is the subscription's status as `Parameters`, then, for an event,
/// the changed Task by id only. No resource content travels: the receiver reads the Task
/// through the API, where its token's organisation and the client's consent decide what it sees.
struct SubscriptionNotification: Encodable, Sendable {
    enum Kind: String { case handshake, heartbeat, eventNotification = "event-notification", queryStatus = "query-status" }

    var resourceType = "Bundle"
    var id = UUID().uuidString.lowercased()
    var meta = Meta(
        versionId: nil, lastUpdated: nil,
        profile: [
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4"
        ])
    var type: String
    var timestamp: String
    var entry: [Entry]

    struct Entry: Encodable, Sendable {
        var fullUrl: String
        var resource: SubscriptionStatus?
        var request: Request?
        var response: Response?
        var search: Search?
    }
    struct Request: Encodable, Sendable { var method: String; var url: String }
    struct Response: Encodable, Sendable { var status: String }
    struct Search: Encodable, Sendable { var mode: String }

    /// A notification of `kind`; `event` with its number for an event notification.
    init(_ kind: Kind, subscription: Subscription, event: (number: Int64, event: OutboxEvent)?, base: String, now: Timestamp) {
        let status = SubscriptionStatus(kind, subscription: subscription, event: event, base: base)
        let statusURL = "\(base)/Subscription/\(subscription.id.fhir)/$status"
        type = "history"
        timestamp = now.description
        entry = [
            Entry(
                fullUrl: "urn:uuid:\(status.id)", resource: status, request: Request(method: "GET", url: statusURL), response: Response(status: "200")
            )
        ]
        if let (_, event) = event, event.subjectType == "referral" {
            let task = "Task/\(ID<Referral>(event.subjectId).fhir)"
            entry.append(
                Entry(fullUrl: "\(base)/\(task)", resource: nil, request: Request(method: "PUT", url: task), response: Response(status: "200")))
        }
    }

    /// `$status`'s answer: a searchset holding the status alone.
    static func statusBundle(_ subscription: Subscription, base: String, now: Timestamp) -> SubscriptionNotification {
        var bundle = SubscriptionNotification(.queryStatus, subscription: subscription, event: nil, base: base, now: now)
        bundle.type = "searchset"
        bundle.meta = Meta(versionId: nil, lastUpdated: nil, profile: nil)
        bundle.entry = bundle.entry.map { Entry(fullUrl: $0.fullUrl, resource: $0.resource, search: Search(mode: "match")) }
        return bundle
    }
}

/// The backport's SubscriptionStatus, in R4 a `Parameters` resource.
struct SubscriptionStatus: Encodable, Sendable {
    var resourceType = "Parameters"
    var id = UUID().uuidString.lowercased()
    var meta = Meta(
        versionId: nil, lastUpdated: nil,
        profile: [
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"
        ])
    var parameter: [Parameter]

    struct Parameter: Encodable, Sendable {
        var name: String
        var valueReference: Reference?
        var valueCanonical: String?
        var valueCode: String?
        var valueString: String?
        var valueInstant: String?
        var valueCodeableConcept: CodeableConcept?
        var part: [Parameter]?
    }

    init(_ kind: SubscriptionNotification.Kind, subscription: Subscription, event: (number: Int64, event: OutboxEvent)?, base: String) {
        parameter = [
            Parameter(name: "subscription", valueReference: Reference(reference: "\(base)/Subscription/\(subscription.id.fhir)")),
            Parameter(name: "topic", valueCanonical: subscription.topic.canonical),
            Parameter(name: "status", valueCode: subscription.status.rawValue),
            Parameter(name: "type", valueCode: kind.rawValue),
            Parameter(name: "events-since-subscription-start", valueString: String(event?.number ?? subscription.eventsSinceStart))
        ]
        if let (number, event) = event, event.subjectType == "referral" {
            parameter.append(
                Parameter(
                    name: "notification-event",
                    part: [
                        Parameter(name: "event-number", valueString: String(number)),
                        Parameter(name: "timestamp", valueInstant: event.createdAt.description),
                        Parameter(name: "focus", valueReference: Reference(reference: "\(base)/Task/\(ID<Referral>(event.subjectId).fhir)"))
                    ]))
        }
        if let error = subscription.error {
            parameter.append(Parameter(name: "error", valueCodeableConcept: CodeableConcept(text: error)))
        }
    }
}
