import Foundation
import ThawCore
import ThawStorage

/// Shared words and cells of the climate pages.
enum ClimateWords {
    static let components: [(key: String, label: String, what: String)] = [
        ("reciprocity", "Reciprocity", "both sides reach out, not just one"),
        ("responsiveness", "Responsiveness", "answers within the agreed time"),
        ("followThrough", "Follow-through", "commitments kept"),
        ("openness", "Openness", "feedback adopted or adapted"),
        ("channelMix", "Channel mix", "formal and informal contact both used"),
        ("continuity", "Continuity", "weeks with any contact"),
        ("breadth", "Breadth", "how many people take part"),
        ("survey", "Survey", "how they rate each other in pulse surveys"),
    ]

    static func value(_ c: ClimateComponents, _ key: String) -> Double? {
        switch key {
        case "reciprocity": return c.reciprocity
        case "responsiveness": return c.responsiveness
        case "followThrough": return c.followThrough
        case "openness": return c.openness
        case "channelMix": return c.channelMix
        case "continuity": return c.continuity
        case "breadth": return c.breadth
        default: return c.survey
        }
    }

    /// An index in words as well as a number, so colour is never the only cue.
    static func band(_ index: Double?) -> String {
        guard let index else { return "no data" }
        switch index {
        case ..<35: return "cold"
        case ..<55: return "cool"
        case ..<75: return "mild"
        default: return "warm"
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
        if weights == .equal { return "every component with data counts the same" }
        return ClimateWeights.names.map { "\($0) \(String(format: "%g", weights.weights[$0] ?? 0))" }.joined(separator: ", ")
    }
}

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
                                   caption: ties.count > mapTies.count ? "The \(mapTies.count) busiest of \(ties.count) ties between organisations in \(ClimateWords.month(selected, period))."
                                                                        : "Ties between organisations in \(ClimateWords.month(selected, period))."))
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
            let what = c.reason == .quiet ? "no contact since \(ClimateWords.month(c.since, period))" : "falling since \(ClimateWords.month(c.since, period))"
            return """
            <li><a href="\(WebPath.climatePair(c.organizationIds[0], c.organizationIds[1]))">\(c.names.joined(separator: " – "))</a>
            <span class="cooling-note">↓ \(what): usual \(Int(c.usualIndex.rounded())), latest \(c.latestIndex.map { String(Int($0.rounded())) } ?? "none")</span></li>
            """
        }
        return """
        <section class="panel" aria-labelledby="cooling-heading"><h2 id="cooling-heading">Cooling now</h2>
        \(cooling.isEmpty ? HTML(raw: "<p>No partnership is cooling now.</p>") : "<ul class=\"plain\">\(items)</ul>")
        <p class="hint">A fall below the level of the year before, in the last three whole periods (CUSUM), or regular contact that stopped.</p>
        </section>
        """
    }

    private var trendChart: HTML {
        let values = network.map(\.tieWeightedIndex)
        let positions = values.indices.filter { values[$0] != nil }
        let bands = segments.map { ClimateCharts.Band(from: positions[$0.start], to: positions[$0.end - 1] + 1, direction: $0.direction) }
        let markers = PairClimateView.markers(events, periods: network.map { ($0.start, $0.end) })
        return ClimateCharts.timeline(values: values, labels: network.map { ClimateWords.month($0.start, period) }, bands: bands, markers: markers,
                                      caption: "Tie-weighted index of the network, \(ClimateWords.month(network.first?.start ?? selected, period)) to \(ClimateWords.month(network.last?.start ?? selected, period)).")
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
        let rows = coldest.prefix(Self.tableLimit).map { tie -> HTML in
            """
            <tr><td data-label="Partnership"><a href="\(WebPath.climatePair(tie.organizationIds[0], tie.organizationIds[1]))">\(names[tie.organizationIds[0]] ?? "") – \(names[tie.organizationIds[1]] ?? "")</a></td>
            <td data-label="Index">\(ClimateWords.index(tie.index))</td><td data-label="Interactions">\(tie.interactions)</td></tr>
            """
        }
        return """
        <section aria-labelledby="ties-heading"><h2 id="ties-heading">\(ties.count > Self.tableLimit ? "The \(Self.tableLimit) coldest of \(ties.count) ties" : "Every tie") in \(ClimateWords.month(selected, period)), coldest first</h2>
        \(ties.count > Self.tableLimit ? "<p class=\"hint\">Every tie is in the CSV download above.</p>" as HTML : "")
        <table class="stack"><caption class="visually-hidden">Ties, their index and interactions</caption>
        <thead><tr><th scope="col">Partnership</th><th scope="col">Index</th><th scope="col">Interactions</th></tr></thead>
        <tbody>\(rows)</tbody></table></section>
        """
    }
}

