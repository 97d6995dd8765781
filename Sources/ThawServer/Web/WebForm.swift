import Foundation
import Hummingbird
import NIOCore
import ThawCore

/// A submitted HTML form (application/x-www-form-urlencoded). Reading one also
/// checks the session's CSRF token, so no form handler can forget to.
struct WebForm: Sendable {
    private(set) var fields: [String: [String]] = [:]

    init(fields: [String: [String]]) { self.fields = fields }

    /// Parses `a=1&b=two+words&b=x%26y`.
    init(urlEncoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            fields[name, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Reads the body (up to `limit` bytes) and checks `_csrf` against the session.
    static func read(_ request: Request, context: ThawRequestContext, limit: Int) async throws -> WebForm {
        let buffer = try await JSONBody.collect(request, limit: limit)
        let form = WebForm(urlEncoded: String(buffer: buffer))
        guard let expected = context.csrfToken, let sent = form["_csrf"],
            Authenticator.constantTimeEquals(sent, expected)
        else {
            throw ThawError.forbidden("this form is out of date or did not come from Thaw; reload the page and try again")
        }
        for (name, values) in form.fields.sorted(by: { $0.key < $1.key }) {
            try TextChecks.refuseNUL(name, field: "field name")
            for value in values { try TextChecks.refuseNUL(value, field: name) }
        }
        return form
    }

    /// The first value, trimmed; nil when missing or blank.
    subscript(name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingWhitespace, !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// A value that must be one of an enum's cases; a missing value is nil, a wrong one a 400 naming the field.
    func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let raw = self[name] else { return nil }
        guard let value = E(rawValue: raw) else {
            throw ThawError.invalid(name, "enum", "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func choices<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> [E] where E.RawValue == String {
        try all(name).filter { !$0.isEmpty }.map { raw in
            guard let value = E(rawValue: raw) else {
                throw ThawError.invalid(name, "enum", "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
    }

    /// A `<input type=date>` value (a day, read in the viewer's time zone by the caller), or 422 naming the field.
    func date(_ name: String) throws -> CalendarDate? {
        guard let raw = self[name] else { return nil }
        guard let date = CalendarDate(raw) else {
            throw ThawError.unprocessable(name, "date", "\(name) must be a date like 2026-12-31")
        }
        try date.requireSupported(field: name)
        return date
    }

    /// A `<input type=datetime-local>` value ("2026-12-07T09:30"), read on the viewer's wall clock, or 422 naming the field.
    func localDateTime(_ name: String) throws -> Timestamp? {
        guard let raw = self[name] else { return nil }
        let parts = raw.split(separator: "T", maxSplits: 1)
        let clock = parts.count == 2 ? parts[1].split(separator: ":") : []
        guard parts.count == 2, let day = CalendarDate(String(parts[0])), clock.count >= 2, clock.count <= 3,
            let hours = Int(clock[0]), let minutes = Int(clock[1]), (0..<24).contains(hours), (0..<60).contains(minutes),
            clock.count == 2 || (Double(clock[2]).map { (0..<60).contains($0) } ?? false)
        else {
            throw ThawError.unprocessable(name, "date-time", "\(name) must be a date and time like 2026-12-31T09:30")
        }
        try day.requireSupported(field: name)
        return Viewer.calendar.localMoment(day, secondsIntoDay: hours * 3600 + minutes * 60)
    }

    /// A whole number, nil when left empty, or 422 naming the field.
    func integer(_ name: String) throws -> Int? {
        guard let raw = self[name] else { return nil }
        guard let value = Int(raw) else { throw ThawError.unprocessable(name, "number", "\(name) must be a whole number") }
        return value
    }

    /// The record version a form was rendered from (the web's If-Match).
    func version() throws -> Int {
        guard let raw = self["version"], let version = Int(raw) else {
            throw ThawError.preconditionRequired("the form did not say which version of the referral it was made from; reload the page")
        }
        return version
    }
}
