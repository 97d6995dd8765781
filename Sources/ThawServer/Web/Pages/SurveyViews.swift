import ThawCore
import ThawStorage

/// How a pulse-survey answer reads on its scale, in our own words.
enum SurveyWords {
    static func scale(_ item: SurveyItem) -> [String] {
        (item.scale == 5
            ? ["Not at all", "A little", "Somewhat", "Mostly", "Completely"] : ["Disagree", "Tend to disagree", "Tend to agree", "Agree"])
            .map { say($0) }
    }
    static var groups: [(title: String, items: [SurveyItem])] {
        [
            (say("Working together"), SurveyItem.allCases.filter { $0.rawValue.hasPrefix("rc-") }),
            (say("Trust"), SurveyItem.allCases.filter { $0.rawValue.hasPrefix("trust-") }),
            (say("What they bring"), SurveyItem.allCases.filter { $0.rawValue.hasPrefix("value-") })
        ]
    }
}

/// The rounds my organisation takes part in, and the form to open one.
struct SurveysView {
    var me: Organization
    var rounds: [SurveyRound]
    var pending: Set<ID<SurveyRound>>
    var organizations: [Organization]
    var canOpen: Bool
    var today: CalendarDate
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let rows = rounds.map { round -> HTML in
            let status: HTML =
                round.isOpen(on: today)
                ? (pending.contains(round.id)
                    ? "<span class=\"badge status-requested\">Waiting for your answers</span>" : "<span class=\"badge status-accepted\">Open</span>")
                : round.closesOn < today
                    ? "<span class=\"badge status-completed\">Closed</span>" : "<span class=\"badge\">Opens \(Components.date(round.opensOn))</span>"
            return """
                <li><a href="\(WebPath.survey(round.id))">\(round.title)</a> \(status)<br>
                <span class="muted">\(Components.date(round.opensOn)) to \(Components.date(round.closesOn)), \(round.participantOrganizationIds.count) organisations</span></li>
                """
        }
        let open: HTML =
            canOpen
            ? """
            <section class="panel" aria-labelledby="open-heading"><h2 id="open-heading">Open a round</h2>
            <p class="hint">Everyone in the chosen organisations is asked to rate each of the others: thirteen short questions each, about two minutes. \
            Results show only for organisations rated by at least \(SurveyItem.minimumRespondents) people.</p>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.surveys)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "open"))
            \(Components.textField("title", "Title", state: state, required: true))
            \(Components.checkboxes("participants", "With which partners", state: state, options: organizations.filter { $0.id != me.id }.map { ($0.id.raw, Phrase(said: $0.name)) }, checked: []))
            \(Components.textField("opensOn", "Opens on", state: state, type: "date", required: true))
            \(Components.textField("closesOn", "Closes on", state: state, type: "date", required: true))
            <button type="submit">Open the round</button></form></section>
            """ : .empty
        return """
            <p class="no-print"><a href="\(WebPath.partnership)">← Partnership</a></p>
            <h1>Pulse surveys</h1>
            <p class="hint">How partners see each other: working together, trust, and what each brings. It sits beside the climate measured from the work itself.</p>
            <div class="columns">
            <section aria-labelledby="rounds-heading"><h2 id="rounds-heading">Rounds</h2>
            \(rounds.isEmpty ? HTML(stringLiteral: "<p>Your organisation takes part in no round yet.</p>") : "<ul class=\"plain\">\(rows)</ul>")</section>
            \(open)
            </div>
            """
    }
}

/// One round: the questions about each partner still to rate (phone-sized, one column), and the results.
struct SurveyRoundView {
    var round: SurveyRound
    var me: Organization
    var names: [ID<Organization>: String]
    var rated: Set<ID<Organization>>
    var results: (results: [SurveyResult], respondents: Int, eligible: Int)
    var today: CalendarDate
    var state: FormState
    var csrf: String?

    private var toRate: [ID<Organization>] {
        round.participantOrganizationIds.filter { $0 != me.id && !rated.contains($0) }
    }

    func render() -> HTML {
        """
        <p class="no-print"><a href="\(WebPath.surveys)">← Pulse surveys</a></p>
        <h1>\(round.title)</h1>
        <p class="hint">Open \(Components.date(round.opensOn)) to \(Components.date(round.closesOn)). Your answers are never shown on their own: \
        only averages of at least \(SurveyItem.minimumRespondents) people.</p>
        \(answerSection)
        \(resultsSection)
        """
    }

    private var answerSection: HTML {
        guard round.isOpen(on: today) else { return .empty }
        guard let partner = toRate.first else {
            return "<section class=\"panel\"><h2>Thank you</h2><p>You have rated every partner in this round.</p></section>"
        }
        let groups = SurveyWords.groups.map { group -> HTML in
            let questions = group.items.map { item -> HTML in
                let choices = SurveyWords.scale(item).enumerated().map { index, label -> HTML in
                    let id = "q-\(item.rawValue)-\(index + 1)"
                    let checked = state.form[item.rawValue] == String(index + 1)
                    return
                        "<span class=\"choice\"><input type=\"radio\" id=\"\(id)\" name=\"\(item.rawValue)\" value=\"\(index + 1)\"\(HTML.attribute("checked", if: checked))> <label for=\"\(id)\">\(label)</label></span>"
                }
                return "<fieldset class=\"question\"><legend>\(say(item.question))</legend>\(choices)</fieldset>"
            }
            return "<h3>\(group.title)</h3>\(questions)"
        }
        return """
            <section class="panel survey" aria-labelledby="rate-heading"><h2 id="rate-heading">About \(names[partner] ?? say("a partner"))</h2>
            <p class="hint">\(toRate.count == 1 ? say("The last partner to rate.") : say("%1 partners to rate; this one first.", toRate.count)) Leave out any question you cannot answer.</p>
            \(Components.errorSummary(state))
            <form method="post" action="\(WebPath.survey(round.id))" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "answer"))\(Components.hidden("organization", partner.raw))
            \(groups)
            <button type="submit">Send my answers</button></form></section>
            """
    }

    private var resultsSection: HTML {
        let rate = results.eligible > 0 ? Int((100 * Double(results.respondents) / Double(results.eligible)).rounded()) : 0
        let rows = results.results.map { result -> HTML in
            let cells = SurveyWords.groups.map { group -> HTML in
                let values = group.items.compactMap { item in result.means[item].map { ($0 - 1) / Double(item.scale - 1) } }
                let shown = values.isEmpty ? "—" : "\(Int((100 * values.reduce(0, +) / Double(values.count)).rounded()))"
                return "<td data-label=\"\(group.title)\">\(shown)</td>"
            }
            let who =
                result.suppressed
                ? say("fewer than %1 answers: hidden", SurveyItem.minimumRespondents)
                : Words.count(result.respondents, one: "%1 person", many: "%1 people")
            return "<tr><th scope=\"row\">\(names[result.organizationId] ?? "")</th>\(cells)<td data-label=\"Rated by\">\(who)</td></tr>"
        }
        return """
            <section aria-labelledby="results-heading"><h2 id="results-heading">Results so far</h2>
            <p>\(results.respondents) of \(results.eligible) people answered (\(rate)%). Each score is 0 (lowest) to 100 (highest), the average of how partners rated the organisation.</p>
            <table class="stack"><caption class="visually-hidden">How each organisation was rated by its partners</caption>
            <thead><tr><th scope="col">Organisation</th>\(SurveyWords.groups.map { "<th scope=\"col\">\($0.title)</th>" as HTML })<th scope="col">Rated by</th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }
}
