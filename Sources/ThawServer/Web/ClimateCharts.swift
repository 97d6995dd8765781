import Foundation
import ThawCore
import ThawStorage

/// Climate charts drawn on the server as SVG (no script, no external
/// library): the index over time with freeze and thaw bands and events, and
/// the network map. Each chart carries a text alternative; the pages also
/// give the same numbers in tables.
enum ClimateCharts {
    /// Cold blue through grey to warm orange, for an index 0–100.
    static func warmth(_ index: Double?) -> String {
        guard let index else { return "#9aa0a6" }
        let t = min(1, max(0, index / 100))
        let (cold, middle, warm) = ((43.0, 108.0, 176.0), (138.0, 138.0, 138.0), (192.0, 86.0, 33.0))
        let (a, b, u) = t < 0.5 ? (cold, middle, t * 2) : (middle, warm, (t - 0.5) * 2)
        let mix = { (x: Double, y: Double) in Int((x + (y - x) * u).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    static func number(_ x: Double) -> String { String(format: "%.1f", x) }

    struct Band { var from: Int; var to: Int; var direction: FreezeThaw.Direction? }
    struct Marker { var position: Double; var title: String }

    /// A line of values (nil = no data, a gap) over labelled periods, with shaded
    /// freeze/thaw bands (positions in periods, `to` exclusive) and event markers.
    static func timeline(values: [Double?], labels: [String], bands: [Band], markers: [Marker], caption: Phrase) -> HTML {
        let width = 760.0, height = 240.0, left = 36.0, right = 12.0, top = 12.0, bottom = 28.0
        let n = max(values.count, 1)
        let step = (width - left - right) / Double(n)
        let x = { (i: Double) in left + step * i }
        let y = { (v: Double) in top + (height - top - bottom) * (1 - v / 100) }
        var parts: [HTML] = []
        for band in bands {
            guard let direction = band.direction else { continue }
            let fill = direction == .freeze ? "#dbe7f6" : "#fbe3d3"
            parts.append(
                "<rect class=\"band-\(direction)\" x=\"\(number(x(Double(band.from))))\" y=\"\(number(top))\" width=\"\(number(step * Double(band.to - band.from)))\" height=\"\(number(height - top - bottom))\" fill=\"\(fill)\"><title>\((direction == .freeze ? say("freeze") : say("thaw")).capitalizedFirst) from \(band.from < labels.count ? labels[band.from] : "")</title></rect>"
            )
        }
        for level in [0.0, 50.0, 100.0] {
            parts.append(
                "<line x1=\"\(number(left))\" x2=\"\(number(width - right))\" y1=\"\(number(y(level)))\" y2=\"\(number(y(level)))\" stroke=\"#c8ccd0\" stroke-width=\"1\"/><text x=\"\(number(left - 6))\" y=\"\(number(y(level) + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#3d4349\">\(Int(level))</text>"
            )
        }
        let labelEvery = max(1, n / 12)
        for (i, label) in labels.enumerated() where i % labelEvery == 0 {
            parts.append(
                "<text x=\"\(number(x(Double(i) + 0.5)))\" y=\"\(number(height - 8))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#3d4349\">\(label)</text>"
            )
        }
        for marker in markers {
            let mx = x(marker.position)
            parts.append(
                "<g class=\"event\"><line x1=\"\(number(mx))\" x2=\"\(number(mx))\" y1=\"\(number(top))\" y2=\"\(number(height - bottom))\" stroke=\"#5b2a86\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/><path d=\"M \(number(mx - 5)) \(number(top)) L \(number(mx + 5)) \(number(top)) L \(number(mx)) \(number(top + 8)) Z\" fill=\"#5b2a86\"/><title>\(marker.title)</title></g>"
            )
        }
        // The line, broken where a period has no data.
        var runs: [[(Int, Double)]] = [[]]
        for (i, value) in values.enumerated() {
            if let value { runs[runs.count - 1].append((i, value)) } else if !(runs.last?.isEmpty ?? true) { runs.append([]) }
        }
        for run in runs where !run.isEmpty {
            let d = run.enumerated().map { k, p in "\(k == 0 ? "M" : "L") \(number(x(Double(p.0) + 0.5))) \(number(y(p.1)))" }.joined(separator: " ")
            parts.append("<path d=\"\(d)\" fill=\"none\" stroke=\"#1d2125\" stroke-width=\"2\"/>")
        }
        for (i, value) in values.enumerated() {
            guard let value else { continue }
            parts.append(
                "<circle cx=\"\(number(x(Double(i) + 0.5)))\" cy=\"\(number(y(value)))\" r=\"3.5\" fill=\"\(warmth(value))\" stroke=\"#1d2125\" stroke-width=\"0.75\"><title>\(i < labels.count ? labels[i] : ""): \(Int(value.rounded()))</title></circle>"
            )
        }
        return """
            <figure class="chart"><svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(caption)" xmlns="http://www.w3.org/2000/svg">\(parts)</svg>
            <figcaption>\(caption) <span class="legend"><span class="swatch swatch-freeze"></span> freeze <span class="swatch swatch-thaw"></span> thaw <span class="swatch swatch-event"></span> outside event</span></figcaption></figure>
            """
    }

    struct Node { var id: ID<Organization>; var name: String; var sector: Sector }

    /// Organisations on a circle, grouped by sector; ties coloured by warmth and
    /// as thick as their activity, each a link to the pair's page.
    static func networkMap(nodes: [Node], ties: [NetworkTie], link: (ID<Organization>, ID<Organization>) -> String, caption: Phrase) -> HTML {
        let size = 560.0, centre = size / 2, radius = size / 2 - 110
        let ordered = nodes.sorted { ($0.sector.rawValue, $0.name) < ($1.sector.rawValue, $1.name) }
        var position: [ID<Organization>: (Double, Double, Double)] = [:]
        for (i, node) in ordered.enumerated() {
            let angle = 2 * Double.pi * Double(i) / Double(max(ordered.count, 1)) - Double.pi / 2
            position[node.id] = (centre + radius * cos(angle), centre + radius * sin(angle), angle)
        }
        let names = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.name) })
        let busiest = Double(ties.map(\.interactions).max() ?? 1)
        var parts: [HTML] = []
        for tie in ties.sorted(by: { $0.interactions < $1.interactions }) {
            guard let a = position[tie.organizationIds[0]], let b = position[tie.organizationIds[1]] else { continue }
            let widthPx = 1 + 7 * (Double(tie.interactions) / busiest).squareRoot()
            let title =
                "\(names[tie.organizationIds[0]] ?? "") – \(names[tie.organizationIds[1]] ?? ""): "
                + say("index %1, %2 interactions", tie.index.map { String(Int($0.rounded())) } ?? say("none"), tie.interactions)
            parts.append(
                "<a href=\"\(link(tie.organizationIds[0], tie.organizationIds[1]))\"><line x1=\"\(number(a.0))\" y1=\"\(number(a.1))\" x2=\"\(number(b.0))\" y2=\"\(number(b.1))\" stroke=\"\(warmth(tie.index))\" stroke-width=\"\(number(widthPx))\" stroke-linecap=\"round\"><title>\(title)</title></line></a>"
            )
        }
        let labelled = ordered.count <= 40
        for node in ordered {
            guard let (px, py, angle) = position[node.id] else { continue }
            parts.append(
                "<circle cx=\"\(number(px))\" cy=\"\(number(py))\" r=\"6\" fill=\"\(sectorColour(node.sector))\" stroke=\"#1d2125\"><title>\(node.name) (\(Words.sector(node.sector)))</title></circle>"
            )
            if labelled {
                let lx = px + 12 * cos(angle), ly = py + 12 * sin(angle) + 4
                parts.append(
                    "<text x=\"\(number(lx))\" y=\"\(number(ly))\" font-size=\"11\" fill=\"#1d2125\" text-anchor=\"\(cos(angle) < -0.1 ? "end" : cos(angle) > 0.1 ? "start" : "middle")\">\(node.name)</text>"
                )
            }
        }
        return """
            <figure class="chart network-map"><svg viewBox="-120 0 \(Int(size) + 240) \(Int(size))" role="img" aria-label="\(caption)" xmlns="http://www.w3.org/2000/svg">\(parts)</svg>
            <figcaption>\(caption) Ties run from <span class="swatch swatch-cold"></span> cold to <span class="swatch swatch-warm"></span> warm; thicker ties carry more interactions.</figcaption></figure>
            """
    }

    static func sectorColour(_ sector: Sector) -> String {
        switch sector {
        case .primaryCare: return "#2f855a"
        case .healthSystem: return "#2b6cb0"
        case .socialCare: return "#b7791f"
        case .community: return "#805ad5"
        case .government: return "#4a5568"
        }
    }
}
