import ThawCore

/// Markup that is safe to send. Interpolating a `String` (or an id, a number,
/// an enum) escapes it; interpolating `HTML` inserts it as it is. Pages are
/// built only from this type, so escaping cannot be forgotten.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(raw: String) { text = raw }
    public init(stringLiteral value: String) { text = value }
    public init(stringInterpolation: Interpolation) { text = stringInterpolation.text }
    public var description: String { text }

    public static let empty = HTML(raw: "")

    /// Joins fragments, e.g. the rows of a table.
    public init<S: Sequence>(joining parts: S) where S.Element == HTML {
        text = parts.map(\.text).joined()
    }

    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for ch in value.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + interpolationCount * 16) }
        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        public mutating func appendInterpolation(_ value: String?) { if let value { text += HTML.escape(value) } }
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }
        public mutating func appendInterpolation(_ value: HTML?) { if let value { text += value.text } }
        public mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation<T>(_ id: ID<T>) { text += HTML.escape(id.raw) }
        public mutating func appendInterpolation<E: RawRepresentable>(_ value: E) where E.RawValue == String {
            text += HTML.escape(value.rawValue)
        }
    }
}

extension HTML {
    /// ` checked`, ` selected`, ` required` and the like when the condition holds.
    static func attribute(_ name: String, if condition: Bool) -> HTML {
        condition ? HTML(raw: " " + name) : .empty
    }
}
