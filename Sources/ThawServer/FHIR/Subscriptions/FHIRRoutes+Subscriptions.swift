import Hummingbird
import ThawCore
import ThawStorage

/// A Subscription as a client sends it: only what Thaw reads of it.
struct IncomingSubscription: Decodable {
    var resourceType: String
    var criteria: String
    var criteriaElement: FHIRSubscription.Element?
    var end: String?
    var channel: FHIRSubscription.Channel

    private enum CodingKeys: String, CodingKey {
        case resourceType, criteria, end, channel
        case criteriaElement = "_criteria"
    }

    func extensionValue(_ url: String, in element: FHIRSubscription.Element?) -> FHIRSubscription.Extension? {
        element?.extension?.first { $0.url == url }
    }

    /// The subscription Thaw makes of it; what Thaw does not support is refused, naming the element.
    func subscription() throws -> NewSubscription {
        guard resourceType == "Subscription" else { throw ThawError.invalid("resourceType", "Subscription", "the body must be a Subscription") }
        guard let topic = Subscription.Topic(canonical: criteria) else {
            throw ThawError.unprocessable(
                "Subscription.criteria", "topic", "the topic is \(Subscription.Topic.allCases.map(\.canonical).joined(separator: " or "))")
        }
        guard channel.type == "rest-hook" else {
            throw ThawError.unprocessable("Subscription.channel.type", "rest-hook", "Thaw notifies by rest-hook")
        }
        guard let endpoint = channel.endpoint else {
            throw ThawError.unprocessable("Subscription.channel.endpoint", "required", "a rest-hook needs its endpoint")
        }
        if let content = extensionValue(FHIRSubscription.payloadContent, in: channel.payloadElement)?.valueCode, content != "id-only" {
            throw ThawError.unprocessable(
                "Subscription.channel.payload", "id-only", "Thaw sends id-only notifications; the receiver reads the Task through the API")
        }
        let filter =
            try extensionValue(FHIRSubscription.filterCriteria, in: criteriaElement)?.valueString
            .map { try SubscriptionFilter(fhirCriteria: $0) } ?? SubscriptionFilter()
        let heartbeat = channel.extension?.first { $0.url == FHIRSubscription.heartbeatPeriod }
        var endAt: Timestamp?
        if let end {
            guard let instant = ISO8601.parse(end) else {
                throw ThawError.invalid("Subscription.end", "instant", "end is an instant with a time zone")
            }
            endAt = instant
        }
        return NewSubscription(
            topic: topic, filter: filter, endpoint: endpoint, headers: channel.header ?? [],
            heartbeatSeconds: heartbeat?.valueUnsignedInt ?? heartbeat?.valuePositiveInt, endAt: endAt)
    }
}

extension FHIRRoutes {
    /// `POST /fhir/Subscription`: created `requested`; the outbox worker's handshake makes it `active`.
    @Sendable func createSubscription(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRSubscription> {
        try permit(context, .subscription, .create)
        let sent = try await JSONBody.decode(
            IncomingSubscription.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        let made = try await scoped(context).createSubscription(try sent.subscription())
        return FHIRResponse(FHIRSubscription(made), status: .created, headers: [.location: "\(base(request))/Subscription/\(made.id.fhir)"])
    }

    @Sendable func readSubscription(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRSubscription> {
        try permit(context, .subscription, .read)
        return FHIRResponse(FHIRSubscription(try await scoped(context).subscription(try context.fhirId("id"))))
    }

    @Sendable func searchSubscriptions(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SearchSetBundle> {
        try permit(context, .subscription, .search)
        let parameters = try FHIRSearchParameters(request, allowed: ["_id"])
        let ids = Set(parameters.list("_id"))
        let mine = try await scoped(context).subscriptions().map(FHIRSubscription.init).filter { ids.isEmpty || ids.contains($0.id) }
        return try onePage(request, mine, parameters)
    }

    @Sendable func deleteSubscription(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        try permit(context, .subscription, .delete)
        try await scoped(context).endSubscription(try context.fhirId("id"))
        return .noContent
    }

    /// `GET /fhir/Subscription/:id/$status`: the backport's status operation.
    @Sendable func subscriptionStatus(_ request: Request, context: CallerContext) async throws -> FHIRResponse<SubscriptionNotification> {
        try permit(context, .subscription, .read)
        let subscription = try await scoped(context).subscription(try context.fhirId("id"))
        return FHIRResponse(SubscriptionNotification.statusBundle(subscription, base: base(request), now: store.clock.now()))
    }
}
