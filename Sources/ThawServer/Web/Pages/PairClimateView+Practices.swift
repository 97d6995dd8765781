import ThawCore
import ThawStorage

/// The pair page's panels on the practices beyond the components: survey and
/// behaviour side by side, policy moves (no surprises), and motions brought back.
extension PairClimateView {
    /// The moves partners were not told of in time, placed on the chart on the day they were told.
    var surprises: [(on: CalendarDate, title: String)] {
        policyMoves.filter { $0.notice != .advance }.map { ($0.announcedOn, "Surprise: \($0.title)") }
    }

    /// How far the survey and the behaviour may differ, in index points, before the page says they disagree.
    static let disagreement = 25.0

    /// Survey and behaviour side by side: for each period with a pulse-survey round behind it, the
    /// index from behaviour alone (the survey left out) and the survey's own score.
    var surveyPanel: HTML {
        let behaviourOnly = ClimateWeights(weights: weights.weights.merging(["survey": 0]) { $1 })
        let rows = whole.suffix(12).reversed().compactMap { p -> HTML? in
            guard let rated = p.components.survey, let measured = behaviourOnly.index(p.components) else { return nil }
            // Judged on the numbers shown, so the words never contradict them.
            let survey = Int((100 * rated).rounded()), behaviour = Int(measured.rounded())
            let gap = Double(survey - behaviour)
            let verdict =
                abs(gap) < Self.disagreement
                ? "agree"
                : gap > 0
                    ? "they disagree: people rate the relationship warmer than the work shows"
                    : "they disagree: the work looks warmer than people rate it"
            return """
                <tr><th scope="row">\(ClimateWords.month(p.start, period))</th><td data-label="Behaviour">\(behaviour)</td>
                <td data-label="Survey">\(survey)</td><td data-label="Together">\(verdict)</td></tr>
                """
        }
        guard !rows.isEmpty else { return .empty }
        return """
            <section class="panel" aria-labelledby="survey-heading"><h2 id="survey-heading">Survey and behaviour</h2>
            <p class="hint">The index from the recorded work alone, beside how people of the two organisations rated each other in the latest pulse survey (0–100). \
            A gap of \(Int(Self.disagreement)) points or more is worth a conversation.</p>
            <table class="stack"><caption class="visually-hidden">Survey and behaviour by period</caption>
            <thead><tr><th scope="col">Period</th><th scope="col">Behaviour</th><th scope="col">Survey</th><th scope="col">Together</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }

    /// Perseverance: each motion or proposal brought back, from its first attempt to its outcome.
    var perseverancePanel: HTML {
        guard !perseverance.isEmpty else { return .empty }
        let threads = perseverance.map { thread -> HTML in
            let steps = thread.steps.enumerated().map { index, step -> HTML in
                let what = index == 0 ? say("First put") : say("Brought back")
                return """
                    <li>\(what) \(Components.day(step.at)) \(step.kind == .motion ? say("to %1", step.place) : say("by %1", step.place)): \
                    “\(step.text)” <span class="badge status-\(step.outcome == "passed" || step.outcome == "closed" ? "completed" : step.outcome == "failed" ? "failed" : "requested")">\(say(step.outcome))</span></li>
                    """
            }
            return "<li><ol>\(steps)</ol></li>"
        }
        return """
            <section class="panel" aria-labelledby="perseverance-heading"><h2 id="perseverance-heading">Brought back</h2>
            <p class="hint">Motions and proposals that failed or lapsed and were brought back: the persevering that carries a partnership from a freeze into a thaw.</p>
            <ul class="plain">\(threads)</ul></section>
            """
    }

    /// No surprises: each policy move between the two, with the notice the other side had.
    var surprisesPanel: HTML {
        guard !policyMoves.isEmpty else { return .empty }
        let names = [a.id: a.name, b.id: b.name]
        let rows = policyMoves.map { move -> HTML in
            """
            <tr><td data-label="Move"><strong>\(move.title)</strong> <span class="muted">(\(PolicyMoveWords.kind(move.kind)) by \(names[move.organizationId] ?? ""))</span></td>
            <td data-label="Told">\(Components.date(move.announcedOn))</td><td data-label="Effective">\(Components.date(move.effectiveOn))</td>
            <td data-label="Notice"><span class="badge \(move.notice == .advance ? "status-completed" : "status-requested")">\(PolicyMoveWords.notice(move))</span></td></tr>
            """
        }
        return """
            <section class="panel" aria-labelledby="surprises-heading"><h2 id="surprises-heading">No surprises</h2>
            <p class="hint">Policy moves one of the two made that affected the other. Notice of at least the agreed days counts for the relationship (the notice component); anything less is a surprise and counts against it.</p>
            <table class="stack"><caption class="visually-hidden">Policy moves between \(a.name) and \(b.name)</caption>
            <thead><tr><th scope="col">Move</th><th scope="col">Told</th><th scope="col">Effective</th><th scope="col">Notice</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }
}
