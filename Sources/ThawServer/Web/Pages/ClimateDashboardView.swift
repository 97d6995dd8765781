import Foundation
import ThawCore
import ThawStorage

/// The partnership leads' dashboard: the network map for one period, the
/// network's climate over time, partnerships cooling now, and every tie.
struct ClimateDashboardView {
    var period: ClimatePeriod
    var selected: CalendarDate
    var network: [NetworkPeriod]
    var segments: [FreezeThaw.Segment]
    var ties: [NetworkTie]
    var cooling: [CoolingPartnership]
    var organizations: [Organization]
    var events: [OutsideEvent]
    var weights: ClimateWeights

    private var names: [ID<Organization>: String] { Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.name) }) }

    func render() -> HTML {
        let current = network.last { $0.start <= selected }
        return """
            <h1>Integration climate</h1>
            <p class="hint">Measured from the daily work between organisations: who reaches out, who answers in time, promises kept, feedback taken up. Weights: \(ClimateWords.weights(weights)).</p>
            \(periodForm)
            <div class="columns">
            <div>
            <section class="panel" aria-labelledby="map-heading"><h2 id="map-heading">The network in \(ClimateWords.month(selected, period))</h2>
            \(ClimateCharts.networkMap(nodes: organizations.map { .init(id: $0.id, name: $0.name, sector: $0.sector) }, ties: mapTies,
                                   link: { WebPath.climatePair($0, $1) },
                                   caption: Phrase(said: ties.count > mapTies.count
                                       ? say("The %1 busiest of %2 ties between organisations in %3.", mapTies.count, ties.count, ClimateWords.month(selected, period))
                                       : say("Ties between organisations in %1.", ClimateWords.month(selected, period)))))
            </section>
            <section class="panel" aria-labelledby="trend-heading"><h2 id="trend-heading">The network over time</h2>
            \(trendChart)
            </section>
            </div>
            <div>
            \(measuresPanel(current))
            \(coolingPanel)
            </div>
            </div>
            \(tiesTable)
            """
    }

    private var periodForm: HTML {
        """
        <form method="get" action="\(WebPath.climate)" class="inline-form">
        <label for="period">Period</label> <select id="period" name="period"><option value="month"\(HTML.attribute("selected", if: period == .month))>Month</option><option value="week"\(HTML.attribute("selected", if: period == .week))>Week</option></select>
        <label for="at">Showing</label> <input id="at" name="at" type="date" value="\(selected.description)">
        <button type="submit" class="button-secondary">Show</button>
        <a href="\(WebPath.climateTiesCSV)?period=\(period)&amp;at=\(selected.description)">Download the ties (CSV)</a>
        </form>
        """
    }

    private func measuresPanel(_ p: NetworkPeriod?) -> HTML {
        guard let p else { return .empty }
        return """
            <section class="panel" aria-labelledby="measures-heading"><h2 id="measures-heading">Network measures</h2>
            <dl class="facts">
            <dt>Tie-weighted index</dt><dd>\(ClimateWords.index(p.tieWeightedIndex))</dd>
            <dt>Ties</dt><dd>\(p.ties)</dd>
            <dt>Density</dt><dd>\(ClimateWords.share(p.measures.density)) <span class="muted">of all possible pairs</span></dd>
            <dt>Degree centralisation</dt><dd>\(ClimateWords.share(p.measures.degreeCentralisation)) <span class="muted">(1 = a star around one hub)</span></dd>
            <dt>Directness</dt><dd>\(ClimateWords.share(p.measures.directness)) <span class="muted">of primary-care ↔ central-system pairs tied directly</span></dd>
            </dl></section>
            """
    }

    private var coolingPanel: HTML {
        let items = cooling.map { c -> HTML in
            let what =
                c.reason == .quiet
                ? say("no contact since %1", ClimateWords.month(c.since, period)) : say("falling since %1", ClimateWords.month(c.since, period))
            return """
                <li><a href="\(WebPath.climatePair(c.organizationIds[0], c.organizationIds[1]))">\(c.names.joined(separator: " – "))</a>
                <span class="cooling-note">↓ \(what): usual \(Int(c.usualIndex.rounded())), latest \(c.latestIndex.map { String(Int($0.rounded())) } ?? "none")</span></li>
                """
        }
        return """
            <section class="panel" aria-labelledby="cooling-heading"><h2 id="cooling-heading">Cooling now</h2>
            \(cooling.isEmpty ? HTML(stringLiteral: "<p>No partnership is cooling now.</p>") : "<ul class=\"plain\">\(items)</ul>")
            <p class="hint">A fall below the level of the year before, in the last three whole periods (CUSUM), or regular contact that stopped.</p>
            </section>
            """
    }

    private var trendChart: HTML {
        let values = network.map(\.tieWeightedIndex)
        let positions = values.indices.filter { values[$0] != nil }
        let bands = segments.map { ClimateCharts.Band(from: positions[$0.start], to: positions[$0.end - 1] + 1, direction: $0.direction) }
        let markers = PairClimateView.markers(events.map { ($0.occurredOn, $0.title) }, periods: network.map { ($0.start, $0.end) })
        return ClimateCharts.timeline(
            values: values, labels: network.map { ClimateWords.month($0.start, period) }, bands: bands, markers: markers,
            caption:
                Phrase(
                    said: say(
                        "Tie-weighted index of the network, %1 to %2.", ClimateWords.month(network.first?.start ?? selected, period),
                        ClimateWords.month(network.last?.start ?? selected, period)))
        )
    }

    /// Ties shown in the table; the CSV has every one.
    static let tableLimit = 50
    /// Ties drawn on the map: the busiest, so a large network stays readable (and the page light).
    static let mapLimit = 600

    private var mapTies: [NetworkTie] {
        ties.count <= Self.mapLimit ? ties : Array(ties.sorted { $0.interactions > $1.interactions }.prefix(Self.mapLimit))
    }

    private var tiesTable: HTML {
        let coldest = ties.sorted { ($0.index ?? -1, $0.organizationIds[0].raw) < ($1.index ?? -1, $1.organizationIds[0].raw) }
        let names = self.names  // built once, not for every row
        let rows = coldest.prefix(Self.tableLimit).map { tie -> HTML in
            """
            <tr><td data-label="Partnership"><a href="\(WebPath.climatePair(tie.organizationIds[0], tie.organizationIds[1]))">\(names[tie.organizationIds[0]] ?? "") – \(names[tie.organizationIds[1]] ?? "")</a></td>
            <td data-label="Index">\(ClimateWords.index(tie.index))</td><td data-label="Interactions">\(tie.interactions)</td></tr>
            """
        }
        return """
            <section aria-labelledby="ties-heading"><h2 id="ties-heading">\(ties.count > Self.tableLimit ? say("The %1 coldest of %2 ties in %3, coldest first", Self.tableLimit, ties.count, ClimateWords.month(selected, period)) : say("Every tie in %1, coldest first", ClimateWords.month(selected, period)))</h2>
            \(ties.count > Self.tableLimit ? "<p class=\"hint\">Every tie is in the CSV download above.</p>" as HTML : "")
            <table class="stack"><caption class="visually-hidden">Ties, their index and interactions</caption>
            <thead><tr><th scope="col">Partnership</th><th scope="col">Index</th><th scope="col">Interactions</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }
}
