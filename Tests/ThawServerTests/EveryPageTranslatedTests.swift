import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@testable import ThawServer

/// No page shows a string the catalogues do not hold.
///
/// The demo network is served in the pseudo-language, where every string drawn from the
/// catalogue comes out as ⟪…⟫ and every value interpolated into the page as ⟦…⟧. Every demo
/// person's pages are walked by following their links. On each page, what is left once the
/// catalogue's strings are taken away must be data: a value held in the database, a number, a
/// date's digits. Any other word is English that bypassed the catalogue. Then every catalogue
/// key the walk drew must have its French, with the same blanks.
@Suite struct EveryPageTranslatedTests {
    @Test func everyPageOfTheDemoIsInTheCatalogueAndTheCatalogueIsInFrench() async throws {
        try await withDatabase(.sqlite) { db in
            var demo = DemoNetwork()
            try await demo.load(into: db.database, endingAt: Timestamp(millis: Int64(Date().timeIntervalSince1970 * 1000)), bcryptCost: 4)
            let store = ThawStore(database: db.database, clock: SystemClock())
            var configuration = ServerConfiguration(bcryptCost: 4, maxBodyBytes: 64 * 1024, logLevel: .error)
            configuration.pseudoTranslation = true
            // What the configuration names (the network, in its climate package) is data too.
            let data = try await DatabaseValues.read(db.database).union([configuration.networkName])
            let app = Application(router: buildRouter(configuration: configuration, store: store))
            let signIns = demo.signIns
            let (problems, pagesWalked) = try await app.test(.router) { client in
                var problems: [(String, String)] = [], pagesWalked = 0
                for signIn in signIns {
                    let user = try #require(try await store.user(email: signIn.email))
                    let session = try await store.startSession(user: user.id, lifetimeSeconds: 3600)
                    let browser = Browser(client: client, cookie: session.secret, csrf: session.csrf)
                    for (path, page) in try await PageWalk.walk(browser, limit: 90) {
                        pagesWalked += 1
                        for text in UntranslatedText.find(in: page.html, data: data) { problems.append(("\(signIn.email) \(path)", text)) }
                    }
                }
                // The sign-in page, before anyone signs in.
                let signIn = try await Browser(client: client, cookie: nil, csrf: "").get(WebPath.signIn)
                for text in UntranslatedText.find(in: signIn.html, data: data) { problems.append(("sign-in", text)) }
                return (problems, pagesWalked)
            }
            #expect(pagesWalked > 150, "the walk reached only \(pagesWalked) pages")
            // Each text once, with the first page it was seen on.
            var firstSeen: [String: String] = [:]
            for problem in problems {
                let (page, text) = problem
                if firstSeen[text] == nil { firstSeen[text] = page }
            }
            let unique = firstSeen.map { "\($0.key)    [\($0.value)]" }.sorted()
            #expect(unique.isEmpty, "English outside the catalogue (\(unique.count)):\n\(unique.prefix(3000).joined(separator: "\n"))")

            let seen = Catalogue.seen.withLock { $0 }
            print(
                "translation walk: \(pagesWalked) pages as \(signIns.count) people; \(seen.count) catalogue strings drawn; \(French.words.count) in French"
            )
            #expect(seen.count > 300, "the walk drew only \(seen.count) strings from the catalogue")
            let untranslated = seen.filter { French.words[$0] == nil }.sorted()
            #expect(untranslated.isEmpty, "no French for (\(untranslated.count)):\n\(untranslated.joined(separator: "\n"))")
            let mismatched = seen.compactMap { key in
                French.words[key].flatMap { Catalogue.blanks($0) == Catalogue.blanks(key) ? nil : key }
            }
            #expect(mismatched.isEmpty, "blanks differ in French: \(mismatched)")
        }
    }
}

