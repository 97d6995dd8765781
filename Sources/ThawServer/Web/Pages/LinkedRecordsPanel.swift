import ThawCore
import ThawStorage

/// On the client page: the client's records at other organisations, linked with their consent,
/// each as that consent allows; a search for more (offered only where consent covers us), with a
/// confirmation where only name and birth date match; and unlinking.
struct LinkedRecordsPanel {
    var clientId: ID<Client>
    var records: [LinkedRecord]
    /// nil until the navigator asks to look.
    var candidates: [ClientLinkCandidate]?
    /// Why the last link asked for was not made.
    var failure: String?
    var csrf: String?

    func render() -> HTML {
        let path = WebPath.client(clientId)
        let items = records.map { record -> HTML in
            let referrals = record.referrals.map { line -> HTML in
                let outcome: HTML = line.outcome.map { " — \(Words.outcome($0).lowercased())" } ?? .empty
                return
                    "<li>\(Words.need(line.needCategory)) → \(line.partnerName ?? say("any eligible partner")) \(Components.day(line.createdAt)) \(Components.statusBadge(line.status))\(outcome)</li>"
            }
            let needs: HTML =
                record.needs.map { needs in
                    "<p>Needs: \(needs.isEmpty ? say("none recorded") : needs.map { "\(Words.need($0.category)) (\(Words.needStatus($0.status).lowercased()))" }.joined(separator: ", "))</p>"
                } ?? "<p class=\"muted\">Their needs are not shared with us.</p>"
            return """
                <li><strong>\(record.organizationName)</strong> <span class="muted">linked \(Components.day(record.link.linkedAt)), \
                \(record.link.basis == .identifier ? say("same health number") : say("same name and birth date, confirmed"))</span>
                \(needs)
                \(referrals.isEmpty ? HTML(stringLiteral: "<p class=\"muted\">No referrals there.</p>") : "<ul class=\"plain\">\(referrals)</ul>")
                <form method="post" action="\(path)" class="no-print">\(Components.csrfField(csrf))\(Components.hidden("action", "unlink"))\
                \(Components.hidden("link", record.link.id.raw))<button type="submit" class="button-secondary">Unlink<span class="visually-hidden"> \(record.organizationName)</span></button></form>
                </li>
                """
        }
        return """
            <section class="panel" aria-labelledby="links-heading">
            <h2 id="links-heading">Records at other organisations</h2>
            \(records.isEmpty ? HTML(stringLiteral: "<p>None linked.</p>") : "<ul class=\"plain\">\(items)</ul>")
            \(candidatesHTML(path))
            </section>
            """
    }

    private func candidatesHTML(_ path: String) -> HTML {
        guard let candidates else {
            return "<p class=\"no-print\"><a href=\"\(path)?find=links#links-heading\">Look for this client's records elsewhere</a></p>"
        }
        guard !candidates.isEmpty else {
            return "<p>No other record matches that this client has agreed to share with us for care coordination.</p>"
        }
        let forms = candidates.map { candidate -> HTML in
            let confirm: HTML =
                candidate.basis == .nameAndBirthDate
                ? Components.checkboxes(
                    "confirmed", "Only the name and birth date match", state: FormState(),
                    options: [("yes", "I checked with the client that this is them")], checked: [], idSuffix: "-" + candidate.clientId.raw)
                : "<p class=\"hint\">Same health number.</p>"
            return """
                <li><form method="post" action="\(path)">\(Components.csrfField(csrf))\(Components.hidden("action", "link"))\
                \(Components.hidden("other", candidate.clientId.raw))<strong>\(candidate.organizationName)</strong>
                \(confirm)<button type="submit">Link<span class="visually-hidden"> the record at \(candidate.organizationName)</span></button></form></li>
                """
        }
        let problem: HTML = failure.map { "<p class=\"field-error\" role=\"alert\"><span aria-hidden=\"true\">⚠ </span>\($0)</p>" } ?? .empty
        return "<h3>Records that match</h3>\(problem)<ul class=\"plain\">\(forms)</ul>"
    }
}
