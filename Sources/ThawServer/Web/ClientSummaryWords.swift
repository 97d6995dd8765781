import ThawCore

/// What a client reads about their own referral, in English or French (Canada's official
/// languages): every sentence of the printed summary and the reminder email, in both.
enum ClientSummaryWords {
    enum Language: String, CaseIterable {
        case en, fr

        /// The client's preferred language where we write it, else English.
        init(preferred: String?) { self = preferred?.lowercased().hasPrefix("fr") == true ? .fr : .en }
    }

    private static let monthsEN = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"
    ]
    private static let monthsFR = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"
    ]

    /// "7 December 2026", "7 décembre 2026".
    static func date(_ date: CalendarDate, french: Bool) -> String {
        "\(date.day)\(french && date.day == 1 ? "er" : "") \((french ? monthsFR : monthsEN)[date.month - 1]) \(date.year)"
    }

    /// A wall-clock time, "9:05", "14:30", from minutes past midnight.
    static func clock(_ minutes: Int) -> String { "\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)" }

    static func need(_ need: NeedCategory, _ language: Language) -> String {
        guard language == .fr else { return need.title.lowercased() }
        switch need {
        case .housing: return "le logement"
        case .food: return "l’alimentation"
        case .transportation: return "le transport"
        case .utilities: return "les factures de chauffage et d’électricité"
        case .personalSafety: return "la sécurité personnelle"
        case .employment: return "l’emploi"
        case .income: return "le revenu"
        case .childcare: return "la garde d’enfants"
        case .socialIsolation: return "l’isolement social"
        case .mentalHealth: return "la santé mentale"
        }
    }

    /// The sentences of the summary, keyed, in each language; `%1`… are filled in order.
    static let catalogue: [Language: [String: String]] = [
        .en: [
            "title": "Your referral",
            "referred": "We referred you to %1 for help with %2.",
            "service": "The service is called %1.",
            "expect-requested": "They will contact you. If you have not heard from them by %1, please call us.",
            "expect-accepted": "They have accepted your referral and will be in touch with you.",
            "expect-on-hold": "Your referral is waiting for now. We will tell you when it moves.",
            "expect-closed": "This referral is closed.",
            "appointment": "Your appointment: %1 at %2, at %3.",
            "reminder": "We will email you a reminder the day before.",
            "contact": "Questions? Contact %1 at %2.",
            "printed": "Printed on %1.",
            "other-language": "Version française"
        ],
        .fr: [
            "title": "Votre orientation",
            "referred": "Nous vous avons orienté vers %1 pour de l’aide concernant %2.",
            "service": "Le service s’appelle %1.",
            "expect-requested": "On communiquera avec vous. Si vous n’avez pas de nouvelles d’ici le %1, appelez-nous.",
            "expect-accepted": "Votre demande a été acceptée; on communiquera avec vous.",
            "expect-on-hold": "Votre demande est en attente pour l’instant. Nous vous dirons quand elle avancera.",
            "expect-closed": "Cette orientation est terminée.",
            "appointment": "Votre rendez-vous : le %1 à %2, à l’adresse suivante : %3.",
            "reminder": "Nous vous enverrons un rappel par courriel la veille.",
            "contact": "Des questions? Communiquez avec %1, %2.",
            "printed": "Imprimé le %1.",
            "other-language": "English version"
        ]
    ]

    /// A sentence of the catalogue with its blanks filled.
    static func text(_ key: String, _ language: Language, _ values: String...) -> String { text(key, language, values) }

    static func text(_ key: String, _ language: Language, _ values: [String]) -> String {
        var text = catalogue[language]?[key] ?? catalogue[.en]?[key] ?? key
        for (index, value) in values.enumerated() { text = text.replacingOccurrences(of: "%\(index + 1)", with: value) }
        return text
    }
}
