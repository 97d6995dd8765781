import ThawCore
import ThawStorage

/// A client, as far as the reader's consent scopes disclose them.
struct FHIRPatient: FHIRResource {
    static let type = FHIRResourceType.patient
    var resourceType = "Patient"
    var id: String
    var meta: Meta?
    var identifier: [Identifier]?
    var name: [HumanName]?
    var telecom: [ContactPoint]?
    var birthDate: String?
    var address: [Address]?
    var communication: [Communication]?
    var managingOrganization: Reference?

    struct Communication: Codable, Sendable { var language: CodeableConcept }

    init(_ view: ClientView) {
        let client = view.client
        id = client.id.fhir
        meta = Meta(versionId: nil, lastUpdated: client.createdAt.description, profile: nil)
        identifier = [Identifier(system: FHIRSystems.clientIdentifier, value: client.id.raw)]
        name = [HumanName(text: "\(client.givenName) \(client.familyName)", family: client.familyName, given: [client.givenName])]
        let telecom = [client.phone.map { ContactPoint(system: "phone", value: $0) }, client.email.map { ContactPoint(system: "email", value: $0) }]
            .compactMap { $0 }
        self.telecom = telecom.isEmpty ? nil : telecom
        birthDate = client.birthDate?.description
        address = client.address.map { [Address(text: $0)] }
        communication = client.preferredLanguage.map { [Communication(language: CodeableConcept(text: $0))] }
        managingOrganization = Reference(.organization, client.organizationId)
    }
}

struct FHIROrganization: FHIRResource {
    static let type = FHIRResourceType.organization
    var resourceType = "Organization"
    var id: String
    var meta: Meta?
    var active = true
    var type: [CodeableConcept]?
    var name: String
    var partOf: Reference?

    init(_ organization: Organization) {
        id = organization.id.fhir
        meta = Meta(versionId: nil, lastUpdated: organization.createdAt.description, profile: nil)
        type = [CodeableConcept(FHIRSystems.sector, organization.sector.rawValue)]
        name = organization.name
        partOf = organization.parentId.map { Reference(.organization, $0) }
    }
}

struct FHIRHealthcareService: FHIRResource {
    static let type = FHIRResourceType.healthcareService
    var resourceType = "HealthcareService"
    var id: String
    var meta: Meta?
    /// The service's id in the HSDS directory.
    var identifier: [Identifier]?
    var active: Bool
    var providedBy: Reference
    var category: [CodeableConcept]?
    var name: String
    var comment: String?
    /// The places it is offered at (HSDS service_at_location → location).
    var location: [Reference]?
    var coverageArea: [Reference]?
    var eligibility: [Eligibility]?
    var communication: [CodeableConcept]?
    var availabilityExceptions: String?

    struct Eligibility: Codable, Sendable { var code: CodeableConcept?; var comment: String? }

    init(_ service: Service, directory: ServiceDirectoryFacts? = nil) {
        id = service.id.fhir
        identifier = directory.map { [Identifier(system: "urn:ietf:rfc:3986", value: "urn:uuid:" + $0.hsdsId)] }
        location = directory.flatMap { $0.locations.isEmpty ? nil : $0.locations.map { Reference(reference: "Location/" + $0) } }
        meta = Meta(versionId: nil, lastUpdated: service.updatedAt.description, profile: nil)
        active = service.capacity != .closed
        providedBy = Reference(.organization, service.organizationId)
        category = service.needCategories.isEmpty ? nil : service.needCategories.map(\.concept)
        name = service.name
        comment = service.description.isEmpty ? nil : service.description
        eligibility = service.eligibility.isEmpty ? nil : [Eligibility(code: nil, comment: service.eligibility)]
        communication = service.languages.isEmpty ? nil : service.languages.map { CodeableConcept(text: $0) }
        availabilityExceptions = "capacity: \(service.capacity.rawValue); area served: \(service.areaServed)"
    }
}

/// An identified need, as the IG's SDOHCC Condition (a health concern).
struct FHIRCondition: FHIRResource {
    static let type = FHIRResourceType.condition
    var resourceType = "Condition"
    var id: String
    var meta: Meta?
    var clinicalStatus: CodeableConcept
    var verificationStatus: CodeableConcept
    var category: [CodeableConcept]
    var code: CodeableConcept
    var subject: Reference
    var onsetDateTime: String?
    /// The day the need was closed; the profile's invariant wants a closed need's status inactive or resolved.
    var abatementDateTime: String?
    var recordedDate: String?

    init(_ need: IdentifiedNeed) {
        id = need.id.fhir
        meta = Meta(versionId: nil, lastUpdated: nil, profile: [FHIRSystems.conditionProfile])
        clinicalStatus = CodeableConcept(FHIRSystems.conditionClinical, Self.clinicalStatus(need.status))
        verificationStatus = CodeableConcept(FHIRSystems.conditionVerification, "confirmed")
        category = [
            CodeableConcept(FHIRSystems.conditionCategory, "health-concern", display: "Health Concern"),
            need.category.concept
        ]
        code = need.category.concept
        subject = Reference(.patient, need.clientId)
        onsetDateTime = need.identifiedOn.description
        abatementDateTime = need.closedOn?.description
        recordedDate = need.identifiedOn.description
    }

    /// Met is resolved; declined or no longer applicable leaves it unresolved but not a concern now.
    static func clinicalStatus(_ status: IdentifiedNeed.Status) -> String {
        switch status {
        case .active: "active"
        case .met: "resolved"
        case .declined, .notApplicable: "inactive"
        }
    }
}

/// A place of the directory (an HSDS location), as the Human Services Directory IG maps it: its
/// name, address, position and phones, managed by its organisation where that is in the network.
struct FHIRLocation: FHIRResource {
    static let type = FHIRResourceType.location
    var resourceType = "Location"
    var id: String
    var identifier: [Identifier]?
    var status = "active"
    var name: String?
    var alias: [String]?
    var description: String?
    var mode = "instance"
    var telecom: [ContactPoint]?
    var address: Address?
    var position: Position?
    var managingOrganization: Reference?

    struct Position: Codable, Sendable { var longitude: Double; var latitude: Double }

    init(_ place: DirectoryLocation) {
        let record = place.record
        id = record.id
        identifier = [Identifier(system: "urn:ietf:rfc:3986", value: "urn:uuid:" + record.id)]
        name = record["name"]
        alias = record["alternate_name"].map { [$0] }
        description = record["description"]
        let phones = place.phones.compactMap { $0["number"].map { ContactPoint(system: "phone", value: $0) } }
        telecom = phones.isEmpty ? nil : phones
        if let first = place.addresses.first(where: { $0["address_type"] == "physical" }) ?? place.addresses.first {
            var written = Address(text: nil)
            written.line = [first["address_1"], first["address_2"]].compactMap { $0 }.filter { !$0.isEmpty }
            written.city = first["city"]
            written.state = first["state_province"]
            written.postalCode = first["postal_code"]
            written.country = first["country"]
            address = written
        }
        if case .number(let latitude) = record.fields["latitude"], case .number(let longitude) = record.fields["longitude"] {
            position = Position(longitude: longitude, latitude: latitude)
        }
        managingOrganization = place.organization.map { Reference(.organization, $0) }
    }
}
