import HTTPTypes
import Hummingbird

/// One operation of the API, declared where its route is registered: the route,
/// what it is for, and the Swift types of its body and answer, from which the
/// OpenAPI document derives their schemas (`SchemaRegistry`).
struct APIOperation: Sendable {
    /// What an operation answers with on success.
    enum Answer: Sendable {
        /// Nothing (204), or nothing worth describing.
        case none
        case one(any (Decodable & SendableMetatype).Type)
        /// `{"items": [...], "nextCursor": "..."}`.
        case list(any (Decodable & SendableMetatype).Type)
    }

    var method: HTTPRequest.Method
    /// As the router spells it: `committees/:committeeId`.
    var path: String
    var id: String
    var tag: String
    var summary: String
    var body: (any (Decodable & SendableMetatype).Type)?
    var query: [String]
    var success: Int
    var answer: Answer
    var ifMatch: Bool
    var idempotent: Bool
    /// The operation can meet a conflicting state (already voted, closed, ...): 409.
    var conflicts: Bool
    /// The operation is throttled (sign-in): 429.
    var throttled: Bool

    init(
        _ method: HTTPRequest.Method, _ path: String, id: String, tag: String, summary: String,
        body: (any (Decodable & SendableMetatype).Type)? = nil, query: [String] = [], success: Int = 200, answer: Answer = .none,
        ifMatch: Bool = false, idempotent: Bool = false, conflicts: Bool = false, throttled: Bool = false
    ) {
        self.method = method; self.path = path; self.id = id; self.tag = tag; self.summary = summary
        self.body = body; self.query = query; self.success = success; self.answer = answer
        self.ifMatch = ifMatch; self.idempotent = idempotent; self.conflicts = conflicts; self.throttled = throttled
    }

    /// The statuses of its problem answers.
    var errors: [Int] {
        var errors = [400, 401, 403, 404, 405, 422]
        if ifMatch { errors += [409, 412, 428] } else if conflicts { errors.append(409) }
        if body != nil { errors.append(413) }
        if throttled { errors.append(429) }
        return errors
    }
}

/// The operations registered so far, for the OpenAPI document. Filled while the
/// router is built, read once at its end.
final class APIDescription {
    private(set) var operations: [APIOperation] = []

    func add(_ operation: APIOperation) { operations.append(operation) }
}

/// A router group whose routes are each registered with their `APIOperation`.
struct DescribedRoutes<Context: RequestContext> {
    let group: RouterGroup<Context>
    let description: APIDescription

    func add<Output: ResponseGenerator>(_ operation: APIOperation, use handler: @escaping @Sendable (Request, Context) async throws -> Output) {
        group.on(RouterPath(operation.path), method: operation.method, use: handler)
        description.add(operation)
    }
}