/// One partnership's climate: the index over time with its freezes and thaws
/// and the events around them, what moved it in the last period, and every
/// period's components and the counts behind them.
struct PairClimateView {
    var a: Organization, b: Organization
    var history: PairClimateHistory
    var period: ClimatePeriod
    var weights: ClimateWeights
    var events: [OutsideEvent]
    /// The organisation on the other side when the viewer belongs to the pair (its ledger entries can be opened).
    var otherForViewer: ID<Organization>?
    var today: CalendarDate

    private var whole: [PeriodClimate] { history.periods.filter { $0.end <= today } }

    func render() -> HTML {
        let latest = whole.last
        return """
        <h1>Climate: \(a.name) and \(b.name)</h1>
        <p class="hint">Weights: \(ClimateWords.weights(weights)). Penalty for change points \(String(format: "%.2f", history.penalty)), shortest segment \(history.minSize) periods.
        <a href="\(WebPath.climate)">Back to the network</a> · <a href="\(WebPath.climatePairCSV(a.id, b.id))?period=\(period)">Download every period (CSV)</a></p>
        \(coolingNotice)
        <div class="columns">
        <section class="panel" aria-labelledby="chart-heading"><h2 id="chart-heading">Over time</h2>\(chart)</section>
        <div>
        <section class="panel" aria-labelledby="latest-heading"><h2 id="latest-heading">Latest whole \(period == .month ? "month" : "week")\(latest.map { ": " + ClimateWords.month($0.start, period) } ?? "")</h2>
        <p class="big-index">\(ClimateWords.index(latest?.index))</p>
        </section>
        \(changesPanel)
        </div>
        </div>
        <section aria-labelledby="moved-heading"><h2 id="moved-heading">What moved it</h2>\(movedPanel)</section>
        \(periodsTable)
        """
    }

    private var coolingNotice: HTML {
        guard let cooling = history.cooling else { return .empty }
        let what = cooling.reason == .quiet ? "There has been no contact since \(ClimateWords.month(cooling.since, period))"
            : "The climate has been falling since \(ClimateWords.month(cooling.since, period)): usually \(Int(cooling.usualIndex.rounded())), now \(cooling.latestIndex.map { String(Int($0.rounded())) } ?? "none")"
        return "<div class=\"notice notice-warning\" role=\"status\"><strong>Cooling.</strong> \(what).</div>"
    }

    private var chart: HTML {
        let periods = history.periods
        let positions = periods.indices.filter { periods[$0].index != nil }
        let bands = history.segments.map { segment -> ClimateCharts.Band in
            let from = periods.firstIndex { $0.start == segment.start } ?? 0
            let to = (periods.lastIndex { $0.end == segment.end } ?? positions.last ?? 0) + 1
            return ClimateCharts.Band(from: from, to: to, direction: segment.direction)
        }
        return ClimateCharts.timeline(values: periods.map(\.index), labels: periods.map { ClimateWords.month($0.start, period) }, bands: bands,
                                      markers: Self.markers(events, periods: periods.map { ($0.start, $0.end) }),
                                      caption: "Index of \(a.name) and \(b.name), 0 (frozen) to 100 (warm).")
    }

    /// Events placed within the period they fell in.
    static func markers(_ events: [OutsideEvent], periods: [(start: CalendarDate, end: CalendarDate)]) -> [ClimateCharts.Marker] {
        events.compactMap { event in
            guard let i = periods.firstIndex(where: { $0.start <= event.occurredOn && event.occurredOn < $0.end }) else { return nil }
            let span = Double(periods[i].end.startOfDay.millis - periods[i].start.startOfDay.millis)
            let into = Double(event.occurredOn.startOfDay.millis - periods[i].start.startOfDay.millis)
            return ClimateCharts.Marker(position: Double(i) + into / span, title: "\(event.occurredOn): \(event.title)")
        }
    }

    private var changesPanel: HTML {
        let changes = history.segments.filter { $0.direction != nil }
        let items = changes.map { segment -> HTML in
            let before = history.segments.last { $0.end <= segment.start }
            let events = segment.eventsNearStart.map { "<li>\(Components.date($0.occurredOn)) \(PartnershipWords.event($0.kind)): \($0.title)</li>" as HTML }
            return """
            <li><strong>\(segment.direction == .freeze ? "❄ Freeze" : "☀ Thaw")</strong> from \(ClimateWords.month(segment.start, period)):
            mean index \(before.map { String(Int($0.meanIndex.rounded())) } ?? "—") → \(Int(segment.meanIndex.rounded()))
            \(events.isEmpty ? HTML(raw: "<p class=\"hint\">No outside event recorded near it.</p>") : "<p class=\"hint\">Near it:</p><ul>\(events)</ul>")</li>
            """
        }
        return """
        <section class="panel" aria-labelledby="changes-heading"><h2 id="changes-heading">Freezes and thaws</h2>
        \(changes.isEmpty ? HTML(raw: "<p>No change point: the climate held steady over this range.</p>") : "<ol class=\"changes\">\(items)</ol>")
        <p class="hint">Change points by PELT on the index; events from one period before to one after each are shown beside it.</p>
        </section>
        """
    }

