import Foundation
import ThawCore
import ThawStorage

/// One partnership's climate: the index over time with its freezes and thaws
/// and the events around them, what moved it in the last period, and every
/// period's components and the counts behind them.
struct PairClimateView {
    var a: Organization, b: Organization
    var history: PairClimateHistory
    var period: ClimatePeriod
    var weights: ClimateWeights
    var events: [OutsideEvent]
    /// Policy moves one of the two made that affected the other (only for people of either).
    var policyMoves: [PolicyMove] = []
    /// Motions and proposals the two took part in that were brought back after failing (only for people of either).
    var perseverance: [PerseveranceThread] = []
    /// The organisation on the other side when the viewer belongs to the pair (its ledger entries can be opened).
    var otherForViewer: ID<Organization>?
    var today: CalendarDate
    /// The last period of the range before this one, and of the one after (nil when this one reaches today).
    var earlier: CalendarDate? = nil
    var later: CalendarDate? = nil

    var whole: [PeriodClimate] { history.periods.filter { $0.end <= today } }

    func render() -> HTML {
        let latest = whole.last
        return """
            <h1>Climate: \(a.name) and \(b.name)</h1>
            <p class="hint">Weights: \(ClimateWords.weights(weights)). Penalty for change points \(String(format: "%.2f", history.penalty)), shortest segment \(history.minSize) periods.
            <a href="\(WebPath.climate)">Back to the network</a> · <a href="\(WebPath.climatePairCSV(a.id, b.id))?period=\(period)">Download every period (CSV)</a>
            \(earlier.map { " · <a href=\"\(WebPath.climatePair(a.id, b.id))?period=\(period)&amp;at=\($0.description)\">Earlier</a>" as HTML } ?? .empty)\
            \(later.map { " · <a href=\"\(WebPath.climatePair(a.id, b.id))?period=\(period)&amp;at=\($0.description)\">Later</a>" as HTML } ?? .empty)</p>
            \(coolingNotice)
            <div class="columns">
            <section class="panel" aria-labelledby="chart-heading"><h2 id="chart-heading">Over time</h2>\(chart)</section>
            <div>
            <section class="panel" aria-labelledby="latest-heading"><h2 id="latest-heading">\(period == .month ? say("Latest whole month") : say("Latest whole week"))\(latest.map { ": " + ClimateWords.month($0.start, period) } ?? "")</h2>
            <p class="big-index">\(ClimateWords.index(latest?.index))</p>
            </section>
            \(changesPanel)
            </div>
            </div>
            <section aria-labelledby="moved-heading"><h2 id="moved-heading">What moved it</h2>\(movedPanel)</section>
            \(surveyPanel)
            \(surprisesPanel)
            \(perseverancePanel)
            \(periodsTable)
            """
    }

    private var coolingNotice: HTML {
        guard let cooling = history.cooling else { return .empty }
        let what =
            cooling.reason == .quiet
            ? "There has been no contact since \(ClimateWords.month(cooling.since, period))"
            : say(
                "The climate has been falling since %1: usually %2, now %3.", ClimateWords.month(cooling.since, period),
                Int(cooling.usualIndex.rounded()),
                cooling.latestIndex.map { String(Int($0.rounded())) } ?? say("none"))
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
        return ClimateCharts.timeline(
            values: periods.map(\.index), labels: periods.map { ClimateWords.month($0.start, period) }, bands: bands,
            markers: Self.markers(events.map { ($0.occurredOn, $0.title) } + surprises, periods: periods.map { ($0.start, $0.end) }),
            caption: Phrase(said: say("Index of %1 and %2, 0 (frozen) to 100 (warm).", a.name, b.name)))
    }

    /// Events (and surprises) placed within the period they fell in, each a day and a title.
    static func markers(_ events: [(on: CalendarDate, title: String)], periods: [(start: CalendarDate, end: CalendarDate)]) -> [ClimateCharts.Marker]
    {
        events.compactMap { on, title in
            guard let i = periods.firstIndex(where: { $0.start <= on && on < $0.end }) else { return nil }
            let span = Double(periods[i].end.startOfDay.millis - periods[i].start.startOfDay.millis)
            let into = Double(on.startOfDay.millis - periods[i].start.startOfDay.millis)
            return ClimateCharts.Marker(position: Double(i) + into / span, title: "\(on): \(title)")
        }
    }

