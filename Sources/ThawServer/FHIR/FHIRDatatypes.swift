import ThawCore

// The FHIR R4 (4.0.1) data types Thaw's resources use, as Codable values: an absent
// element is nil and is left out of the JSON, as FHIR asks (no nulls, no empty arrays).

struct Coding: Codable, Sendable, Equatable {
    var system: String?
    var code: String?
    var display: String?

    init(system: String?, code: String?, display: String? = nil) { self.system = system; self.code = code; self.display = display }
}

struct CodeableConcept: Codable, Sendable, Equatable {
    var coding: [Coding]?
    var text: String?

    init(coding: [Coding]? = nil, text: String? = nil) { self.coding = coding; self.text = text }
    init(_ system: String, _ code: String, display: String? = nil) { self.init(coding: [Coding(system: system, code: code, display: display)]) }

    /// The first code given in `system`.
    func code(in system: String) -> String? { coding?.first { $0.system == system }?.code }
}

struct Reference: Codable, Sendable, Equatable {
    var reference: String?
    var display: String?

    init(reference: String?, display: String? = nil) { self.reference = reference; self.display = display }
    init<T>(_ type: FHIRResourceType, _ id: ID<T>, display: String? = nil) { self.init(reference: "\(type.rawValue)/\(id.fhir)", display: display) }

    /// The id of a relative reference to `type` (`Patient/123`), also when given as an absolute URL ending so.
    func id(of type: FHIRResourceType) -> String? {
        guard let reference else { return nil }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[parts.count - 2] == type.rawValue[...], !parts[parts.count - 1].isEmpty else { return nil }
        return String(parts[parts.count - 1])
    }
}

struct Meta: Codable, Sendable, Equatable {
    var versionId: String?
    var lastUpdated: String?
    var profile: [String]?
    /// Security labels: a de-identified export marks its resources pseudonymised and redacted.
    var security: [Coding]? = nil
}

struct Identifier: Codable, Sendable, Equatable {
    var system: String?
    var value: String?
}

struct HumanName: Codable, Sendable, Equatable {
    var use: String?
    var text: String?
    var family: String?
    var given: [String]?
    var period: Period?
}

struct ContactPoint: Codable, Sendable, Equatable {
    var system: String?  // phone | email | url …
    var value: String?
    var period: Period?
}

struct Period: Codable, Sendable, Equatable {
    var start: String?
    var end: String?

    /// Whether the period has not ended (FHIR: no end means still current).
    var isCurrent: Bool { end == nil }
}

struct Annotation: Codable, Sendable, Equatable {
    var text: String
}

struct Address: Codable, Sendable, Equatable {
    var text: String?
    var line: [String]?
    var city: String?
    var state: String?
    var postalCode: String?
    var country: String?
    var period: Period?

    init(text: String?) { self.text = text }

    /// The address on one line: its text, or its parts joined.
    var oneLine: String? {
        if let text, !text.isEmpty { return text }
        let parts = (line ?? []) + [city, [state, postalCode].compactMap { $0 }.joined(separator: " "), country].compactMap { $0 }
        let joined = parts.filter { !$0.isEmpty }.joined(separator: ", ")
        return joined.isEmpty ? nil : joined
    }
}

/// The resource types `/fhir` serves.
enum FHIRResourceType: String, Codable, Sendable, CaseIterable {
    case task = "Task", serviceRequest = "ServiceRequest", procedure = "Procedure"
    case patient = "Patient", consent = "Consent", condition = "Condition"
    case organization = "Organization", practitionerRole = "PractitionerRole", healthcareService = "HealthcareService", location = "Location"
    case subscription = "Subscription"
    case observation = "Observation", questionnaireResponse = "QuestionnaireResponse"
}

/// Thaw's ids (`ref_01a1…`) as FHIR ids, which allow only letters, digits, `-` and `.`:
/// the underscore after the prefix becomes a hyphen, and back.
extension ID {
    var fhir: String { raw.replacingOccurrences(of: "_", with: "-") }

    init(fhir: String) { self.init(fhir.replacingOccurrences(of: "-", with: "_")) }
}

extension CallerContext {
    /// A path parameter naming a resource by its FHIR id.
    func fhirId<T>(_ name: String, as: T.Type = T.self) throws -> ID<T> {
        let id: ID<T> = try self.id(name)
        return ID(fhir: id.raw)
    }
}
