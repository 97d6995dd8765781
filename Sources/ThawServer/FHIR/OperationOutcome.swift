import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// FHIR's error answer: one issue per problem, each naming the element (a FHIRPath
/// expression) and the rule it broke.
struct OperationOutcome: Codable, Sendable {
    var resourceType = "OperationOutcome"
    var issue: [Issue]

    struct Issue: Codable, Sendable {
        var severity: String
        var code: String
        var diagnostics: String?
        var expression: [String]?
    }

    /// The outcome of a refusal Thaw describes as problem details (the same refusals as `/api/v1`).
    init(_ problem: ProblemDetails, resourceType: String?) {
        let code: String =
            switch problem.status {
            case 400: "invalid"
            case 401: "login"
            case 403: "forbidden"
            case 404: "not-found"
            case 409, 412: "conflict"
            case 413: "too-costly"
            case 422: "business-rule"
            case 428: "required"
            case 429: "throttled"
            default: "processing"
            }
        let issues = (problem.errors ?? []).map { violation in
            Issue(
                severity: "error", code: code, diagnostics: "\(violation.rule): \(violation.message)",
                expression: [Self.expression(violation.field, resourceType: resourceType)])
        }
        issue = issues.isEmpty ? [Issue(severity: "error", code: code, diagnostics: problem.detail, expression: nil)] : issues
    }

    /// A field as FHIRPath: already one when it starts with a resource type; otherwise a path in the resource sent.
    private static func expression(_ field: String, resourceType: String?) -> String {
        guard let resourceType, let first = field.first, first.isLowercase else { return field }
        return resourceType + "." + field
    }
}

/// Answers every refusal under `/fhir` as an `OperationOutcome` in `application/fhir+json`,
/// with the status the same refusal has in `/api/v1`.
struct FHIRErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            guard let (problem, headers) = ProblemDetails.from(error) else { throw error }
            // The resource type in the path (`/fhir/Task/…`), for errors that name a field of it.
            let segments = request.uri.path.split(separator: "/")
            // A transaction, posted to the base, is a Bundle.
            let type = segments.count > 1 ? FHIRResourceType(rawValue: String(segments[1]))?.rawValue : "Bundle"
            return try FHIRResponse(OperationOutcome(problem, resourceType: type), status: .init(code: problem.status), headers: headers)
                .response(from: request, context: context)
        }
    }
}

/// A FHIR resource or bundle as the answer, in `application/fhir+json`.
struct FHIRResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value; self.status = status; self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/fhir+json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try FHIRJSON.encoder.encode(value))))
    }
}

/// How FHIR JSON is written: Thaw's form, with URLs' slashes as they are.
enum FHIRJSON {
    static let encoder: JSONEncoder = {
        let encoder = ThawJSON.makeEncoder()
        encoder.outputFormatting.insert(.withoutEscapingSlashes)
        return encoder
    }()
}
