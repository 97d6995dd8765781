import Foundation
import ThawCore

/// The evaluation report as a funder reads it: the period at a glance, then the four aims
/// and the loop, each table with a chart and the period before beside it; printable, and
/// every table downloadable as CSV. Nothing on it names a client.
struct EvaluationReportView {
    var report: EvaluationReport
    var organizations: [Organization]
    /// The query string of this report (from, until, organization), for the download links.
    var query: String

    static let sections: [(ReportTable.Section, String)] = [
        (.headline, "At a glance"), (.populationHealth, "Population health"), (.patientExperience, "Patient experience"),
        (.providerExperience, "Provider experience"), (.costAndEffort, "Cost and effort"), (.loop, "The loop")
    ]

    func render() -> HTML {
        let scope = report.organizationName.map { say("Limited to %1", $0) } ?? say("The whole network")
        let body: [HTML] = Self.sections.map { section, title in
            let tables = report.tables.filter { $0.section == section }
            return """
                <section class="panel report-section" aria-labelledby="s-\(section.rawValue)"><h2 id="s-\(section.rawValue)">\(say(title))</h2>
                \(tables.map(table))</section>
                """
        }
        let lead = say(
            "%1: %2 to %3, beside %4 to %5.", scope, date(report.period.from), date(report.period.until), date(report.previousPeriod.from),
            date(report.previousPeriod.until))
        let suppression = say(
            "Counts from 1 to %1 are hidden (shown as <%2), and so is any figure that would let one be worked out.", String(report.threshold - 1),
            String(report.threshold))
        return """
            <h1>Evaluation report</h1>
            <p class="lead">\(lead)</p>
            <p class="hint">\(suppression) No client, contact or free text is in this report or its downloads.</p>
            \(form)
            <p class="actions no-print"><a class="button" href="\(WebPath.evaluationReportCSV)?\(query)">Download every figure (CSV)</a> \
            <a href="\(WebPath.evaluationLedgerCSV)?\(query)">The de-identified ledger (CSV)</a> \
            <a href="\(WebPath.evaluationQDPX)?\(query)">The qualitative record for MAXQDA, NVivo or ATLAS.ti (.qdpx)</a> \
            <a href="\(WebPath.evaluationAnnotations)">Your research codings</a> \
            <a href="\(WebPath.jurisdictions)">The cycle across jurisdictions</a> \
            <button type="button" data-print>Print</button></p>
            \(body)
            """
    }

    var form: HTML {
        let state = FormState(
            form: WebForm(fields: [
                "from": [report.period.from.description], "until": [report.period.until.description],
                "organization": [report.organizationId?.raw ?? ""]
            ]))
        let options = [("", Phrase("The whole network"))] + organizations.map { ($0.id.raw, Phrase(said: $0.name)) }
        return """
            <form class="panel no-print inline-form" method="get" action="\(WebPath.evaluation)">
            \(Components.textField("from", "From", state: state, type: "date", required: true))
            \(Components.textField("until", "Until", state: state, type: "date", required: true))
            \(Components.select("organization", "For", state: state, options: options))
            <button type="submit">Show the report</button></form>
            """
    }

    func table(_ table: ReportTable) -> HTML {
        let head = table.columns.map { column -> HTML in
            let name = say(column.name)
            return column.previous
                ? "<th scope=\"col\" class=\"previous\">\(name) <span class=\"muted\">\(say("before"))</span></th>"
                : "<th scope=\"col\">\(name)</th>"
        }
        let rows = table.rows.map { row -> HTML in
            let cells = zip(row, table.columns).enumerated().map { index, pair -> HTML in
                let text = cell(pair.0, pair.1.kind)
                return index == 0 ? "<th scope=\"row\">\(text)</th>" : "<td class=\"num\">\(text)</td>"
            }
            return "<tr>\(cells)</tr>"
        }
        return """
            <div class="report-table" id="t-\(table.id)"><h3>\(say(table.title))</h3><p class="hint">\(say(table.note))</p>
            \(chart(table))
            <div class="table-scroll"><table><thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            <p class="no-print"><a href="\(WebPath.evaluationTableCSV(table.id))?\(query)">\(say("This table as CSV"))</a></p></div>
            """
    }

    /// How a cell reads: a label through the catalogue when it is ours, figures with their unit.
    func cell(_ cell: ReportTable.Cell, _ kind: ReportTable.Column.Kind) -> HTML {
        switch cell {
        // A list of names (an agreement's parties) is drawn name by name.
        case .label(let text):
            return HTML(
                joining: text.components(separatedBy: "; ").enumerated().map { i, name in i == 0 ? "\(Self.label(name))" : "; \(Self.label(name))" })
        case .hidden: return "<abbr title=\"\(say("fewer than %1, hidden", report.threshold))\">&lt;\(report.threshold)</abbr>"
        case .none: return "<span class=\"muted\" title=\"\(say("nothing to measure"))\">–</span>"
        case .number(let v): return "\(Self.figure(v, kind))"
        }
    }

    /// Row labels the report writes itself are translated; names from the database (an
    /// organisation, a service, an area) are shown as they are.
    static func label(_ text: String) -> String { French.words[text] != nil ? say(text) : text }

    /// A day as the page writes it, as plain text for a sentence.
    func date(_ day: CalendarDate) -> String { Words.date(day) }

    static func figure(_ v: Double, _ kind: ReportTable.Column.Kind) -> String {
        switch kind {
        case .count: return String(Int(v.rounded()))
        case .rate: return String(Int((v * 100).rounded())) + " %"
        case .hours: return String(format: "%.1f", v) + " h"
        case .days: return String(format: "%.1f", v) + " " + say("d")
        case .score: return String(format: "%.2f", v)
        case .money: return String(format: "%.2f", v)
        case .label: return String(v)
        }
    }

    /// The chart that goes with a table, where one helps: one figure per row, this period and the one before.
    func chart(_ table: ReportTable) -> HTML {
        let charted: [String: (current: String, previous: String?, caption: String)] = [
            "headline": ("this period", "previous period", "The period at a glance, beside the period before"),
            "needs-by-domain": ("identified", "identified", "Needs identified per domain, beside the period before"),
            "needs-by-language": ("identified", "identified", "Needs identified per language, beside the period before"),
            "needs-trend": ("identified", nil, "Needs identified month by month"),
            "client-experience": ("response rate", "response rate", "Client experience response rate, beside the period before"),
            "provider-experience": ("mean", "mean", "Mean rating per survey item, beside the period before"),
            "referrals-by-service": ("sent", "sent", "Referrals sent per service, beside the period before"),
            "loop-by-partner": ("closure rate", "closure rate", "Closure rate per partner, beside the period before"),
            "loop-by-need": ("first response, median", nil, "Median hours to the first response per need domain"),
            "declines-by-reason": ("declined", "declined", "Declines per reason, beside the period before")
        ]
        guard let spec = charted[table.id], let current = table.columns.firstIndex(where: { $0.name == spec.current && !$0.previous }) else {
            return .empty
        }
        let previous = spec.previous.flatMap { name in table.columns.firstIndex { $0.name == name && $0.previous } }
        let kind = table.columns[current].kind
        let bars = table.rows.compactMap { row -> EvaluationCharts.Bar? in
            guard case .label(let label)? = row.first else { return nil }
            return EvaluationCharts.Bar(label: Self.label(label), current: row[current], previous: previous.map { row[$0] })
        }
        return EvaluationCharts.bars(bars, caption: Phrase(said: say(spec.caption)), unit: { Self.figure($0, kind) }, threshold: report.threshold)
    }
}
