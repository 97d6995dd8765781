import Synchronization

/// Every string a page shows, in each language. English is the key: what a page says in
/// English is written once, in the view, and looked up here for the viewer's language. A key
/// may have blanks (`%1`, `%2`…), filled in order by `say`.
///
/// Text reaches the catalogue two ways. Literal text in a view's markup (`"<h1>Clients</h1>"`)
/// is translated as the page is drawn (`HTML.Interpolation`, `LiteralTranslator`), so views
/// read as plain English HTML. Strings chosen in code (a status's name, a field's label, a
/// notice) go through `say`.
enum Catalogue {
    /// A key in a language: English as written, French from its catalogue (English where a key has
    /// none yet), the pseudo-language bracketed and recorded.
    static func translate(_ english: String, into language: Language) -> String {
        switch language {
        case .en: return english
        case .fr: return French.words[english] ?? english
        case .pseudo:
            seen.withLock { $0.insert(english) }
            return "⟪" + english + "⟫"
        }
    }

    /// Keys drawn in the pseudo-language: what the pages walked actually use.
    static let seen = Mutex<Set<String>>([])

    /// The blanks a sentence has, in order of number: `["%1", "%2"]`.
    static func blanks(_ text: String) -> [String] {
        (1...9).map { "%\($0)" }.filter(text.contains)
    }
}

/// Words that are the same in every language (a language's own name, a code): in the
/// pseudo-language they are marked as meant to stay as they are.
func verbatim(_ text: String) -> String { Viewer.language == .pseudo ? "⦃" + text + "⦄" : text }

/// A message written elsewhere (a server error's detail, a rule's explanation): in the viewer's
/// language where the catalogue has it, else as written, marked in the pseudo-language as
/// deliberately left (many carry values, such as an id, that no catalogue holds).
func sayIfKnown(_ text: String) -> String {
    switch Viewer.language {
    case .en: return text
    case .fr: return French.words[text] ?? text
    case .pseudo: return French.words[text] != nil ? say(text) : verbatim(text)
    }
}

/// A sentence of the catalogue in the viewer's language, with its blanks filled.
func say(_ english: String) -> String { Catalogue.translate(english, into: Viewer.language) }

func say(_ english: String, _ values: String...) -> String { say(english, values) }

/// The same with numbers and other values in the blanks.
func say(_ english: String, _ values: any CustomStringConvertible...) -> String { say(english, values.map(\.description)) }

/// A sentence of the catalogue whose blanks hold markup (a time, a link, a badge).
func say(_ english: String, _ values: HTML...) -> HTML {
    HTML(raw: Catalogue.fill(HTML.escape(Catalogue.translate(english, into: Viewer.language)), values.map(\.text)))
}

func say(_ english: String, _ values: [String]) -> String {
    let language = Viewer.language
    // In the pseudo-language the blanks' values are marked as data, to be checked as data.
    return Catalogue.fill(Catalogue.translate(english, into: language), language == .pseudo ? values.map { "⟦" + $0 + "⟧" } : values)
}

extension Catalogue {
    /// `%1`… replaced by the values, in one pass (a value holding "%2" stays as it is).
    static func fill(_ text: String, _ values: [String]) -> String {
        guard !values.isEmpty else { return text }
        var out = ""
        var rest = Substring(text)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let after = rest.index(after: percent)
            if after < rest.endIndex, let digit = rest[after].wholeNumberValue, digit >= 1, digit <= values.count {
                out += values[digit - 1]
                rest = rest[rest.index(after: after)...]
            } else {
                out += "%"
                rest = rest[after...]
            }
        }
        return out + rest
    }
}

/// Words a component shows (a label, a hint, an option): written as a literal, it is a key of the
/// catalogue, translated where the page is drawn; `said:` takes words already in the viewer's
/// language (a status's name, a sentence with its blanks filled). A `String` variable is neither,
/// so text cannot reach a component without having been through the catalogue.
struct Phrase: ExpressibleByStringLiteral, Sendable, Hashable {
    let text: String
    init(stringLiteral key: String) { text = say(key) }
    init(said text: String) { self.text = text }
}
