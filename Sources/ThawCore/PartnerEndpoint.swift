/// A partner organisation that runs its own system: referrals to it are sent to its FHIR server
/// (the IG's "direct" exchange) and their progress there is mirrored back.
public struct PartnerEndpoint: Codable, Sendable, Equatable {
    public var organizationId: ID<Organization>
    /// The partner's FHIR base, `https://partner.example/fhir`.
    public var fhirBase: String
    /// This Thaw's client id at the partner's SMART token endpoint.
    public var clientId: String
    /// The partner organisation's own id in its system (the Task's owner there).
    public var remoteOrganizationId: String
    public var scopes: String
    /// The account the partner's changes are recorded under here.
    public var mirrorUserId: ID<User>
    public var createdAt: Timestamp

    public init(
        organizationId: ID<Organization>, fhirBase: String, clientId: String, remoteOrganizationId: String, scopes: String,
        mirrorUserId: ID<User>, createdAt: Timestamp
    ) {
        self.organizationId = organizationId; self.fhirBase = fhirBase; self.clientId = clientId
        self.remoteOrganizationId = remoteOrganizationId; self.scopes = scopes; self.mirrorUserId = mirrorUserId; self.createdAt = createdAt
    }
}

public struct NewPartnerEndpoint: Codable, Sendable {
    public var fhirBase: String
    public var clientId: String
    public var remoteOrganizationId: String
    public var scopes: String?

    public init(fhirBase: String, clientId: String, remoteOrganizationId: String, scopes: String? = nil) {
        self.fhirBase = fhirBase; self.clientId = clientId; self.remoteOrganizationId = remoteOrganizationId; self.scopes = scopes
    }

    public static let defaultScopes =
        "system/Task.crus system/ServiceRequest.c system/Patient.c system/Consent.c system/Condition.c system/Procedure.r"

    public func validate() throws {
        var v = Validator()
        let lower = fhirBase.lowercased()
        v.require(
            (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && fhirBase.count <= 500 && !fhirBase.contains(where: \.isWhitespace),
            "fhirBase", "url", "the FHIR base is an http or https URL")
        v.require(!clientId.isEmpty && clientId.count <= 200, "clientId", "length", "the client id is 1 to 200 characters")
        v.require(
            !remoteOrganizationId.isEmpty && remoteOrganizationId.count <= 64
                && remoteOrganizationId.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." },
            "remoteOrganizationId", "fhir-id", "the partner's id for itself is a FHIR id")
        try v.check()
        _ = try AccessScopes(parsing: scopes ?? Self.defaultScopes)
    }
}
