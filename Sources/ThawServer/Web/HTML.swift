import ThawCore

/// Markup that is safe to send. Interpolating a `String` (or an id, a number,
/// an enum) escapes it; interpolating `HTML` inserts it as it is. Pages are
/// built only from this type, so escaping cannot be forgotten.
///
/// The literal text a view writes is in English and is drawn in the viewer's language
/// (`LiteralTranslator`); `HTML(raw:)` is never translated.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String

    public init(raw: String) { text = raw }
    public init(stringLiteral value: String) {
        let language = Viewer.language
        text = language == .en ? value : LiteralTranslator.translate(value, from: .text, into: language).0
    }
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
        let language = Viewer.language
        /// Where in the markup the last literal ended (text, a tag, an attribute's value).
        var place = LiteralTranslator.Place.text
        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + interpolationCount * 16) }
        public mutating func appendLiteral(_ literal: String) {
            guard language != .en else {
                text += literal
                return
            }
            let (translated, end) = LiteralTranslator.translate(literal, from: place, into: language)
            text += translated
            place = end
        }
        public mutating func appendInterpolation(_ value: String) { text += data(HTML.escape(value)) }
        public mutating func appendInterpolation(_ value: String?) { if let value { text += data(HTML.escape(value)) } }
        public mutating func appendInterpolation(_ value: HTML) { text += value.text }
        public mutating func appendInterpolation(_ value: HTML?) { if let value { text += value.text } }
        public mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ phrase: Phrase) { text += data(HTML.escape(phrase.text)) }
        public mutating func appendInterpolation<T>(_ id: ID<T>) { text += data(HTML.escape(id.raw)) }
        public mutating func appendInterpolation<E: RawRepresentable>(_ value: E) where E.RawValue == String {
            text += data(HTML.escape(value.rawValue))
        }

        /// A value as it goes into the page. In the pseudo-language, a value people read is marked
        /// (⟦…⟧) so the test walking the pages can tell it from the view's own words.
        private func data(_ escaped: String) -> String {
            guard language == .pseudo else { return escaped }
            switch place {
            case .text, .value(_, readable: true): return "⟦" + escaped + "⟧"
            default: return escaped
            }
        }
    }
}

extension HTML {
    /// ` checked`, ` selected`, ` required` and the like when the condition holds.
    static func attribute(_ name: String, if condition: Bool) -> HTML {
        condition ? HTML(raw: " " + name) : .empty
    }
}
