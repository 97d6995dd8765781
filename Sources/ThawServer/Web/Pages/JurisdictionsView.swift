import Foundation
import ThawCore

/// Climate packages side by side: each network's index over time on one axis, with its change
/// points, and a table aligning them by kind of outside event (the index in the three months
/// before each event against the three after).
struct JurisdictionsView {
    var packages: [(id: ID<ClimatePackage>, package: ClimatePackage)]
    var own: ClimatePackage
    var csrf: String?

    static let colours = ["#1d2125", "#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#718096"]

    func render() -> HTML {
        let all = [own] + packages.map(\.package)
        let rows = all.flatMap { EventAlignment.align($0) }.map { a -> HTML in
            """
            <tr><th scope="row">\(a.network)</th><td>\(PartnershipWords.event(a.kind))</td><td class="num">\(a.events)</td>\
            <td class="num">\(Self.number(a.before))</td><td class="num">\(Self.number(a.after))</td><td class="num">\(Self.number(a.change))</td></tr>
            """
        }
        let list = packages.map { entry -> HTML in
            let p = entry.package
            return
                "<li>\(p.network): \(Components.date(p.from)) to \(Components.date(p.until)), \(p.pairs.count) pairs, \(p.events.count) events</li>"
        }
        return """
            <p class="no-print"><a href="\(WebPath.evaluation)">← Evaluation report</a></p>
            <h1>The cycle across jurisdictions</h1>
            <p class="hint">Each network's climate index month by month, on one time axis, with the freezes and thaws found in it; \
            then each kind of outside event, with the index before and after it in each network.</p>
            \(chart(all))
            <section class="panel" aria-labelledby="aligned-heading"><h2 id="aligned-heading">Aligned by kind of event</h2>
            <p class="hint">The network index averaged over the three months before each event of a kind, and the three months after.</p>
            <div class="table-scroll"><table><thead><tr><th scope="col">Network</th><th scope="col">Kind of event</th><th scope="col">Events</th>\
            <th scope="col">Index before</th><th scope="col">Index after</th><th scope="col">Change</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
            <section class="panel" aria-labelledby="packages-heading"><h2 id="packages-heading">Packages</h2>
            <p><a href="\(WebPath.climatePackageJSON)">Download this network's package (JSON)</a></p>
            \(packages.isEmpty ? HTML(stringLiteral: "<p>No other network's package has been brought in yet.</p>") : "<ul>\(list)</ul>")
            <form method="post" action="\(WebPath.jurisdictions)" enctype="multipart/form-data">\(Components.csrfField(csrf))
            <div class="field"><label for="f-package">Another network's climate package (JSON)</label>\
            <input id="f-package" name="package" type="file" accept=".json,application/json" required></div>
            <button type="submit">Bring it in</button></form></section>
            """
    }

    func n(_ value: Double) -> String { String(format: "%.1f", value) }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }

    /// One line per network over the months any of them covers, change points as triangles.
    func chart(_ all: [ClimatePackage]) -> HTML {
        let months = Set(all.flatMap { $0.networkSeries.map(\.start.firstOfMonth) }).sorted()
        guard months.count > 1 else { return "<p>Not enough months to draw yet.</p>" }
        let width = 760.0, height = 260.0, left = 36.0, right = 12.0, top = 12.0, bottom = 28.0
        let step = (width - left - right) / Double(months.count - 1)
        let position = Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0) })
        let x = { (month: CalendarDate) in left + step * Double(position[month.firstOfMonth] ?? 0) }
        let y = { (v: Double) in top + (height - top - bottom) * (1 - v / 100) }
        var parts: [HTML] = []
        for level in [0.0, 50.0, 100.0] {
            parts.append(
                "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(level)))\" y2=\"\(n(y(level)))\" stroke=\"#c8ccd0\"/><text x=\"\(n(left - 6))\" y=\"\(n(y(level) + 4))\" text-anchor=\"end\" font-size=\"11\">\(Int(level))</text>"
            )
        }
        let every = max(1, months.count / 10)
        for (i, month) in months.enumerated() where i % every == 0 {
            parts.append(
                "<text x=\"\(n(x(month)))\" y=\"\(n(height - 8))\" text-anchor=\"middle\" font-size=\"11\">\(String(month.description.prefix(7)))</text>"
            )
        }
        var legend: [HTML] = []
        for (i, package) in all.enumerated() {
            let colour = Self.colours[i % Self.colours.count]
            let points = package.networkSeries.compactMap { p in p.index.map { (x(p.start), y($0)) } }
            if !points.isEmpty {
                let d = points.enumerated().map { k, p in "\(k == 0 ? "M" : "L") \(String(format: "%.1f %.1f", p.0, p.1))" }.joined(separator: " ")
                parts.append("<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(package.network)</title></path>")
            }
            for change in package.networkChangePoints {
                let cx = x(change.start), cy = y(change.meanIndex)
                let shape =
                    change.direction == .freeze
                    ? "M \(n(cx - 5)) \(n(cy - 4)) L \(n(cx + 5)) \(n(cy - 4)) L \(n(cx)) \(n(cy + 5)) Z"
                    : "M \(n(cx - 5)) \(n(cy + 4)) L \(n(cx + 5)) \(n(cy + 4)) L \(n(cx)) \(n(cy - 5)) Z"
                parts.append(
                    "<path d=\"\(shape)\" fill=\"\(colour)\"><title>\(package.network): \(change.direction == .freeze ? say("freeze") : say("thaw")) \(change.start.description)</title></path>"
                )
            }
            legend.append("<span class=\"swatch\" style=\"background: \(colour)\"></span> \(package.network)")
        }
        return """
            <figure class="chart"><svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(say("Climate index of each network over time"))" xmlns="http://www.w3.org/2000/svg">\(parts)</svg>
            <figcaption>\(say("Climate index of each network over time; triangles mark freezes (down) and thaws (up).")) <span class="legend">\(legend)</span></figcaption></figure>
            """
    }
}
