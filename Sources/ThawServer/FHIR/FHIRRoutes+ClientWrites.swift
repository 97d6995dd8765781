import Hummingbird
import ThawCore
import ThawStorage

/// A referral source may post the patient, their needs and consents first, then send the referral
/// as a transaction Bundle of Task and ServiceRequest that references them (`Patient/cli-…`,
/// `Condition/need-…`). Each is read exactly as the same resource in a Bundle is, and refused
/// naming its element (`Patient.name`, `Consent.provision.actor[0].reference`).
extension FHIRRoutes {
    func registerClientWrites(on callers: RouterGroup<CallerContext>) {
        callers.post("Patient", use: createPatient)
        callers.post("Condition", use: createCondition)
        callers.post("Consent", use: createConsent)
    }

    /// Registers the patient as a client of the caller's organisation — or, where one of its
    /// identifiers already names one, answers with that client (200, as a conditional create
    /// does), keeping the identifiers new to it.
    @Sendable func createPatient(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRPatient> {
        try permit(context, .patient, .create)
        let (reader, resource) = try await single(request, .patient)
        guard case .patient(let patient) = resource else { throw ThawError.invalid("Patient", "Patient", "the body must be a Patient") }
        let (described, identifiers) = try reader.describe(patient, at: 0)
        let (client, registered) = try await scoped(context).registerClient(described, identifiers: identifiers)
        let shown = FHIRPatient(try await scoped(context).client(client.id))
        return FHIRResponse(shown, status: registered ? .created : .ok, headers: [.location: "\(base(request))/Patient/\(shown.id)"])
    }

    /// Records an identified need of a patient the organisation holds, or answers with its active
    /// need of that category (200).
    @Sendable func createCondition(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRCondition> {
        try permit(context, .condition, .create)
        let (reader, resource) = try await single(request, .condition)
        guard case .condition(let condition) = resource else { throw ThawError.invalid("Condition", "Condition", "the body must be a Condition") }
        let (client, named) = try heldPatient(reader, condition.subject, at: "Condition.subject")
        guard case .identified(let category, let date) = try reader.need(condition, at: 0, patient: .held(named)) else {
            throw ThawError.invalid("Condition", "Condition", "the Condition could not be read")
        }
        let (need, identified) = try await located("Condition.subject") {
            try await scoped(context).identifyNeed(client: client, category, on: date)
        }
        let shown = FHIRCondition(try await scoped(context).need(need.id))
        return FHIRResponse(shown, status: identified ? .created : .ok, headers: [.location: "\(base(request))/Condition/\(shown.id)"])
    }

    /// Records the client's consent to disclose to the organisation its provision names.
    @Sendable func createConsent(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRConsent> {
        try permit(context, .consent, .create)
        let (reader, resource) = try await single(request, .consent)
        guard case .consent(let sent) = resource else { throw ThawError.invalid("Consent", "Consent", "the body must be a Consent") }
        let (client, patient) = try heldPatient(reader, sent.patient, at: "Consent.patient")
        let (consent, named) = try reader.consent(sent, at: 0, patient: .held(patient), owner: nil)
        for (organization, path) in named where (try? await store.organization(organization)) == nil {
            throw ThawError.unprocessable(path, "exists", "\(path) names no organisation in Thaw's directory")
        }
        let recorded = try await located("Consent.patient") { try await scoped(context).recordConsent(client: client, consent) }
        let shown = FHIRConsent(try await scoped(context).consent(recorded.id), now: store.clock.now())
        return FHIRResponse(shown, status: .created, headers: [.location: "\(base(request))/Consent/\(shown.id)"])
    }

    /// The body as one resource of the type posted to, and a reader naming its elements from it.
    private func single(_ request: Request, _ type: FHIRResourceType) async throws -> (ReferralBundleReader, IncomingResource) {
        let resource = try await JSONBody.decode(
            IncomingResource.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        guard resource.typeName == type.rawValue else {
            throw ThawError.invalid("\(type.rawValue).resourceType", type.rawValue, "post a \(type.rawValue) here, not a \(resource.typeName)")
        }
        return (ReferralBundleReader(single: resource, now: store.clock.now()), resource)
    }

    /// The client a reference names, and the id as named: posted alone, a resource can only
    /// name a Patient Thaw holds.
    private func heldPatient(_ reader: ReferralBundleReader, _ reference: Reference?, at path: String) throws -> (ID<Client>, String) {
        guard case .held(let id) = try reader.resolve(reference, .patient, at: path) else {
            throw ThawError.unprocessable(path, "held", "\(path) must name a Patient Thaw holds (Patient/id)")
        }
        return (ID(fhir: id), id)
    }

    /// A client the organisation does not hold is refused as the element that named it.
    private func located<T>(_ path: String, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch ThawError.notFound(let what) where what.hasPrefix("client") {
            throw ThawError.unprocessable(path, "exists", "\(path) names no patient your organisation holds")
        }
    }
}
