import ThawCore

/// A resource Thaw writes: its type and id make its reference (`Task/ref-…`).
protocol FHIRResource: Encodable, Sendable {
    static var type: FHIRResourceType { get }
    var id: String { get }
}

extension FHIRResource {
    var reference: String { "\(Self.type.rawValue)/\(id)" }
}

/// A search's answer: the matches, then what `_include` brought in, and the link to the next page.
struct SearchSetBundle: Encodable, Sendable {
    var resourceType = "Bundle"
    var type = "searchset"
    var timestamp: String
    var total: Int?
    var link: [Link]
    var entry: [Entry]?

    struct Link: Encodable, Sendable { var relation: String; var url: String }
    struct Entry: Encodable, Sendable {
        var fullUrl: String
        var resource: any FHIRResource
        var search: Search

        private enum CodingKeys: String, CodingKey { case fullUrl, resource, search }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fullUrl, forKey: .fullUrl)
            try resource.encode(to: container.superEncoder(forKey: .resource))
            try container.encode(search, forKey: .search)
        }
    }
    struct Search: Encodable, Sendable { var mode: String }

    init(
        base: String, matches: [any FHIRResource], included: [any FHIRResource], selfURL: String, nextURL: String?, timestamp: Timestamp,
        total: Int? = nil
    ) {
        self.timestamp = timestamp.description
        self.total = total
        link = [Link(relation: "self", url: selfURL)] + (nextURL.map { [Link(relation: "next", url: $0)] } ?? [])
        // An included resource already among the matches (or included twice) is listed once.
        var listed = Set(matches.map(\.reference))
        let extra = included.filter { listed.insert($0.reference).inserted }
        let entries =
            matches.map { Entry(fullUrl: "\(base)/\($0.reference)", resource: $0, search: Search(mode: "match")) }
            + extra.map { Entry(fullUrl: "\(base)/\($0.reference)", resource: $0, search: Search(mode: "include")) }
        entry = entries.isEmpty ? nil : entries
    }
}
