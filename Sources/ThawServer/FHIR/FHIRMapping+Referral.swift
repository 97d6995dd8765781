import ThawCore
import ThawStorage

/// A referral seen as the IG's three resources: the Task that carries its
/// workflow, the ServiceRequest that says what was asked, and, once completed
/// with an outcome, the Procedure that says what was done. All three share the
/// referral's id and version.
extension VisibleReferral {
    init(_ detail: ReferralDetail) {
        self.init(
            referral: detail.referral, side: detail.side, requesterName: detail.requesterName, ownerName: detail.ownerName,
            serviceName: detail.serviceName, scopes: detail.disclosedScopes)
    }

    var meta: Meta { Meta(versionId: String(referral.version), lastUpdated: referral.updatedAt.description, profile: nil) }

    /// An open referral not yet claimed names no client.
    private var patient: Reference? { side == nil ? nil : Reference(.patient, referral.clientId) }

    /// Where the IG requires a patient and the reader may not know who: a reference without one.
    private static let hiddenPatient = Reference(reference: nil, display: "not shown until the referral is claimed")

    var task: FHIRTask {
        var meta = meta
        meta.profile = [FHIRSystems.taskProfile]
        let hasProcedure = referral.status == .completed && referral.outcome != nil
        return FHIRTask(
            id: referral.id.fhir, meta: meta, status: referral.status.rawValue,
            statusReason: referral.statusReason.map { CodeableConcept(text: $0) },
            businessStatus: referral.businessStatus.map { CodeableConcept(FHIRSystems.businessStatus, $0.rawValue) },
            partOf: referral.partOf.map { [Reference(.task, $0)] }, intent: "order", priority: referral.priority.rawValue,
            code: CodeableConcept(FHIRSystems.taskCode, "fulfill", display: "Fulfill the focal request"),
            focus: Reference(.serviceRequest, referral.id), for: patient ?? Self.hiddenPatient, authoredOn: referral.createdAt.description,
            lastModified: referral.updatedAt.description,
            requester: Reference(.organization, referral.requesterOrganizationId, display: requesterName),
            owner: referral.ownerOrganizationId.map { Reference(.organization, $0, display: ownerName) },
            restriction: .init(period: Period(start: nil, end: referral.firstResponseDue.description)),
            note: referral.note.map { [Annotation(text: $0)] },
            output: hasProcedure
                ? [
                    .init(
                        type: CodeableConcept(FHIRSystems.sdohTemporary, "resulting-activity", display: "Resulting Activity"),
                        valueReference: Reference(.procedure, referral.id))
                ] : nil)
    }

    var serviceRequest: FHIRServiceRequest {
        var meta = meta
        meta.profile = [FHIRSystems.serviceRequestProfile]
        return FHIRServiceRequest(
            id: referral.id.fhir, meta: meta, status: referral.status.serviceRequestStatus, intent: "order",
            category: [referral.needCategory.concept], priority: referral.priority.rawValue,
            code: CodeableConcept(text: serviceName ?? referral.needCategory.rawValue),
            subject: patient ?? Self.hiddenPatient,
            authoredOn: referral.createdAt.description,
            requester: Reference(.organization, referral.requesterOrganizationId, display: requesterName),
            performer: referral.ownerOrganizationId.map { [Reference(.organization, $0, display: ownerName)] },
            reasonReference: referral.needIds.isEmpty ? nil : referral.needIds.map { Reference(.condition, $0) },
            supportingInfo: nil, note: referral.note.map { [Annotation(text: $0)] })
    }

    /// The outcome of a completed referral; nil before.
    var procedure: FHIRProcedure? {
        guard referral.status == .completed, let outcome = referral.outcome else { return nil }
        return procedure(outcome, performed: referral.updatedAt)
    }

    /// What the receiving side recorded it did, before (or when) completing the referral with it.
    func procedure(_ outcome: ReferralOutcome, performed: Timestamp) -> FHIRProcedure? {
        guard let patient else { return nil }
        var meta = meta
        meta.profile = [FHIRSystems.procedureProfile]
        return FHIRProcedure(
            id: referral.id.fhir, meta: meta, status: "completed", category: referral.needCategory.concept,
            code: CodeableConcept(text: serviceName ?? referral.needCategory.rawValue), subject: patient,
            performedDateTime: performed.description, basedOn: [Reference(.serviceRequest, referral.id)],
            performer: referral.ownerOrganizationId.map { [.init(actor: Reference(.organization, $0, display: ownerName))] },
            outcome: CodeableConcept(coding: [Coding(system: FHIRSystems.outcome, code: outcome.code.rawValue)], text: outcome.summary),
            reasonReference: referral.needIds.isEmpty ? nil : referral.needIds.map { Reference(.condition, $0) })
    }
}

extension TaskStatus {
    /// The ServiceRequest's status while its Task is in this one.
    var serviceRequestStatus: String {
        switch self {
        case .draft: "draft"
        case .requested, .accepted, .inProgress: "active"
        case .onHold: "on-hold"
        case .completed: "completed"
        case .rejected, .cancelled, .failed: "revoked"
        case .enteredInError: "entered-in-error"
        }
    }
}
