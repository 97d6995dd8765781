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
        let sent = try await JSONBody.decode(
            TaskBody.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/fhir+json", "application/json"])
        return try await changeTask(
            try context.fhirId("id"), version: try request.expectedVersion(), to: sent.task, whole: sent.json.value, context: context)
    }

    /// `PATCH /fhir/Task/:id` with a JSON Patch and `If-Match`: the patch is applied to the Task
    /// as the caller reads it, and the result is taken as a PUT of it would be.
    @Sendable func patchTask(_ request: Request, context: CallerContext) async throws -> FHIRResponse<FHIRTask> {
        try permit(context, .task, .update)
        let id: ID<Referral> = try context.fhirId("id")
        let version = try request.expectedVersion()
        let patch = try await JSONBody.decode(
            JSONPatch.self, from: request, limit: configuration.maxBodyBytes, mediaTypes: ["application/json-patch+json"])
        let current = VisibleReferral(try await scoped(context).referral(id))
        guard current.referral.version == version else {
            throw ThawError.preconditionFailed("the Task changed since version \(version); read it again")
        }
        let document = try JSONSerialization.jsonObject(with: try FHIRJSON.encoder.encode(current.task))
        let patchedObject = try patch.apply(to: document)
        let patched = try JSONSerialization.data(withJSONObject: patchedObject)
        let sent: FHIRUpdatedTask
        do {
            sent = try JSONDecoder().decode(FHIRUpdatedTask.self, from: patched)
        } catch let error as DecodingError {
            throw ThawError.unprocessable([ProblemDetails.violation(for: error)])
        }
        return try await changeTask(id, version: version, to: sent, whole: patchedObject, context: context)
    }

    /// The change a PUT or PATCH asks for, along the workflow.
    private func changeTask(_ id: ID<Referral>, version: Int, to sent: FHIRUpdatedTask, whole: Any, context: CallerContext) async throws
        -> FHIRResponse<FHIRTask>
    {
        guard sent.resourceType == "Task" else { throw ThawError.invalid("resourceType", "Task", "the body must be a Task") }
        if let bodyId = sent.id, bodyId != id.fhir { throw ThawError.invalid("Task.id", "matches-url", "the Task's id must be the one in the URL") }
        let access = scoped(context)
        var current = try await access.referral(id)
        guard current.referral.version == version else {
            throw ThawError.preconditionFailed("the Task changed since version \(version); read it again")
        }
        try Self.refuseOtherChanges(from: VisibleReferral(current).task, to: whole)
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
            var outcome = try sent.outcome()
            // Completing with an output that references the Procedure recorded for it takes its outcome.
            if outcome == nil, sent.output?.contains(where: { $0.valueReference?.id(of: .procedure) == id.fhir }) == true {
                outcome = try await access.recordedProcedure(id)?.outcome
            }
            var reasonCode: DeclineReason?
            if let code = sent.statusReason?.code(in: FHIRSystems.declineReason) {
                guard let known = DeclineReason(rawValue: code) else {
                    throw ThawError.invalid("Task.statusReason.coding", "decline-reason", "\(code) is not a decline reason Thaw knows")
                }
                reasonCode = known
            }
            referral = try await access.changeStatus(
                id, StatusChange(status: status, reason: sent.statusReason?.text, reasonCode: reasonCode, outcome: outcome),
                expectedVersion: referral.version)
        }
        if let step = sent.businessStatus?.code(in: FHIRSystems.businessStatus) {
            guard let business = BusinessStatus(rawValue: step) else {
                throw ThawError.invalid("Task.businessStatus", "business-status", "\(step) is not a business status Thaw knows")
            }
            if business != referral.businessStatus {
                referral = try await access.setBusinessStatus(id, business, expectedVersion: referral.version)
            }
        }
        // The answer is the Task as changed, disclosed to the caller as the read before it was: no second read.
        var visible = VisibleReferral(current)
        visible.referral = Disclosure.referral(referral, to: current.side, under: current.disclosedScopes ?? [])
        return FHIRResponse(visible.task, headers: [.eTag: "W/\"\(visible.referral.version)\""])
    }
}

extension FHIRRoutes {
    /// The elements a client may change; Thaw keeps the rest (and `meta`, `lastModified`, `text`).
    static let changeableTaskElements: Set<String> = [
        "status", "statusReason", "businessStatus", "owner", "output", "meta", "lastModified", "text", "resourceType", "id"
    ]

    /// Refuses a Task whose other elements differ from the stored one: nothing a client sends is silently dropped.
    static func refuseOtherChanges(from current: FHIRTask, to sent: Any) throws {
        guard let sent = sent as? [String: Any],
            let stored = try JSONSerialization.jsonObject(with: try FHIRJSON.encoder.encode(current)) as? [String: Any]
        else { throw ThawError.invalid("Task", "object", "the body must be a Task object") }
        for key in Set(sent.keys).union(stored.keys).subtracting(changeableTaskElements).sorted() {
            let same = NSDictionary(dictionary: ["v": sent[key] ?? NSNull()]).isEqual(to: ["v": stored[key] ?? NSNull()])
            guard same else {
                throw ThawError.unprocessable(
                    "Task.\(key)", "unchanged",
                    "Task.\(key) cannot be changed; a Task changes its status, statusReason, businessStatus, output, and owner to claim")
            }
        }
    }
}

/// A Task body, read both as the parts Thaw takes and as the whole JSON sent.
struct TaskBody: Decodable {
    var task: FHIRUpdatedTask
    var json: JSONAny

    init(from decoder: any Decoder) throws {
        task = try FHIRUpdatedTask(from: decoder)
        json = try JSONAny(from: decoder)
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
