import Hummingbird
import ThawCore

/// Any FHIR resource Thaw writes, for a bundle's entries.
enum AnyResource: Encodable, Sendable {
    case task(FHIRTask), serviceRequest(FHIRServiceRequest), procedure(FHIRProcedure)
    case patient(FHIRPatient), organization(FHIROrganization), healthcareService(FHIRHealthcareService), condition(FHIRCondition)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .task(let r): try r.encode(to: encoder)
        case .serviceRequest(let r): try r.encode(to: encoder)
        case .procedure(let r): try r.encode(to: encoder)
        case .patient(let r): try r.encode(to: encoder)
        case .organization(let r): try r.encode(to: encoder)
        case .healthcareService(let r): try r.encode(to: encoder)
        case .condition(let r): try r.encode(to: encoder)
        }
    }

    var reference: String {
        switch self {
        case .task(let r): "Task/\(r.id ?? "")"
        case .serviceRequest(let r): "ServiceRequest/\(r.id ?? "")"
        case .procedure(let r): "Procedure/\(r.id ?? "")"
        case .patient(let r): "Patient/\(r.id)"
        case .organization(let r): "Organization/\(r.id)"
        case .healthcareService(let r): "HealthcareService/\(r.id)"
        case .condition(let r): "Condition/\(r.id)"
        }
    }
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
        var resource: AnyResource
        var search: Search
    }
    struct Search: Encodable, Sendable { var mode: String }

    init(base: String, matches: [AnyResource], included: [AnyResource], selfURL: String, nextURL: String?, timestamp: Timestamp, total: Int? = nil) {
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
