import Foundation
import ThawCore

/// The evaluation report's charts, drawn on the server as SVG: grouped horizontal bars, this
/// period beside the one before. A hidden figure is drawn as a hatched stub marked with the
/// threshold, never as its value; the table under each chart holds the same figures.
enum EvaluationCharts {
    struct Bar { var label: String; var current: ReportTable.Cell; var previous: ReportTable.Cell? }

    static func number(_ x: Double) -> String { String(format: "%.1f", x) }

    static func bars(_ bars: [Bar], caption: Phrase, unit: (Double) -> String, threshold: Int) -> HTML {
        guard !bars.isEmpty else { return .empty }
        let width = 760.0, labelWidth = 230.0, right = 70.0, rowHeight = bars.contains { $0.previous != nil } ? 30.0 : 20.0, top = 6.0
        let height = top * 2 + rowHeight * Double(bars.count)
        let largest = max(bars.flatMap { [$0.current.value, $0.previous?.value] }.compactMap { $0 }.max() ?? 0, 1)
        let scale = (width - labelWidth - right) / largest
        var parts: [HTML] = [
            """
            <defs><pattern id="hidden-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <line x1="0" y1="0" x2="0" y2="6" stroke="#6b7178" stroke-width="2"/></pattern></defs>
            """
        ]
        func bar(_ cell: ReportTable.Cell, y: Double, height: Double, fill: String, label: String) -> HTML {
            switch cell {
            case .number(let v):
                return """
                    <rect x="\(number(labelWidth))" y="\(number(y))" width="\(number(max(v * scale, 1)))" height="\(number(height))" fill="\(fill)"><title>\(label): \(unit(v))</title></rect>\
                    <text x="\(number(labelWidth + max(v * scale, 1) + 4))" y="\(number(y + height - 2))" font-size="10" fill="#1d2125">\(unit(v))</text>
                    """
            case .hidden:
                return """
                    <rect x="\(number(labelWidth))" y="\(number(y))" width="14" height="\(number(height))" fill="url(#hidden-hatch)"><title>\(label): \(say("fewer than %1, hidden", threshold))</title></rect>\
                    <text x="\(number(labelWidth + 18))" y="\(number(y + height - 2))" font-size="10" fill="#1d2125">&lt;\(threshold)</text>
                    """
            default: return .empty
            }
        }
        for (i, b) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            parts.append(
                "<text x=\"\(number(labelWidth - 6))\" y=\"\(number(y + 13))\" text-anchor=\"end\" font-size=\"11\" fill=\"#1d2125\">\(String(b.label.prefix(34)))</text>"
            )
            parts.append(bar(b.current, y: y + 2, height: 12, fill: "#2b6cb0", label: b.label))
            if let previous = b.previous {
                parts.append(bar(previous, y: y + 15, height: 10, fill: "#a7b4c2", label: say("%1 (previous period)", b.label)))
            }
        }
        let legend: HTML =
            bars.contains { $0.previous != nil }
            ? " <span class=\"legend\"><span class=\"swatch swatch-current\"></span> \(say("this period")) <span class=\"swatch swatch-previous\"></span> \(say("previous period"))</span>"
            : .empty
        return """
            <figure class="chart"><svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(caption)" xmlns="http://www.w3.org/2000/svg">\(parts)</svg>
            <figcaption>\(caption)\(legend)</figcaption></figure>
            """
    }
}
