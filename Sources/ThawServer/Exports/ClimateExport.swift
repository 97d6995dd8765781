import Foundation
import ThawCore
import ThawStorage

/// The climate as CSV (for the pages' downloads and `thaw climate report --csv`)
/// and as a terminal report: one place, so the numbers agree everywhere.
public enum ClimateExport {
    static let countColumns = [
        "a to b", "b to a", "formal", "informal", "referral", "kept", "missed", "answered", "adopted", "on time", "late", "with notice", "surprises"
    ]

    static func format(_ value: Double?, digits: Int = 3) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }

    static func counts(_ c: PairCounts, flipped: Bool) -> [Int] {
        [
            flipped ? c.hiToLo : c.loToHi, flipped ? c.loToHi : c.hiToLo, c.formal, c.informal, c.referral, c.kept, c.missed, c.answered, c.adopted,
            c.onTime, c.late, c.noticed, c.surprised
        ]
    }

    /// One row per period: the index, every component, and the counts behind them,
    /// with a → b meaning from the first organisation named to the second.
    public static func pairCSV(_ a: Organization, _ b: Organization, _ periods: [PeriodClimate]) -> String {
        let flipped = b.id.raw < a.id.raw
        return CSV.document(
            header: ["organisation a", "organisation b", "period start", "period end", "index"] + ClimateWeights.names
                + countColumns + ["people", "weeks with contact", "weeks in period"],
            rows: periods.map { p in
                [a.name, b.name, p.start.description, p.end.description, format(p.index, digits: 1)]
                    + ClimateWeights.names.map { format(p.components.value(named: $0)) }
                    + counts(p.counts, flipped: flipped).map(String.init) + [String(p.people), String(p.weeksWithContact), String(p.weeksInPeriod)]
            })
    }

    /// Every tie of one period: the pair, its interactions and index.
    public static func tiesCSV(_ ties: [NetworkTie], names: [ID<Organization>: String], period: CalendarDate) -> String {
        CSV.document(
            header: ["period start", "organisation a", "organisation b", "interactions", "index"],
            rows: ties.map { tie in
                [
                    period.description, names[tie.organizationIds[0]] ?? tie.organizationIds[0].raw,
                    names[tie.organizationIds[1]] ?? tie.organizationIds[1].raw,
                    String(tie.interactions), format(tie.index, digits: 1)
                ]
            })
    }

    /// The terminal report: the network per period, partnerships cooling now, and the coldest and warmest ties of the last period.
    public static func report(network: [NetworkPeriod], cooling: [CoolingPartnership], ties: [NetworkTie], names: [ID<Organization>: String])
        -> String
    {
        var out = [
            "Integration climate", "", "Network, month by month:",
            "  period       ties  index  density  centralisation  directness"
        ]
        for p in network {
            out.append(
                "  "
                    + [
                        p.start.description.padding(toLength: 11, withPad: " ", startingAt: 0),
                        String(p.ties).leftPadded(5), format(p.tieWeightedIndex, digits: 1).leftPadded(6),
                        format(p.measures.density).leftPadded(8), format(p.measures.degreeCentralisation).leftPadded(15),
                        format(p.measures.directness).leftPadded(11)
                    ].joined(separator: " "))
        }
        out += ["", cooling.isEmpty ? "No partnership is cooling now." : "Cooling now:"]
        for c in cooling {
            let what = c.reason == .quiet ? "no contact since \(c.since)" : "falling since \(c.since)"
            out.append(
                "  \(c.names.joined(separator: " – ")): \(what); usual \(format(c.usualIndex, digits: 0)), latest \(c.latestIndex.map { format($0, digits: 0) } ?? "none")"
            )
        }
        let ranked = ties.filter { $0.index != nil }.sorted { $0.index! < $1.index! }
        if let last = network.last, !ranked.isEmpty {
            out += ["", "Ties in the month from \(last.start), coldest first:"]
            let shown = ranked.count <= 10 ? ranked : Array(ranked.prefix(5) + ranked.suffix(5))
            for tie in shown {
                out.append(
                    "  \(format(tie.index, digits: 0).leftPadded(3))  \(names[tie.organizationIds[0]] ?? "") – \(names[tie.organizationIds[1]] ?? "") (\(tie.interactions) interactions)"
                )
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
