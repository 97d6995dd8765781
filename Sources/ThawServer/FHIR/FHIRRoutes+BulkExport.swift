import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

/// FHIR Bulk Data export (`$export`, NDJSON) of the referral resources (Task, ServiceRequest,
/// Procedure), for evaluators and network administrators. The kick-off answers 202 with a status
/// URL; the status is complete at once (the files are written as they are fetched, page by page,
/// so an export of a million referrals never sits in memory); each file streams as NDJSON.
extension FHIRRoutes {
    func registerBulkExport(on callers: RouterGroup<CallerContext>) {
        callers.get("$export", use: kickOffExport)
        callers.get("$export-status/:id", use: exportStatus)
        callers.delete("$export-status/:id", use: deleteExport)
        callers.get("$export-file/:id/:type", use: exportFile)
    }

    static let ndjsonTypes: Set<String> = ["application/fhir+ndjson", "application/ndjson", "ndjson"]

    @Sendable func kickOffExport(_ request: Request, context: CallerContext) async throws -> Response {
        guard request.headers[.prefer]?.lowercased().contains("respond-async") == true else {
            throw ThawError.invalid("Prefer", "required", "a bulk export is asynchronous: send Prefer: respond-async")
        }
        if let format = request.query("_outputFormat"), !Self.ndjsonTypes.contains(format) {
            throw ThawError.invalid("_outputFormat", "enum", "the only output format is application/fhir+ndjson")
        }
        var types = BulkExportJob.resourceTypes
        if let asked = request.query("_type") {
            let named = asked.split(separator: ",").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
            for type in named where !BulkExportJob.resourceTypes.contains(type) {
                throw ThawError.invalid("_type", "enum", "\(type.prefix(40)) cannot be exported; the types are Task, ServiceRequest and Procedure")
            }
            // Each type named once, in the order a manifest lists them.
            types = BulkExportJob.resourceTypes.filter(named.contains)
            guard !types.isEmpty else {
                throw ThawError.invalid("_type", "required", "_type names no resource type; leave it out for Task, ServiceRequest and Procedure")
            }
        }
        for type in types { try permit(context, FHIRResourceType(rawValue: type) ?? .task, .read) }
        let since = try request.query("_since").map { raw -> Timestamp in
            guard let at = ISO8601.parse(raw) else {
                throw ThawError.invalid("_since", "instant", "_since must be an instant like 2022-01-01T00:00:00Z")
            }
            return at
        }
        let job = try await scoped(context).startBulkExport(types: types, since: since)
        var headers = HTTPFields()
        headers[.contentLocation] = base(request) + "/$export-status/" + job.id.raw
        return Response(status: .accepted, headers: headers)
    }

    struct ExportManifest: Codable, Sendable, ResponseEncodable {
        struct File: Codable, Sendable { var type: String; var url: String; var count: Int }
        var transactionTime: String
        var request: String
        var requiresAccessToken: Bool
        var output: [File]
        var error: [File]
    }

    @Sendable func exportStatus(_ request: Request, context: CallerContext) async throws -> ExportManifest {
        let job = try await scoped(context).bulkExport(try context.id("id"))
        return ExportManifest(
            transactionTime: job.transactionTime.description, request: base(request) + "/$export?_type=" + job.types.joined(separator: ","),
            requiresAccessToken: true,
            output: job.types.map { .init(type: $0, url: base(request) + "/$export-file/\(job.id.raw)/\($0)", count: job.counts[$0] ?? 0) }, error: []
        )
    }

    @Sendable func deleteExport(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        try await scoped(context).deleteBulkExport(try context.id("id"))
        return .accepted
    }

