import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThawCore
import ThawStorage

/// RFC 9457 problem details, with `errors` naming each field and broken rule.
struct ProblemDetails: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var errors: [Violation]?
}

extension ProblemDetails {
    /// The one place that decides how an error looks over HTTP.
    static func from(_ error: any Error) -> (ProblemDetails, HTTPFields)? {
        var headers = HTTPFields()
        switch error {
        case let error as ThawError:
            // Every problem names what in the request it is about (`errors[]`), not only those about a body field.
            func one(_ field: String, _ rule: String, _ message: String) -> [Violation] { [Violation(field: field, rule: rule, message: message)] }
            switch error {
            case .invalid(let v):
                return (
                    .init(
                        type: "invalid-request", title: "The request is malformed", status: 400,
                        detail: summary(v), errors: v), headers
                )
            case .unprocessable(let v):
                return (
                    .init(
                        type: "validation-failed", title: "The request breaks a rule", status: 422,
                        detail: summary(v), errors: v), headers
                )
            case .notFound(let what):
                let detail = "\(what) does not exist or is not visible to you"
                return (.init(type: "not-found", title: "Not found", status: 404, detail: detail, errors: one("path", "exists", detail)), headers)
            case .unauthenticated(let why):
                headers[.wwwAuthenticate] = "Bearer realm=\"thaw\""
                return (
                    .init(
                        type: "unauthenticated", title: "Authentication required", status: 401, detail: why,
                        errors: one("Authorization", "authenticated", why)), headers
                )
            case .forbidden(let why, let field):
                return (.init(type: "forbidden", title: "Not allowed", status: 403, detail: why, errors: one(field, "allowed", why)), headers)
            case .conflict(let code, let message, let field):
                return (
                    .init(
                        type: code, title: "Conflict with the current state", status: 409, detail: message,
                        errors: one(field, code, message)), headers
                )
            case .preconditionFailed(let why):
                return (
                    .init(
                        type: "stale-etag", title: "The resource has changed", status: 412, detail: why,
                        errors: one("If-Match", "current-version", why)), headers
                )
            case .preconditionRequired(let why):
                return (
                    .init(
                        type: "if-match-required", title: "If-Match header required", status: 428, detail: why,
                        errors: one("If-Match", "required", why)), headers
                )
            case .tooManyAttempts(let why, let retry):
                headers[.retryAfter] = String(retry)
                return (.init(type: "locked-out", title: "Too many attempts", status: 429, detail: why, errors: one("request", "rate", why)), headers)
            case .payloadTooLarge(let limit):
                let detail = "the body exceeds the limit of \(limit) bytes"
                return (
                    .init(
                        type: "body-too-large", title: "Request body too large", status: 413, detail: detail,
                        errors: one("body", "max-size", detail)), headers
                )
            }
        case let error as DecodingError:
            let v = violation(for: error)
            return (
                .init(
                    type: "invalid-request", title: "The request is malformed", status: 400,
                    detail: v.message, errors: [v]), headers
            )
        case let error as SQLError where error.kind == .timeout || error.kind == .unavailable || error.kind == .busy:
            // The database, not the request: say so, and when to try again. Nothing was written.
            let timedOut = error.kind == .timeout
            headers[.retryAfter] = timedOut ? "5" : "1"
            let detail =
                timedOut
                ? "the database took too long to answer, so the request was stopped and nothing was changed"
                : "the database is busy or unavailable for a moment, and nothing was changed; try again shortly"
            return (
                .init(
                    type: timedOut ? "database-timeout" : "database-unavailable", title: "Service unavailable", status: 503, detail: detail,
                    errors: [Violation(field: "request", rule: "database-available", message: detail)]), headers
            )
        case is NIOTooManyBytesError:
            return from(ThawError.payloadTooLarge(limit: 1 << 20))
        case let error as HTTPError:
            let detail = error.body ?? error.status.reasonPhrase
            let (field, rule) =
                error.status == .methodNotAllowed ? ("method", "allowed") : error.status == .notFound ? ("path", "exists") : ("request", "http")
            return (
                .init(
                    type: error.status == .notFound ? "not-found" : "http-\(error.status.code)",
                    title: error.status.reasonPhrase, status: error.status.code, detail: detail,
                    errors: [Violation(field: field, rule: rule, message: detail)]), error.headers
            )
        default:
            return nil
        }
    }

    static func summary(_ violations: [Violation]) -> String {
        violations.map(\.message).joined(separator: "; ")
    }

    /// Names the JSON field a decoding failure happened at, e.g. `outcome.code`.
    static func violation(for error: DecodingError) -> Violation {
        func path(_ keys: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            let text = all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return Violation(field: path(context.codingPath, key), rule: "required", message: "\(path(context.codingPath, key)) is required")
        case .valueNotFound(_, let context):
            return Violation(field: path(context.codingPath), rule: "required", message: "\(path(context.codingPath)) may not be null")
        case .typeMismatch(let type, let context):
            return Violation(
                field: path(context.codingPath), rule: "type",
                message: "\(path(context.codingPath)) must be \(describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return Violation(field: "body", rule: "json", message: "the body is not valid JSON")
            }
            let message = context.debugDescription
            if message.hasPrefix("Cannot initialize") {
                // Swift's wording for an unknown enum value; name the allowed codes instead.
                let typeName = message.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
                let allowed = allowedCodes[typeName].map { ": expected one of " + $0.joined(separator: ", ") } ?? ""
                return Violation(
                    field: path(context.codingPath), rule: "enum",
                    message: "\(path(context.codingPath)) is not a known code\(allowed)")
            }
            let rule = context.underlyingError is CalendarDate.UnsupportedDate ? "date-range" : "format"
            return Violation(field: path(context.codingPath), rule: rule, message: "\(path(context.codingPath)): \(message)")
        @unknown default:
            return Violation(field: "body", rule: "json", message: "the body could not be read")
        }
    }

    static let allowedCodes: [String: [String]] = [
        "TaskStatus": TaskStatus.allCases.map(\.rawValue),
        "Priority": Priority.allCases.map(\.rawValue),
        "NeedCategory": NeedCategory.allCases.map(\.rawValue),
        "BusinessStatus": BusinessStatus.allCases.map(\.rawValue),
        "Code": ReferralOutcome.Code.allCases.map(\.rawValue),
        "Sector": Sector.allCases.map(\.rawValue),
        "Alignment": Alignment.allCases.map(\.rawValue),
        "Role": Role.allCases.map(\.rawValue),
        "Capacity": Capacity.allCases.map(\.rawValue),
        "ConsentScope": ConsentScope.allCases.map(\.rawValue),
        "ConsentPurpose": ConsentPurpose.allCases.map(\.rawValue),
        "ScreeningAnswer": ScreeningAnswer.allCases.map(\.rawValue)
    ]

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
