import Foundation
import Hummingbird
import ThawCore
import ThawStorage

extension FHIRRoutes {
    /// `PUT /fhir/Task/:id` with `If-Match: W/"version"`: the Task as the client now
    /// wants it. What may change is what the workflow lets the caller's side change —
    /// `status` (with `statusReason` where the workflow asks for one; completing asks
    /// for an outcome, given as an `output` whose value is a concept in Thaw's outcome
    /// system, its text the summary), `businessStatus`, and `owner` for a partner
    /// claiming an open referral. Any other element that differs from the stored Task is
    /// refused (422 naming it), so nothing a client sends is silently dropped.
    @Sendable func updateTask(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRTask> {
        try permit(context, .task, .update)
        let id: ID<Referral> = try context.fhirId("id")
        let version = try request.expectedVersion()
        let sent = try await JSONBody.decode(
            FHIRUpdatedTask.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        guard sent.resourceType == "Task" else { throw ThawError.invalid("resourceType", "Task", "the body must be a Task") }
        if let bodyId = sent.id, bodyId != id.fhir { throw ThawError.invalid("Task.id", "matches-url", "the Task's id must be the one in the URL") }
        let access = scoped(context)
        var current = try await access.referral(id)
        guard current.referral.version == version else {
            throw ThawError.preconditionFailed("the Task changed since version \(version); read it again")
        }
        if let owner = sent.owner?.id(of: .organization), current.referral.ownerOrganizationId == nil {
            guard owner == context.actor.organizationId.fhir else {
                throw ThawError.unprocessable("Task.owner", "claim-for-self", "a partner claims an open referral for its own organisation only")
            }
            _ = try await access.claim(id)
            current = try await access.referral(id)
        } else if sent.owner?.id(of: .organization) != current.referral.ownerOrganizationId?.fhir {
            throw ThawError.unprocessable("Task.owner", "unchanged", "the owner changes only when a partner claims an open referral")
        }
        guard let status = TaskStatus(rawValue: sent.status) else {
            throw ThawError.invalid("Task.status", "task-status", "\(sent.status) is not a Task status")
        }
        var referral = current.referral
        if status != referral.status {
            let outcome = try sent.outcome()
            referral = try await access.changeStatus(
                id, StatusChange(status: status, reason: sent.statusReason?.text, outcome: outcome), expectedVersion: referral.version)
        }
        if let step = sent.businessStatus?.code(in: FHIRSystems.businessStatus) {
            guard let business = BusinessStatus(rawValue: step) else {
                throw ThawError.invalid("Task.businessStatus", "business-status", "\(step) is not a business status Thaw knows")
            }
            if business != referral.businessStatus {
                referral = try await access.setBusinessStatus(id, business, expectedVersion: referral.version)
            }
        }
        let visible = VisibleReferral(try await access.referral(id))
        return FHIRResponse(visible.task, headers: [.eTag: "W/\"\(visible.referral.version)\""])
    }
}

/// The parts of a Task a client may send back changed.
struct FHIRUpdatedTask: Decodable {
    var resourceType: String
    var id: String?
    var status: String
    var statusReason: CodeableConcept?
    var businessStatus: CodeableConcept?
    var owner: Reference?
    var output: [Output]?

    struct Output: Decodable {
        var type: CodeableConcept
        var valueCodeableConcept: CodeableConcept?
        var valueReference: Reference?
    }

    /// The outcome a completing client gives: an output in Thaw's outcome system, its text the summary.
    func outcome() throws -> ReferralOutcome? {
        guard let concept = output?.compactMap(\.valueCodeableConcept).first(where: { $0.code(in: FHIRSystems.outcome) != nil }),
            let code = concept.code(in: FHIRSystems.outcome)
        else { return nil }
        guard let value = ReferralOutcome.Code(rawValue: code) else {
            throw ThawError.invalid("Task.output.value", "outcome", "\(code) is not an outcome Thaw knows")
        }
        return ReferralOutcome(code: value, summary: concept.text ?? code)
    }
}
