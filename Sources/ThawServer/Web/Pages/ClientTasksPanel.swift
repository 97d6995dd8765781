import ThawCore
import ThawStorage

/// On the client page: what the client was asked to do themselves (call a service, read
/// something), each marked done or no longer needed; and the form to ask for another. The
/// client's printed summary lists the open ones.
struct ClientTasksPanel {
    var clientId: ID<Client>
    var tasks: [ClientTask]
    /// The client's referrals this organisation sent, that a task may help along.
    var referrals: [ClientReferral]
    var state: FormState
    var csrf: String?

    func render() -> HTML {
        let path = WebPath.client(clientId)
        let items = tasks.map { task -> HTML in
            let due: HTML = task.dueOn.map { " · \(say("by %1", Components.date($0)))" as HTML } ?? .empty
            let close: HTML =
                task.status.isClosed
                ? " <span class=\"badge\">\(Words.clientTaskStatus(task.status))</span>"
                : """
                <form method="post" action="\(path)" class="inline">\(Components.csrfField(csrf))\(Components.hidden("action", "close-task"))\
                \(Components.hidden("task", task.id.raw))\
                <button type="submit" name="status" value="completed" class="button-secondary">Done<span class="visually-hidden">: \(task.description)</span></button> \
                <button type="submit" name="status" value="cancelled" class="button-quiet">No longer needed</button></form>
                """
            return "<li><strong>\(Words.clientTaskKind(task.kind))</strong>: \(task.description)\(due)\(close)</li>"
        }
        let referralOptions: [(value: String, label: Phrase)] =
            [("", "None")]
            + referrals.filter { !$0.referral.status.isTerminal }.map {
                ($0.referral.id.raw, Phrase(said: "\(Words.need($0.referral.needCategory)) → \($0.partnerName ?? say("any eligible partner"))"))
            }
        return """
            <section class="panel" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">Tasks for the client</h2>
            <p class="hint">What the client does themselves. The open ones are on the summary they take home.</p>
            \(tasks.isEmpty ? "<p>Nothing asked of the client yet.</p>" as HTML : "<ul class=\"plain\">\(items)</ul>")
            <details\(HTML.attribute("open", if: state.hasErrors))><summary>Ask the client to do something</summary>
            \(Components.errorSummary(state, idSuffix: "-task"))
            <form method="post" action="\(path)" novalidate>\(Components.csrfField(csrf))\(Components.hidden("action", "task"))
            \(Components.select("kind", "What kind", state: state, options: Components.options(ClientTask.Kind.self, label: Words.clientTaskKind), idSuffix: "-task"))
            \(Components.textArea("description", "What they do, in words they will read", state: state, required: true, rows: 2, idSuffix: "-task"))
            \(Components.select("referralId", "For the referral", state: state, options: referralOptions, idSuffix: "-task"))
            \(Components.textField("dueOn", "By", state: state, type: "date", hint: "Leave empty for no date", idSuffix: "-task"))
            <button type="submit">Ask the client</button>
            </form></details>
            </section>
            """
    }
}
