import ThawCore

/// A researcher's codings brought back from their tool, and the form to bring in a project.
struct ResearchAnnotationsView {
    var annotations: [ResearchAnnotation]
    var csrf: String?

    func render() -> HTML {
        let rows = annotations.map { a -> HTML in
            "<tr><th scope=\"row\">\(a.code)</th><td>\(a.quote)</td><td>\(a.subject)</td><td>\(a.project)</td></tr>"
        }
        let list: HTML =
            annotations.isEmpty
            ? "<p>You have brought in no codings yet.</p>"
            : """
            <div class="table-scroll"><table><thead><tr><th scope="col">Code</th><th scope="col">Coded text</th>\
            <th scope="col">Record</th><th scope="col">Project</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        return """
            <p class="no-print"><a href="\(WebPath.evaluation)">← Evaluation report</a></p>
            <h1>Research codings</h1>
            <section class="panel" aria-labelledby="import-heading"><h2 id="import-heading">Bring in a project</h2>
            <p class="hint">Export the project from MAXQDA, NVivo or ATLAS.ti as REFI-QDA (.qdpx). The codings you made on the records Thaw \
            exported come back as yours, shown to you on the committee and partnership timelines. Bringing in the same project again replaces them.</p>
            <form method="post" action="\(WebPath.evaluationAnnotations)" enctype="multipart/form-data">\(Components.csrfField(csrf))
            <div class="field"><label for="f-project">Project file (.qdpx)</label>\
            <input id="f-project" name="project" type="file" accept=".qdpx,application/zip" required></div>
            <button type="submit">Bring in the codings</button></form></section>
            <section class="panel" aria-labelledby="codings-heading"><h2 id="codings-heading">Your codings</h2>\(list)</section>
            """
    }
}

/// Whether a person's conversation messages may go into research exports; agreeing and withdrawing.
struct ResearchUseView {
    var agreement: ResearchAgreement
    var csrf: String?

    func render() -> HTML {
        let state: HTML =
            agreement.agreed
            ? "<p><strong>You agree.</strong> Your messages in conversations may be included in research exports.</p>"
            : "<p><strong>You have not agreed.</strong> Your messages in conversations are left out of every research export.</p>"
        let button: HTML =
            agreement.agreed
            ? "<button type=\"submit\" name=\"agreed\" value=\"no\" class=\"secondary\">Withdraw my agreement</button>"
            : "<button type=\"submit\" name=\"agreed\" value=\"yes\">I agree</button>"
        return """
            <h1>Research use of what you write</h1>
            <div class="panel">
            <p>Researchers evaluating the partnership study its record: minutes, motions, consultations, signals and commitments. \
            Your own messages in conversations with partners are included only if you agree. Names of clients, email addresses \
            and phone numbers are removed from everything exported, and no export names you.</p>
            \(state)
            <form method="post" action="\(WebPath.researchUse)">\(Components.csrfField(csrf))\(button)</form>
            <p class="hint">You can withdraw at any time; every export made after that leaves your messages out.</p>
            </div>
            """
    }
}
