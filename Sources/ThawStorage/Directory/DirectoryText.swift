import Foundation

/// Text as directory search compares it: lower case, accents folded (é → e), split into words.
/// Folded here, before either database sees it, so SQLite and PostgreSQL search the same words.
enum DirectoryText {
    static func fold(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }

    static func words(_ text: String) -> [String] { split(fold(text)) }

    /// The words of text already folded (as the search index stores it).
    static func split(_ folded: String) -> [String] {
        folded.unicodeScalars.split { !CharacterSet.alphanumerics.contains($0) }.map { String(String.UnicodeScalarView($0)) }
    }

    /// Whether a query word finds a word of the text: as a prefix (`counsel` finds `counselling`),
    /// or sharing all but a short ending with it (`counselling` finds `counsellor`), as stemming does.
    static func finds(_ query: String, in word: String) -> Bool {
        if word.hasPrefix(query) { return true }
        let shared = zip(query, word).prefix { $0 == $1 }.count
        return shared >= max(4, query.count - 3)
    }
}