/// A person chooses French in the header; their pages, notices and times are in French from then
/// on, and another person's stay in English. The choice is checked and kept.
@Suite struct LanguageChoiceTests {
    @Test func aPersonSwitchesToFrenchAndBack() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = try #require(browsers["navigator"]), housing = try #require(browsers["housing"])
            let english = try await navigator.get(WebPath.caseload)
            #expect(english.contains("<html lang=\"en\">") && english.contains(">Caseload<") && english.contains(">Français</button>"))
            let switched = try await navigator.post(WebPath.language, [("language", "fr"), ("back", WebPath.clients)])
            #expect(switched.status == 303 && switched.location == WebPath.clients)
            let french = try await navigator.get(WebPath.caseload)
            #expect(french.contains("<html lang=\"fr\">") && french.contains("Charge de cas") && !french.contains(">Caseload<"))
            #expect(french.contains(">English</button>"))
            // A notice after a form, in French.
            let registered = try await navigator.post(WebPath.clients, [("action", "create"), ("givenName", "Ana"), ("familyName", "Lopes")])
            let page = try await navigator.get(try #require(registered.location))
            #expect(page.contains("La personne a été inscrite."))
            // A form's errors, in French too.
            let blank = try await navigator.post(WebPath.clients, [("action", "create"), ("givenName", " "), ("familyName", "Lopes")])
            #expect(blank.status == 422 && blank.contains("Ce champ est obligatoire et ne peut pas être vide"))
            // Others are untouched; the choice is kept with the person, in the ledger too.
            #expect(try await housing.get(WebPath.inbox).contains(">Inbox<"))
            #expect(try await world.store.user(email: "nav@clinic.test")?.language == "fr")
            // Only English and French; only a path of ours to come back to.
            let german = try await navigator.post(WebPath.language, [("language", "de")])
            #expect(german.status == 400 && german.contains("language is en or fr"))
            let elsewhere = try await navigator.post(WebPath.language, [("language", "en"), ("back", "//evil.example/")])
            #expect(elsewhere.location == WebPath.home)
            #expect(try await navigator.get(WebPath.caseload).contains(">Caseload<"))
        }
    }
}

/// What the client reads: dates and needs as a sentence needs them, in both languages.
@Suite struct ClientSummaryWordsTests {
    @Test func datesAndNeedsReadNaturallyInEachLanguage() {
        Viewer.$language.withValue(.fr) {
            #expect(ClientSummaryWords.date(CalendarDate("2026-08-01")!) == "1er août 2026")
            #expect(ClientSummaryWords.date(CalendarDate("2026-12-07")!) == "7 décembre 2026")
            #expect(ClientSummaryWords.need(.housing) == "de l’aide concernant le logement")
            for need in NeedCategory.allCases { #expect(French.words["help with " + need.title.lowercased()] != nil, "\(need)") }
        }
        Viewer.$language.withValue(.en) {
            #expect(ClientSummaryWords.date(CalendarDate("2026-08-01")!) == "1 August 2026")
            #expect(ClientSummaryWords.need(.mentalHealth) == "help with mental health")
        }
    }
}

/// Every text value the database holds: what a page may show as it is.
enum DatabaseValues {
    static func read(_ database: any SQLDatabase) async throws -> Set<String> {
        try await database.read { db in
            var values: Set<String> = []
            let tables = try await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", [])
            for table in tables.map({ $0.string("name") }) where !table.hasSuffix("_fts") && !table.contains("fts") {
                for column in try await db.query("SELECT name FROM pragma_table_info(?)", table).map({ $0.string("name") }) {
                    let rows = try await db.query("SELECT DISTINCT \"\(column)\" AS v FROM \"\(table)\" WHERE typeof(\"\(column)\") = 'text'", [])
                    for row in rows { add(row.string("v"), to: &values) }
                }
            }
            return values
        }
    }

    /// A value, its lines (an agenda), and the strings of a JSON value (a ledger entry's detail).
    static func add(_ raw: String, to values: inout Set<String>) {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // A code (`plan`, `in-progress`) is not something a page may show as it is: it has words.
        let isCode = value.allSatisfy { ($0.isASCII && $0.isLowercase) || $0 == "-" }
        guard value.count >= 2, value.count <= 4000, !isCode else { return }
        values.insert(value)
        for line in value.split(separator: "\n") where line.count >= 2 { values.insert(line.trimmingCharacters(in: .whitespaces)) }
        if value.first == "{" || value.first == "[", let json = try? JSONSerialization.jsonObject(with: Data(value.utf8)) {
            func leaves(_ any: Any) {
                if let s = any as? String { add(s, to: &values) }
                if let a = any as? [Any] { a.forEach(leaves) }
                if let d = any as? [String: Any] { d.values.forEach(leaves) }
            }
            leaves(json)
        }
    }
}

/// Follows a signed-in person's links, breadth first, one or two pages of each shape of path.
enum PageWalk {
    static func walk(_ browser: Browser, limit: Int) async throws -> [(String, Page)] {
        var queue = [WebPath.home]
        var visited: Set<String> = []
        var shapes: [String: Int] = [:]
        var pages: [(String, Page)] = []
        while !queue.isEmpty, pages.count < limit {
            let path = queue.removeFirst()
            guard visited.insert(path).inserted else { continue }
            var page = try await browser.get(path)
            var hops = 0
            while page.status == 303 || page.status == 302, let next = page.location, hops < 3 {
                page = try await browser.get(next)
                hops += 1
            }
            guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
            pages.append((path, page))
            for link in page.links where followable(link) {
                let shape = Self.shape(link)
                guard !visited.contains(link), shapes[shape, default: 0] < 2 else { continue }
                shapes[shape, default: 0] += 1
                queue.append(link)
            }
        }
        return pages
    }

