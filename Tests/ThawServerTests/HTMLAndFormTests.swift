import Testing
@testable import ThawServer
import ThawCore

@Suite("HTML escaping and form parsing")
struct HTMLAndFormTests {
    @Test("interpolated strings, ids and enums are escaped; HTML fragments are not")
    func escaping() {
        let name = #"<img src=x onerror="alert(1)"> & 'co'"#
        let fragment: HTML = "<em>\(name)</em>"
        #expect(fragment.text == "<em>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;co&#39;</em>")
        let nested: HTML = "<p>\(fragment)</p>"
        #expect(nested.text == "<p>" + fragment.text + "</p>")  // not escaped twice
        let id = ID<Client>("cli_<x>")
        #expect(HTML("\(id)").text == "cli_&lt;x&gt;")
        let missing: String? = nil
        #expect(HTML("[\(missing)]").text == "[]")
    }

    @Test("url-encoded forms: plus and percent decoding, repeated fields, blanks read as missing")
    func parsing() throws {
        let form = WebForm(urlEncoded: "name=Ana+Mar%C3%ADa&scopes=contact&scopes=needs&empty=+&amp=a%26b%3Dc&flag")
        #expect(form["name"] == "Ana María")
        #expect(form.all("scopes") == ["contact", "needs"])
        #expect(form["empty"] == nil)
        #expect(form["amp"] == "a&b=c")
        #expect(form.all("flag") == [""])
        #expect(try form.choices("scopes", ConsentScope.self) == [.contact, .needs])
        #expect(throws: ThawError.self) { try WebForm(urlEncoded: "scopes=everything").choices("scopes", ConsentScope.self) }
        #expect(throws: ThawError.self) { try WebForm(urlEncoded: "d=2026-02-30").date("d") }
        #expect(try WebForm(urlEncoded: "d=2026-02-28").date("d") == CalendarDate("2026-02-28"))
    }

    @Test("dates read as people read them")
    func words() {
        let t = ISO8601.parse("2026-11-26T09:05:00Z")!
        #expect(Words.dateTime(t) == "26 Nov 2026 09:05 UTC")
        #expect(Words.relative(t.adding(seconds: 3 * 86_400), now: t) == "3 days")
        #expect(Words.relative(t.adding(seconds: 90), now: t) == "1 minute")
    }
}
