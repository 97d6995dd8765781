import Foundation
import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// Open Referral HSDS 3.0's API at `/hsds`, read-only: services, organisations, services at
/// locations, taxonomies and terms, each listed in HSDS's `Page` envelope and read whole by id.
/// Open to anyone with `--public-directory`; otherwise to anyone signed in. A query parameter the
/// API does not know, or a malformed one, is refused with 400 naming it.
struct HSDSRoutes {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on group: RouterGroup<ThawRequestContext>) {
        group.get("") { request, context in try reply(request, context, allowed: []) { _ in about(request) } }
        for (path, entity) in [
            ("services", "service"), ("organizations", "organization"), ("service_at_locations", "service_at_location"),
            ("taxonomies", "taxonomy"), ("taxonomy_terms", "taxonomy_term")
        ] {
            group.get(RouterPath(stringLiteral: path)) { request, context in try await list(request, context, entity) }
            group.get(RouterPath(stringLiteral: path + "/:id")) { request, context in try await one(request, context, entity) }
        }
    }

    /// The query parameters each list takes (HSDS 3.0's OpenAPI).
    static let listParameters: [String: Set<String>] = [
        "service": [
            "search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "minimal", "full"
        ],
        "organization": ["search", "full_service", "full", "page", "per_page", "format"],
        "service_at_location": [
            "search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after", "full", "page", "per_page", "format", "postcode",
            "proximity"
        ],
        "taxonomy": ["search", "page", "per_page", "format"],
        "taxonomy_term": ["search", "page", "per_page", "format", "taxonomy_id", "top_only", "parent_id"]
    ]

    private func about(_ request: Request) -> [String: Any] {
        [
            "version": "3.0", "profile": "https://docs.openreferral.org/en/v3.0/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
        ]
    }

    private func list(_ request: Request, _ context: ThawRequestContext, _ entity: String) async throws -> Response {
        let parameters = try HSDSParameters(request, allowed: Self.listParameters[entity] ?? [])
        try permit(context)
        var query = DirectoryListQuery()
        query.search = parameters["search"]
        query.taxonomyTermId = try parameters.uuid("taxonomy_term_id")
        query.taxonomyId = try parameters.uuid("taxonomy_id")
        query.organizationId = try parameters.uuid("organization_id")
        query.modifiedAfter = try parameters.instant("modified_after")
        query.page = try parameters.integer("page", in: 1...100_000) ?? 1
        query.perPage = try parameters.integer("per_page", in: 1...200) ?? 50
        query.postcode = parameters["postcode"]
        query.proximityMetres = try parameters.integer("proximity", in: 1...1_000_000).map(Double.init)
        let fullService = try parameters.boolean("full_service") ?? false
        let full = (try parameters.boolean("full") ?? false) || fullService
        var page = try await store.directoryPage(entity, query, full: full, leaving: entity == "organization" && !fullService ? ["service"] : [])
        if entity == "taxonomy_term" {
            page = try await termsNarrowed(page, parameters, query)
        }
        let writer = HSDSWriter(page.records)
        let minimal = try parameters.boolean("minimal") ?? false
        let contents: [[String: Any]] = page.ids.compactMap { id in
            guard let record = writer.record(entity, id) else { return nil }
            if minimal { return ["id": id, "last_modified": record["last_modified"] ?? ""].filter { !($0.value as String).isEmpty } }
            return full ? writer.full(record, leaving: entity == "organization" && !fullService ? ["service"] : []) : writer.list(record)
        }
        let pages = max(1, (page.total + query.perPage - 1) / query.perPage)
        return try Self.json([
            "total_items": page.total, "total_pages": pages, "page_number": query.page, "size": contents.count,
            "first_page": query.page == 1, "last_page": query.page >= pages, "empty": page.total == 0, "contents": contents
        ])
    }

    /// Terms of one taxonomy, under one parent, or at the top only.
    private func termsNarrowed(_ page: DirectoryPage, _ parameters: HSDSParameters, _ query: DirectoryListQuery) async throws -> DirectoryPage {
        let parent = try parameters.uuid("parent_id"), topOnly = try parameters.boolean("top_only") ?? false
        guard parent != nil || topOnly else { return page }
        var all = query
        all.page = 1
        all.perPage = 200
        var everything = try await store.directoryPage("taxonomy_term", all, full: false)
        let writer = HSDSWriter(everything.records)
        let kept = everything.ids.filter { id in
            let record = writer.record("taxonomy_term", id)
            if let parent { return record?["parent_id"] == parent }
            return record?["parent_id"] == nil
        }
        everything.total = kept.count
        everything.ids = Array(kept.dropFirst((query.page - 1) * query.perPage).prefix(query.perPage))
        return everything
    }

    private func one(_ request: Request, _ context: ThawRequestContext, _ entity: String) async throws -> Response {
        let parameters = try HSDSParameters(request, allowed: entity == "organization" ? ["full_service"] : [])
        try permit(context)
        guard let id = context.parameters.get("id"), HSDS.isUUID(id) else {
            throw ThawError.notFound("\(entity) \(context.parameters.get("id") ?? "")")
        }
        let fullService = try parameters.boolean("full_service") ?? false
        let leaving: Set<String> = entity == "organization" && !fullService ? ["service"] : []
        guard let records = try await store.directoryRecord(entity, id: id, leaving: leaving),
            let record = HSDSWriter(records).record(entity, id)
        else { throw ThawError.notFound("\(entity) \(id)") }
        return try Self.json(HSDSWriter(records).full(record, leaving: leaving))
    }

    private func permit(_ context: ThawRequestContext) throws {
        guard configuration.publicDirectory || context.principal != nil else {
            throw ThawError.unauthenticated("sign in or send a bearer token; this server's directory is not public")
        }
    }

    private func reply(_ request: Request, _ context: ThawRequestContext, allowed: Set<String>, _ body: (Request) -> [String: Any]) throws
        -> Response
    {
        _ = try HSDSParameters(request, allowed: allowed)
        try permit(context)
        return try Self.json(body(request))
    }

    static func json(_ value: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An HSDS request's query parameters: each known to the endpoint, each well formed.
struct HSDSParameters {
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: Set<String>) throws {
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            guard allowed.contains(name) else {
                throw ThawError.invalid(name, "supported-parameter", "\(name) is not a parameter of this HSDS endpoint")
            }
            guard values[name] == nil else { throw ThawError.invalid(name, "single", "give \(name) once") }
            values[name] = String(value)
        }
        if let format = values["format"], format != "json" { throw ThawError.invalid("format", "json", "this API answers in json only") }
    }

    subscript(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } }

    func uuid(_ name: String) throws -> String? {
        guard let value = self[name] else { return nil }
        guard HSDS.isUUID(value) else { throw ThawError.invalid(name, "uuid", "\(name) must be a UUID") }
        return value.lowercased()
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = self[name] else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw ThawError.invalid(name, "range", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let value = self[name] else { return nil }
        guard let flag = Bool(value) else { throw ThawError.invalid(name, "boolean", "\(name) must be true or false") }
        return flag
    }

    func instant(_ name: String) throws -> Timestamp? {
        guard let value = self[name] else { return nil }
        if value.count == 10, let day = CalendarDate(value) { return day.startOfDay }
        guard let instant = ISO8601.parse(value) else { throw ThawError.invalid(name, "date-time", "\(name) must be a date or a date-time") }
        return instant
    }
}
