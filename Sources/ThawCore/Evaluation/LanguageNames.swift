/// The client's preferred language as a report shows it. The field is typed by people, so
/// only something shaped like a language tag (`fr`, `pa-IN`) is named; anything else is
/// counted as not coded, so free text never reaches a report.
public enum LanguageNames {
    static let known = [
        "en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic", "zh": "Chinese", "pa": "Punjabi", "tl": "Tagalog",
        "uk": "Ukrainian", "pt": "Portuguese", "it": "Italian", "de": "German", "hi": "Hindi", "ur": "Urdu", "fa": "Persian",
        "ru": "Russian", "ko": "Korean", "vi": "Vietnamese", "so": "Somali", "ti": "Tigrinya", "am": "Amharic", "cr": "Cree",
        "oj": "Ojibwe", "iu": "Inuktitut"
    ]
    public static let notCoded = "Not coded"

    public static func name(of raw: String) -> String {
        let tag = raw.trimmingWhitespace.lowercased()
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard tag.count <= 12, let primary = parts.first, (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        else { return notCoded }
        return known[String(primary)] ?? String(primary)
    }
}
