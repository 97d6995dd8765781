/// One broken rule on one field, e.g. field `reason`, rule `required`.
public struct Violation: Codable, Sendable, Equatable {
    public var field: String
    public var rule: String
    public var message: String
    public init(field: String, rule: String, message: String) {
        self.field = field; self.rule = rule; self.message = message
    }
}

/// The one error type of the domain. The server maps it to HTTP in one place
/// (RFC 9457 problem details); nothing else decides status codes.
public enum ThawError: Error, Sendable, Equatable {
    /// The input broke one or more rules (400 for shape, 422 for meaning).
    case invalid([Violation])
    case unprocessable([Violation])
    /// Missing, or not visible to this actor: the two are deliberately the same.
    case notFound(String)
    case unauthenticated(String)
    /// Visible, but this actor's role or side may not do this. `field`: what in the
    /// request asked for it (a problem document's `errors[].field`).
    case forbidden(String, field: String = "request")
    /// The move is not allowed from the current state.
    case conflict(code: String, message: String, field: String = "request")
    case preconditionFailed(String)
    case preconditionRequired(String)
    case tooManyAttempts(String, retryAfterSeconds: Int)
    case payloadTooLarge(limit: Int)

    public static func invalid(_ field: String, _ rule: String, _ message: String) -> ThawError {
        .invalid([Violation(field: field, rule: rule, message: message)])
    }
    public static func unprocessable(_ field: String, _ rule: String, _ message: String) -> ThawError {
        .unprocessable([Violation(field: field, rule: rule, message: message)])
    }
    /// A bearer token that names nobody now, whether found so at sign-in or on a later check.
    public static let bearerTokenRejected = ThawError.unauthenticated("the bearer token is unknown, expired or revoked")
}

extension ThawError {
    /// The problem in words, for a command line or a log.
    public var explanation: String {
        switch self {
        case .invalid(let v), .unprocessable(let v): return v.map(\.message).joined(separator: "; ")
        case .notFound(let what): return "not found: \(what)"
        case .unauthenticated(let m), .forbidden(let m, _), .preconditionFailed(let m), .preconditionRequired(let m), .tooManyAttempts(let m, _):
            return m
        case .conflict(_, let m, _): return m
        case .payloadTooLarge(let limit): return "the body is larger than \(limit) bytes"
        }
    }
}

/// Collects violations so a request reports every problem at once.
public struct Validator: Sendable {
    public private(set) var violations: [Violation] = []
    public init() {}

    public mutating func require(_ condition: Bool, _ field: String, _ rule: String, _ message: String) {
        if !condition { violations.append(Violation(field: field, rule: rule, message: message)) }
    }
    public mutating func requireText(_ value: String?, _ field: String, maxLength: Int = 2000) {
        let trimmed = value?.trimmingWhitespace ?? ""
        require(!trimmed.isEmpty, field, "required", "\(field) is required and may not be blank")
        require(trimmed.count <= maxLength, field, "max-length", "\(field) may be at most \(maxLength) characters")
    }
    public mutating func limitText(_ value: String?, _ field: String, maxLength: Int = 2000) {
        require((value?.count ?? 0) <= maxLength, field, "max-length", "\(field) may be at most \(maxLength) characters")
    }
    public func check(unprocessable: Bool = true) throws {
        guard violations.isEmpty else { throw unprocessable ? ThawError.unprocessable(violations) : ThawError.invalid(violations) }
    }
}

public extension String {
    /// nil for the empty string, so an emptied field is stored as absent.
    var nonEmpty: String? { isEmpty ? nil : self }

    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
