import ThawCore

/// A task for the client as the IG's `SDOHCC-TaskForPatient`: the client both the subject and
/// the owner, the organisation holding their record the requester, the service to contact (for
/// a referral sent to one) as its `contact-entity` input.
extension FHIRTask {
    init(clientTask task: ClientTask, requesterName: String?, serviceToContact: ID<Service>?) {
        let closed = task.closedAt ?? task.createdAt
        let patient = Reference(.patient, task.clientId)
        self.init(
            id: task.id.fhir,
            meta: Meta(versionId: task.status.isClosed ? "2" : "1", lastUpdated: closed.description, profile: [FHIRSystems.patientTaskProfile]),
            status: task.status.rawValue, statusReason: nil, businessStatus: nil, partOf: nil, intent: "order", priority: "routine",
            code: CodeableConcept(FHIRSystems.sdohTemporary, task.kind.rawValue, display: Self.display(task.kind)),
            description: task.description, focus: nil, for: patient, authoredOn: task.createdAt.description, lastModified: closed.description,
            requester: Reference(.organization, task.organizationId, display: requesterName), owner: patient,
            restriction: task.dueOn.map { .init(period: Period(start: nil, end: $0.description)) }, note: nil,
            input: task.kind == .makeContact
                ? serviceToContact.map {
                    [
                        Output(
                            type: CodeableConcept(FHIRSystems.sdohTemporary, "contact-entity", display: "Contact Entity"),
                            valueReference: Reference(.healthcareService, $0))
                    ]
                } : nil,
            output: nil)
    }

    static func display(_ kind: ClientTask.Kind) -> String {
        switch kind {
        case .makeContact: return "Make Contact"
        case .reviewMaterial: return "Review Material"
        case .generalInformation: return "General Information"
        }
    }
}