    @Sendable func exportFile(_ request: Request, context: CallerContext) async throws -> Response {
        let scoped = scoped(context)
        let job = try await scoped.bulkExport(try context.id("id"))
        let type = try context.parameters.require("type")
        guard job.types.contains(type) else { throw ThawError.notFound("file \(type.prefix(40)) of bulk export \(job.id)") }
        let pseudonyms = BulkPseudonyms(key: job.pseudonymKey, pseudonymise: job.deidentified)
        var headers = HTTPFields()
        headers[.contentType] = "application/fhir+ndjson"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var after: String? = nil
                while true {
                    let page = try await scoped.bulkReferrals(job, after: after, limit: 500, completedOnly: type == "Procedure")
                    guard let last = page.last else { break }
                    var lines = ""
                    for item in page {
                        if let line = try Self.line(item, type: type, pseudonyms: pseudonyms) { lines += line + "\n" }
                    }
                    try await writer.write(ByteBuffer(string: lines))
                    after = last.referral.id.raw
                }
                try await writer.finish(nil)
            })
    }

    /// One resource as a line of NDJSON: free text always dropped, ids pseudonymised for an evaluator.
    static func line(_ item: BulkReferral, type: String, pseudonyms: BulkPseudonyms) throws -> String? {
        let visible = VisibleReferral(
            referral: item.referral, side: .requester, requesterName: item.requesterName ?? "", ownerName: item.ownerName,
            serviceName: item.serviceName, scopes: nil)
        let encoded: Data
        switch type {
        case "Task": encoded = try FHIRJSON.encoder.encode(pseudonyms.task(visible.task))
        case "ServiceRequest": encoded = try FHIRJSON.encoder.encode(pseudonyms.serviceRequest(visible.serviceRequest))
        default:
            guard let procedure = visible.procedure else { return nil }
            encoded = try FHIRJSON.encoder.encode(pseudonyms.procedure(procedure))
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}

/// What a bulk export leaves out. Free text is dropped from every export (it is where people write
/// what no export should carry) and the resources are labelled redacted. For an evaluator every id
/// of a client, a need or a referral also becomes a pseudonym (HMAC-SHA-256 under the export's own
/// key: the same within one export, unlinkable across exports), labelled pseudonymised.
/// Organisations and services keep their names.
struct BulkPseudonyms {
    let key: SymmetricKey
    let pseudonymise: Bool
    init(key hex: String, pseudonymise: Bool) {
        self.pseudonymise = pseudonymise
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), let byte = UInt8(hex[index..<next], radix: 16)
        {
            bytes.append(byte)
            index = next
        }
        key = SymmetricKey(data: bytes)
    }

    static let pseudonymised: Set<String> = ["Patient", "Condition", "Task", "ServiceRequest", "Procedure"]
    static let security = [
        Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", code: "PSEUDED", display: "pseudonymized"),
        Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", code: "REDACTED", display: "redacted")
    ]

    func id(_ type: String, _ raw: String) -> String {
        guard pseudonymise else { return raw }
        return "x"
            + HMAC<SHA256>.authenticationCode(for: Data((type + "/" + raw).utf8), using: key).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    func reference(_ reference: Reference?) -> Reference? {
        guard pseudonymise, let reference, let raw = reference.reference else { return reference }
        let parts = raw.split(separator: "/")
        guard parts.count == 2, Self.pseudonymised.contains(String(parts[0])) else { return reference }
        return Reference(reference: "\(parts[0])/\(id(String(parts[0]), String(parts[1])))")
    }

    func meta(_ meta: Meta?) -> Meta? {
        var meta = meta ?? Meta()
        meta.security = pseudonymise ? Self.security : [Self.security[1]]
        return meta
    }

    func task(_ task: FHIRTask) -> FHIRTask {
        var t = task
        t.id = id("Task", task.id); t.meta = meta(task.meta)
        t.statusReason = nil; t.note = nil; t.description = nil
        t.for = reference(task.for); t.focus = reference(task.focus); t.partOf = task.partOf?.compactMap { reference($0) }
        t.output = task.output?.map { .init(type: $0.type, valueReference: reference($0.valueReference)) }
        t.input = nil
        return t
    }

    func serviceRequest(_ request: FHIRServiceRequest) -> FHIRServiceRequest {
        var s = request
        s.id = id("ServiceRequest", request.id); s.meta = meta(request.meta)
        s.subject = reference(request.subject) ?? request.subject
        s.reasonReference = request.reasonReference?.compactMap { reference($0) }
        s.note = nil; s.supportingInfo = nil
        return s
    }

    func procedure(_ procedure: FHIRProcedure) -> FHIRProcedure {
        var p = procedure
        p.id = id("Procedure", procedure.id); p.meta = meta(procedure.meta)
        p.subject = reference(procedure.subject) ?? procedure.subject
        p.basedOn = procedure.basedOn?.compactMap { reference($0) }
        p.reasonReference = procedure.reasonReference?.compactMap { reference($0) }
        p.outcome?.text = nil
        return p
    }
}