    /// Components of the latest whole period against the one before, biggest change first, with their inputs.
    private var movedPanel: HTML {
        guard let latest = whole.last else { return "<p>No whole period yet.</p>" }
        let previous = whole.dropLast().last
        let rows = ClimateWords.components.map { component -> (HTML, Double) in
            let now = ClimateWords.value(latest.components, component.key), before = previous.map { ClimateWords.value($0.components, component.key) } ?? nil
            let change = (now ?? 0) - (before ?? 0)
            let arrow = now == nil || before == nil ? "" : change > 0.005 ? "▲" : change < -0.005 ? "▼" : "="
            let row: HTML = """
                <tr><th scope="row">\(component.label)<span class="hint">\(component.what)</span></th><td data-label="Before">\(ClimateWords.share(before))</td>
                <td data-label="Now">\(ClimateWords.share(now)) \(arrow)</td><td data-label="Weight">\(String(format: "%g", weights.weights[component.key] ?? 0))</td>
                <td data-label="Inputs">\(inputs(component.key, latest))</td></tr>
                """
            return (row, now == nil || before == nil ? 0 : abs(change) * (weights.weights[component.key] ?? 0))
        }.sorted { $0.1 > $1.1 }.map(\.0)
        return """
        <p class="hint">\(ClimateWords.month(latest.start, period)) against \(previous.map { ClimateWords.month($0.start, period) } ?? "nothing before it"), the biggest weighted change first.</p>
        <table class="stack"><caption class="visually-hidden">Components now and in the period before</caption>
        <thead><tr><th scope="col">Component</th><th scope="col">Before</th><th scope="col">Now</th><th scope="col">Weight</th><th scope="col">Inputs now</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }

    private func inputs(_ key: String, _ p: PeriodClimate) -> String {
        let c = p.counts, flipped = b.id.raw < a.id.raw
        let (ab, ba) = flipped ? (c.hiToLo, c.loToHi) : (c.loToHi, c.hiToLo)
        switch key {
        case "reciprocity": return "\(ab) from \(a.name), \(ba) from \(b.name)"
        case "responsiveness": return "\(c.onTime) in time, \(c.late) late or overdue"
        case "followThrough": return "\(c.kept) kept, \(c.missed) missed"
        case "openness": return "\(c.adopted) of \(c.answered) feedback items taken up"
        case "channelMix": return "\(c.formal) formal, \(c.informal) informal"
        case "continuity": return "\(p.weeksWithContact) of \(p.weeksInPeriod) weeks"
        case "breadth": return "\(p.people) people"
        default: return p.surveyRound == nil ? "no closed round with three respondents" : "pulse survey round \(p.surveyRound!.raw)"
        }
    }

    private var periodsTable: HTML {
        let rows = history.periods.reversed().map { p -> HTML in
            let cells = ClimateWords.components.map { "<td data-label=\"\($0.label)\">\(ClimateWords.share(ClimateWords.value(p.components, $0.key)))</td>" as HTML }
            let entries: HTML = otherForViewer.map { other in
                "<a href=\"\(WebPath.pairTimeline(other))?from=\(p.start.description)&amp;to=\(p.end.description)\">entries</a>"
            } ?? HTML(raw: "")
            return """
            <tr><th scope="row">\(ClimateWords.month(p.start, period))</th><td data-label="Index">\(ClimateWords.index(p.index))</td>\(cells)
            <td data-label="Interactions">\(p.counts.interactions)</td><td data-label="Ledger">\(entries)</td></tr>
            """
        }
        let headers = ClimateWords.components.map { "<th scope=\"col\">\($0.label)</th>" as HTML }
        return """
        <section aria-labelledby="periods-heading"><h2 id="periods-heading">Every period</h2>
        <p class="hint">Each component runs from 0 to 1; the index is their weighted mean, 0 to 100, over the components with data.\(otherForViewer == nil ? " The ledger entries behind each period are open to people of the two organisations." : "")</p>
        <div class="scroll"><table class="stack"><caption class="visually-hidden">Components and index per period</caption>
        <thead><tr><th scope="col">Period</th><th scope="col">Index</th>\(headers)<th scope="col">Interactions</th><th scope="col">Ledger</th></tr></thead>
        <tbody>\(rows)</tbody></table></div></section>
        """
    }
}
