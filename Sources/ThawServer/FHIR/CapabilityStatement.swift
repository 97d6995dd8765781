/// What `/fhir` implements, exactly: `GET /fhir/metadata`.
struct CapabilityStatement: Encodable, Sendable {
    var resourceType = "CapabilityStatement"
    var status = "active"
    var date: String
    var kind = "instance"
    var software = Software(name: "Thaw")
    var implementation: Implementation
    var fhirVersion = "4.0.1"
    var format = ["json"]
    var instantiates = [
        "http://hl7.org/fhir/us/sdoh-clinicalcare/CapabilityStatement/SDOHCC-ReferralRecipient",
        "http://hl7.org/fhir/us/sdoh-clinicalcare/CapabilityStatement/SDOHCC-ReferralSource"
    ]
    var rest: [Rest]

    struct Software: Encodable, Sendable { var name: String }
    struct Implementation: Encodable, Sendable { var description: String; var url: String }
    struct Rest: Encodable, Sendable {
        var mode = "server"
        var security: Security
        var resource: [Resource]
        /// A referral source sends a referral whole as a transaction Bundle (`POST /fhir`).
        var interaction = [Interaction(code: "transaction")]
    }
    struct Security: Encodable, Sendable {
        var `extension`: [OAuthURIs]?
        var service: [CodeableConcept]?
        var description: String
    }
    /// Where a SMART client gets its token (the SMART App Launch IG's oauth-uris extension).
    struct OAuthURIs: Encodable, Sendable {
        var url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
        var `extension`: [URI]
        struct URI: Encodable, Sendable { var url: String; var valueUri: String }
    }
    struct Resource: Encodable, Sendable {
        var type: String
        var profile: String?
        var interaction: [Interaction]
        var versioning: String?
        var readHistory = false
        var conditionalUpdate: Bool?
        var searchInclude: [String]?
        var searchParam: [SearchParam]?
    }
    struct Interaction: Encodable, Sendable { var code: String }
    struct SearchParam: Encodable, Sendable { var name: String; var type: String }

    private static func resource(
        _ type: FHIRResourceType, profile: String? = nil, update: Bool = false, create: Bool = false, delete: Bool = false,
        history: Bool = false, search: [(String, String)] = [], includes: Set<String> = []
    ) -> Resource {
        Resource(
            type: type.rawValue, profile: profile,
            interaction: (["read"] + (update ? ["update", "patch"] : []) + (history ? ["vread", "history-instance"] : [])
                + (create ? ["create"] : []) + (delete ? ["delete"] : []) + (search.isEmpty ? [] : ["search-type"])).map(Interaction.init(code:)),
            versioning: update ? "versioned-update" : nil, readHistory: history, conditionalUpdate: update ? false : nil,
            searchInclude: includes.isEmpty ? nil : includes.sorted(),
            searchParam: search.isEmpty ? nil : search.map { SearchParam(name: $0.0, type: $0.1) })
    }

    static func thaw(base: String) -> CapabilityStatement {
        let referral: [(String, String)] = [("_id", "token"), ("patient", "reference"), ("status", "token"), ("_lastUpdated", "date")]
        return CapabilityStatement(
            date: "2026-12-06",
            implementation: Implementation(description: "Thaw: closed-loop referrals between health and social partners", url: base),
            rest: [
                Rest(
                    security: Security(
                        extension: [OAuthURIs(extension: [.init(url: "token", valueUri: base + "/auth/token")])],
                        service: [CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
                        description:
                            "Bearer tokens: a person's API token from Thaw, or a system's SMART Backend Services token (client credentials with a signed JWT; see /fhir/.well-known/smart-configuration). Every read and write is scoped to the token's organisation, role, scopes and the client's consent"
                    ),
                    resource: [
                        resource(
                            .task, profile: FHIRSystems.taskProfile, update: true, history: true,
                            search: referral + [("code", "token"), ("requester", "reference"), ("owner", "reference"), ("focus", "reference")],
                            includes: FHIRRoutes.taskIncludes),
                        resource(
                            .serviceRequest, profile: FHIRSystems.serviceRequestProfile,
                            search: referral + [("category", "token"), ("intent", "token")],
                            includes: FHIRRoutes.serviceRequestIncludes),
                        resource(.procedure, profile: FHIRSystems.procedureProfile, create: true, search: [("patient", "reference")]),
                        resource(.patient, create: true),
                        resource(
                            .condition, profile: FHIRSystems.conditionProfile, create: true,
                            search: [("patient", "reference"), ("category", "token"), ("clinical-status", "token")]),
                        resource(
                            .consent, profile: FHIRSystems.consentProfile, create: true, search: [("patient", "reference"), ("status", "token")]),
                        resource(.questionnaireResponse, search: [("patient", "reference")]),
                        resource(.observation, search: [("patient", "reference")]),
                        resource(.practitionerRole, search: [("organization", "reference"), ("role", "token"), ("active", "token")]),
                        resource(.organization, search: [("_id", "token"), ("name", "string")]),
                        resource(
                            .location, search: [("_id", "token"), ("name", "string"), ("address-postalcode", "string"), ("organization", "reference")]
                        ),
                        resource(.subscription, create: true, delete: true, search: [("_id", "token")]),
                        resource(
                            .healthcareService,
                            search: [
                                ("_id", "token"), ("name", "string"), ("organization", "reference"), ("service-category", "token"),
                                ("active", "token")
                            ])
                    ])
            ])
    }
}