    private var changesPanel: HTML {
        let changes = history.segments.filter { $0.direction != nil }
        let items = changes.map { segment -> HTML in
            let before = history.segments.last { $0.end <= segment.start }
            let events = segment.eventsNearStart.map {
                "<li>\(Components.date($0.occurredOn)) \(PartnershipWords.event($0.kind)): \($0.title)</li>" as HTML
            }
            return """
                <li>\(say(
                    "%1 from %2: mean index %3 → %4", HTML("<strong>\(segment.direction == .freeze ? say("❄ Freeze") : say("☀ Thaw"))</strong>"),
                    HTML("\(ClimateWords.month(segment.start, period))"), HTML("\(before.map { String(Int($0.meanIndex.rounded())) } ?? "—")"),
                    HTML("\(Int(segment.meanIndex.rounded()))")))
                \(events.isEmpty ? HTML(stringLiteral: "<p class=\"hint\">No outside event recorded near it.</p>") : "<p class=\"hint\">Near it:</p><ul>\(events)</ul>")</li>
                """
        }
        return """
            <section class="panel" aria-labelledby="changes-heading"><h2 id="changes-heading">Freezes and thaws</h2>
            \(changes.isEmpty ? HTML(stringLiteral: "<p>No change point: the climate held steady over this range.</p>") : "<ol class=\"changes\">\(items)</ol>")
            <p class="hint">Change points by PELT on the index; events from one period before to one after each are shown beside it.</p>
            </section>
            """
    }

    /// Components of the latest whole period against the one before, biggest change first, with their inputs.
    private var movedPanel: HTML {
        guard let latest = whole.last else { return "<p>No whole period yet.</p>" }
        let previous = whole.dropLast().last
        let rows = ClimateWords.components.map { component -> (HTML, Double) in
            let now = ClimateWords.value(latest.components, component.key),
                before = previous.map { ClimateWords.value($0.components, component.key) } ?? nil
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
            <p class="hint">\(ClimateWords.month(latest.start, period)) against \(previous.map { ClimateWords.month($0.start, period) } ?? say("nothing before it")), the biggest weighted change first.</p>
            <table class="stack"><caption class="visually-hidden">Components now and in the period before</caption>
            <thead><tr><th scope="col">Component</th><th scope="col">Before</th><th scope="col">Now</th><th scope="col">Weight</th><th scope="col">Inputs now</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    private func inputs(_ key: String, _ p: PeriodClimate) -> String {
        let c = p.counts, flipped = b.id.raw < a.id.raw
        let (ab, ba) = flipped ? (c.hiToLo, c.loToHi) : (c.loToHi, c.hiToLo)
        switch key {
        case "reciprocity": return say("%1 from %2, %3 from %4", ab, a.name, ba, b.name)
        case "responsiveness": return say("%1 in time, %2 late or overdue", c.onTime, c.late)
        case "followThrough": return say("%1 kept, %2 missed or walked out on", c.kept, c.missed)
        case "openness": return say("%1 of %2 feedback items taken up", c.adopted, c.answered)
        case "channelMix": return say("%1 formal, %2 informal", c.formal, c.informal)
        case "notice": return say("%1 with notice, %2 surprises", c.noticed, c.surprised)
        case "continuity": return say("%1 of %2 weeks", p.weeksWithContact, p.weeksInPeriod)
        case "breadth": return Words.count(p.people, one: "%1 person", many: "%1 people")
        default: return p.surveyRound.map { say("pulse survey round %1", $0.raw) } ?? say("no closed round with three respondents")
        }
    }

    private var periodsTable: HTML {
        let rows = history.periods.reversed().map { p -> HTML in
            let cells = ClimateWords.components.map {
                "<td data-label=\"\($0.label)\">\(ClimateWords.share(ClimateWords.value(p.components, $0.key)))</td>" as HTML
            }
            let entries: HTML =
                otherForViewer.map { other in
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
            <p class="hint">Each component runs from 0 to 1; the index is their weighted mean, 0 to 100, over the components with data.\(otherForViewer == nil ? say(" The ledger entries behind each period are open to people of the two organisations.") : "")</p>
            <div class="scroll"><table class="stack"><caption class="visually-hidden">Components and index per period</caption>
            <thead><tr><th scope="col">Period</th><th scope="col">Index</th>\(headers)<th scope="col">Interactions</th><th scope="col">Ledger</th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            """
    }
}
