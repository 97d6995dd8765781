import Synchronization

/// Translates the literal parts of a view's markup as the page is drawn.
///
/// A literal is split into markup and text: text between tags, and the values of the attributes
/// people read (`aria-label`, `title`, `placeholder`, `alt`, `data-label`). Each run of text with
/// a letter in it is looked up in the catalogue as one key, its spacing kept. Interpolated values
/// are never looked at: only what the view's author wrote is translated, never a client's data.
///
/// A literal can end inside a tag or an attribute (`<a href="\(path)">`), so where the last one
/// ended is carried to the next. Results are kept per literal, start and language: a page is
/// drawn from the same few hundred literals over and over.
struct LiteralTranslator {
    enum Place: Hashable, Sendable {
        case text
        case tag(attribute: String)
        case value(quote: Character, readable: Bool)
    }

    /// Attributes whose values people read or hear.
    static let readableAttributes: Set<String> = ["aria-label", "title", "placeholder", "alt", "data-label", "data-confirm"]

    private struct Key: Hashable {
        let literal: String
        let start: Place
        let language: Language
    }

    private static let cache = Mutex<[Key: (String, Place)]>([:])

    /// The literal in `language`, and where it leaves the markup.
    static func translate(_ literal: String, from start: Place, into language: Language) -> (String, Place) {
        let key = Key(literal: literal, start: start, language: language)
        if let known = cache.withLock({ $0[key] }) { return known }
        let result = walk(literal, from: start, language: language)
        // The pseudo-language records what it sees: it is drawn afresh each time.
        if language != .pseudo { cache.withLock { $0[key] = result } }
        return result
    }

    private static func walk(_ literal: String, from start: Place, language: Language) -> (String, Place) {
        var out = ""
        var run = ""
        var place = start == .text && startsWithAttribute(literal) ? .tag(attribute: "") : start
        func flush(readable: Bool) {
            out += readable ? translatedRun(run, language) : run
            run = ""
        }
        for character in literal {
            switch place {
            case .text:
                if character == "<" {
                    flush(readable: true)
                    out.append(character)
                    place = .tag(attribute: "")
                } else {
                    run.append(character)
                }
            case .tag(let attribute):
                out.append(character)
                switch character {
                case ">": place = .text
                case "\"", "'": place = .value(quote: character, readable: readableAttributes.contains(attribute.lowercased()))
                case " ", "\n", "\t", "/": place = .tag(attribute: "")
                case "=": break
                default: place = .tag(attribute: attribute + String(character))
                }
            case .value(let quote, let readable):
                if character == quote {
                    flush(readable: readable)
                    out.append(character)
                    place = .tag(attribute: "")
                } else {
                    run.append(character)
                }
            }
        }
        if case .value(_, let readable) = place { flush(readable: readable) } else { flush(readable: place == .text) }
        return (out, place)
    }

    /// A run of text translated, with the spacing around it kept and inner spacing made single.
    private static func translatedRun(_ run: String, _ language: Language) -> String {
        guard hasWords(run) else { return run }
        let leading = run.prefix { $0.isWhitespace }
        let trailing = String(run.reversed().prefix { $0.isWhitespace }.reversed())
        let words = run.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return leading + Catalogue.translate(words, into: language) + trailing
    }

    /// Whether a literal is a piece of a tag (` class="x"`, ` aria-describedby="`) written apart
    /// from its tag: a space, then a name and `=`. Text never starts so.
    static func startsWithAttribute(_ literal: String) -> Bool {
        guard literal.first == " " else { return false }
        let name = literal.dropFirst().prefix { $0.isLetter || $0 == "-" }
        return !name.isEmpty && literal.dropFirst(1 + name.count).first == "="
    }

    /// Whether a run holds a word: a letter outside character references such as `&amp;`.
    static func hasWords(_ run: String) -> Bool {
        var inReference = false
        for character in run {
            if character == "&" { inReference = true; continue }
            if inReference {
                if character == ";" {
                    inReference = false
                } else if !(character.isLetter || character.isNumber || character == "#") {
                    inReference = false
                }
                continue
            }
            if character.isLetter { return true }
        }
        return false
    }
}