    /// Pages of ours that show something: not assets, the API, downloads or forms' targets.
    static func followable(_ link: String) -> Bool {
        guard link.hasPrefix("/"), !link.hasPrefix("//") else { return false }
        let path = link.split(separator: "?").first.map(String.init) ?? link
        for prefix in ["/assets", "/api", "/fhir", "/hsds", "/events", "/sign-out", "/.well-known", "/metrics", "/healthz", "/docs"]
        where path.hasPrefix(prefix) { return false }
        return !path.hasSuffix(".csv") && !path.hasSuffix(".json") && !path.hasSuffix(".svg") && !path.hasSuffix(".ndjson")
    }

    /// A path with its ids and query values blanked: pages of one shape show the same words.
    static func shape(_ link: String) -> String {
        let parts = link.split(separator: "?", maxSplits: 1)
        let path = parts[0].split(separator: "/").map { $0.contains("_") || $0.allSatisfy(\.isNumber) ? "{id}" : String($0) }
        let query = parts.count > 1 ? parts[1].split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted() : []
        return path.joined(separator: "/") + "?" + query.joined(separator: "&")
    }
}

/// Words on a page that are neither the catalogue's nor data.
enum UntranslatedText {
    static let readableAttribute = try! NSRegularExpression(
        pattern: #"(?:aria-label|title|placeholder|alt|data-label|data-confirm|data-said)="([^"]*)""#)

    static func find(in html: String, data: Set<String>) -> [String] {
        var texts: [String] = []
        // The words of the page: text between tags, and the attributes people read or hear.
        var body = html
        for element in ["script", "style"] {
            body = body.replacingOccurrences(of: "<\(element)[^>]*>[\\s\\S]*?</\(element)>", with: " ", options: .regularExpression)
        }
        let range = NSRange(body.startIndex..., in: body)
        for match in readableAttribute.matches(in: body, range: range) {
            if let value = Range(match.range(at: 1), in: body) { texts.append(String(body[value])) }
        }
        // The page's text as one run (a sentence's blanks may hold markup, so its marks span tags),
        // cut only between block elements.
        let blocks = body.replacingOccurrences(
            of: "</?(p|li|td|th|h[1-6]|dt|dd|div|section|option|legend|label|button|caption|figcaption|title|summary)\\b[^>]*>", with: "\u{1}",
            options: .regularExpression)
        texts += blocks.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression).split(separator: "\u{1}").map(String.init)
        return texts.compactMap { problem(in: unescape($0), data: data) }
    }

    /// What in one text is English outside the catalogue, if anything.
    static func problem(in text: String, data: Set<String>) -> String? {
        // The catalogue's strings go; data stays only where the database holds it. Marks nest (a
        // sentence's blanks hold data, data holds a translated month), so the innermost go first.
        var rest = text
        var leftover: [String] = []
        // What is meant to stay as it is in every language (⦃Français⦄, a time zone's name) goes too.
        rest = rest.replacingOccurrences(of: "⦃[^⦃⦄]*⦄", with: " ", options: .regularExpression)
        while let innermost = rest.range(of: "[⟪⟦][^⟪⟫⟦⟧]*[⟫⟧]", options: .regularExpression) {
            let marked = rest[innermost]
            if marked.first == "⟦" {
                let value = String(marked.dropFirst().dropLast())
                if !isData(value, data) { leftover.append("⟦\(value)⟧") }
            }
            rest.replaceSubrange(innermost, with: " ")
        }
        if hasWord(rest) { leftover.append(rest.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return leftover.isEmpty ? nil : leftover.joined(separator: " · ")
    }

    /// A value is data when it has no word, is held in the database, or is made of what is.
    static func isData(_ value: String, _ data: Set<String>) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if !hasWord(trimmed) || data.contains(trimmed) { return true }
        // Values joined in code: "Doe, Jane", "Elm Street Clinic – Homeward", "Jane Doe".
        for separators in [",·–—→()“”:\n", ",·–—→()“”:\n "] {
            let pieces = trimmed.components(separatedBy: CharacterSet(charactersIn: separators))
            if pieces.count > 1, pieces.allSatisfy({ !hasWord($0) || data.contains($0.trimmingCharacters(in: .whitespaces)) }) { return true }
        }
        return false
    }

    /// A word: two letters in a row, not an id (`ref_…`), an email address, a web address, or a time zone's short name.
    static func hasWord(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { $0.isWhitespace || ",;:()[]/·—–-\"'’.!?«»".contains($0) })
        return words.contains { word in
            let letters = word.filter(\.isLetter)
            guard letters.count >= 2 else { return false }
            if word.contains("_") || word.contains("@") || word.hasPrefix("http") { return false }
            if word.count <= 5, word.allSatisfy({ $0.isUppercase && $0.isASCII }) { return false }  // MST, EDT, UTC
            return word != "Thaw"
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
    }
}
