/// The languages Thaw's pages, emails and client summaries are written in: Canada's two
/// official languages. A person chooses theirs (`users.language`); a client's comes from
/// their preferred language.
enum Language: String, CaseIterable, Sendable {
    case en, fr
    /// Not for people: every string drawn from the catalogue comes out bracketed (⟪Caseload⟫), so
    /// the test that walks every page can see any text that did not go through the catalogue.
    case pseudo = "x-pseudo"

    /// The languages a person may choose.
    static let offered: [Language] = [.en, .fr]

    /// A person's or a client's stated language ("fr", "fr-CA", "French"), else English.
    init(preferred: String?) {
        let code = preferred?.lowercased() ?? ""
        self = code.hasPrefix("fr") ? .fr : .en
    }

    /// A language as a person names it, in that language.
    var ownName: String {
        switch self {
        case .en: return "English"
        case .fr: return "Français"
        case .pseudo: return "Pseudo"
        }
    }

    /// The `lang` attribute of pages in this language.
    var htmlCode: String { self == .pseudo ? "en" : rawValue }
}
