import Foundation
import ThawCore
import ThawStorage

/// Shared words and cells of the climate pages.
enum ClimateWords {
    /// The components, their names and what each measures, in the viewer's language.
    static var components: [(key: String, label: String, what: String)] { table.map { ($0.key, say($0.label), say($0.what)) } }

    private static let table: [(key: String, label: String, what: String)] = [
        ("reciprocity", "Reciprocity", "both sides reach out, not just one"),
        ("responsiveness", "Responsiveness", "answers within the agreed time"),
        ("followThrough", "Follow-through", "commitments kept, referral loops closed, no walk-outs"),
        ("openness", "Openness", "feedback adopted or adapted"),
        ("channelMix", "Channel mix", "formal and informal contact both used"),
        ("notice", "Notice", "policy moves announced in advance, no surprises"),
        ("continuity", "Continuity", "weeks with any contact"),
        ("breadth", "Breadth", "how many people take part"),
        ("survey", "Survey", "how they rate each other in pulse surveys")
    ]

    static func value(_ c: ClimateComponents, _ key: String) -> Double? { c.value(named: key) }

    /// An index in words as well as a number, so colour is never the only cue.
    static func band(_ index: Double?) -> String {
        guard let index else { return say("no data") }
        switch index {
        case ..<35: return say("cold")
        case ..<55: return say("cool")
        case ..<75: return say("mild")
        default: return say("warm")
        }
    }

    static func index(_ index: Double?) -> HTML {
        guard let index else { return "<span class=\"muted\">—</span>" }
        return "<strong>\(Int(index.rounded()))</strong> <span class=\"muted\">\(band(index))</span>"
    }

    static func share(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }

    static func month(_ day: CalendarDate, _ period: ClimatePeriod) -> String {
        period == .week ? day.description : String(day.description.prefix(7))
    }

    static func weights(_ weights: ClimateWeights) -> String {
        if weights == .equal { return say("every component with data counts the same") }
        return ClimateWeights.names.map { "\($0) \(String(format: "%g", weights.weights[$0] ?? 0))" }.joined(separator: ", ")
    }
}
