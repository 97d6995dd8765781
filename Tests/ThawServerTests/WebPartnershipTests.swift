import Foundation
import HummingbirdTesting
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@Suite("Web pages: partnership practice")
struct WebPartnershipTests {
    /// A partnership lead at the housing agency with a browser session.
    func housingLead(_ w: World, _ client: any TestClientProtocol) async throws -> Browser {
        try await lead(w, client, w.housing, "lead@housing.web")
    }

    /// A partnership lead of `organization` with a browser session.
    func lead(_ w: World, _ client: any TestClientProtocol, _ organization: Organization, _ email: String) async throws -> Browser {
        let user = try await w.store.createUser(
            NewUser(
                organizationId: organization.id, email: email, displayName: "\(organization.name) lead",
                roles: [.partnershipLead], password: "correct horse battery"), passwordHash: "x")
        let session = try await w.store.startSession(user: user.id, lifetimeSeconds: 90 * 86_400)
        return Browser(client: client, cookie: session.secret, csrf: session.csrf)
    }

    @Test("a committee through the pages: set up, motion, votes, a second vote refused, the count under sector parity")
    func committee() async throws {
        try await withWeb { browsers, w, client in
            let lead = browsers["clinicLead"]!, housing = try await housingLead(w, client)
            let created = try await lead.post(
                "/partnership/committees/new",
                [
                    ("name", "Integrated care council"), ("purpose", "Shared governance"),
                    ("decisionRule", "sector-parity"), ("quorum", "2"), ("members", w.clinic.id.raw), ("members", w.housing.id.raw)
                ])
            #expect(created.status == 303)
            let path = created.location!.components(separatedBy: "?")[0]
            #expect(try await lead.post(path, [("action", "motion"), ("motion", "Hire a housing liaison")]).status == 303)
            var page = try await lead.get(path)
            #expect(page.contains("Hire a housing liaison") && page.contains("Open for votes"))
            let decision = try #require(
                page.html.range(of: #"name="decision" value="([^"]+)""#, options: .regularExpression).map {
                    String(page.html[$0]).components(separatedBy: "value=\"")[1].dropLast()
                })
            #expect(try await lead.post(path, [("action", "vote"), ("decision", String(decision)), ("choice", "approve")]).status == 303)
            let again = try await lead.post(path, [("action", "vote"), ("decision", String(decision)), ("choice", "reject")])
            #expect(again.status == 409 && again.contains("already voted") && again.contains("Nothing was changed"))
            #expect(try await housing.post(path, [("action", "vote"), ("decision", String(decision)), ("choice", "approve")]).status == 303)
            #expect(try await lead.post(path, [("action", "close"), ("decision", String(decision))]).status == 303)
            page = try await housing.get(path)
            #expect(page.contains("Passed") && page.contains("a majority of the members of every sector approved"))
            #expect(try await browsers["food"]!.get(path).status == 404)
            let timeline = try await housing.get(path + "/timeline")
            #expect(timeline.contains("motion passed"))
        }
    }

    @Test("a consultation: feedback, closing refused with an unanswered item, answers, the CSV with formulas neutralised")
    func consultation() async throws {
        try await withWeb { browsers, w, client in
            let lead = browsers["clinicLead"]!, housing = try await housingLead(w, client)
            let created = try await lead.post(
                "/partnership/consultations/new",
                [
                    ("title", "Billing codes"), ("proposal", "New codes"),
                    ("invited", w.housing.id.raw), ("deadline", "2026-02-01")
                ])
            #expect(created.status == 303)
            let path = created.location!.components(separatedBy: "?")[0]
            #expect(try await housing.post(path, [("action", "feedback"), ("text", "=HYPERLINK(\"x\") count navigator time")]).status == 303)
            let refused = try await lead.post(path, [("action", "close")])
            #expect(refused.status == 409 && refused.contains("1 feedback item has no answer yet"))
            let page = try await lead.get(path)
            let item = try #require(
                page.html.range(of: #"name="item" value="([^"]+)""#, options: .regularExpression).map {
                    String(page.html[$0]).components(separatedBy: "value=\"")[1].dropLast()
                })
            let blank = try await lead.post(path, [("action", "answer"), ("item", String(item)), ("response", "not-adopted"), ("text", " ")])
            #expect(blank.status == 422)
            #expect(
                try await lead.post(path, [("action", "answer"), ("item", String(item)), ("response", "adapted"), ("text", "Through the grant")])
                    .status == 303)
            #expect(try await lead.post(path, [("action", "close")]).status == 303)
            let csv = try await housing.get(path + "/you-said-we-did.csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.contains("\"'=HYPERLINK(\"\"x\"\") count navigator time\",\"Adapted\",\"Through the grant\""))
            #expect(try await browsers["food"]!.get(path + "/you-said-we-did.csv").status == 404)
        }
    }

    @Test("commitments and signals through the pages; a thread stays with its participants")
    func commitmentsSignalsThreads() async throws {
        try await withWeb { browsers, w, client in
            let lead = browsers["clinicLead"]!, housing = try await housingLead(w, client)
            let past = try await lead.post(
                "/partnership/commitments",
                [
                    ("action", "create"), ("to", w.housing.id.raw), ("what", "Send PPE"),
                    ("context", "meeting"), ("dueOn", "2025-12-01")
                ])
            #expect(past.status == 422 && past.contains("cannot be due in the past") && past.contains("Send PPE"))
            #expect(
                try await lead.post(
                    "/partnership/commitments",
                    [
                        ("action", "create"), ("to", w.housing.id.raw), ("what", "Send PPE"),
                        ("context", "meeting"), ("dueOn", "2026-01-20")
                    ]
                ).status == 303)
            #expect(try await housing.get("/partnership/commitments").contains("Send PPE"))
            // Marked kept by the clinic, confirmed by housing on its page: kept in housing's judgement.
            let made = try #require(try await w.store.scoped(to: w.clinicLead).commitments().first { $0.what == "Send PPE" })
            #expect(
                try await lead.post(
                    "/partnership/commitments",
                    [("action", "keep"), ("commitment", made.id.raw), ("version", "1"), ("evidence", "Boxes delivered")]
                ).status == 303)
            let waiting = try await housing.get("/partnership/commitments")
            #expect(waiting.contains("Marked kept, awaiting confirmation") && waiting.contains("Confirm it was kept") && waiting.contains("Dispute"))
            let byTheWrongSide = try await lead.post(
                "/partnership/commitments", [("action", "confirm"), ("commitment", made.id.raw), ("version", "2")])
            #expect(byTheWrongSide.status == 403)
            #expect(
                try await housing.post("/partnership/commitments", [("action", "confirm"), ("commitment", made.id.raw), ("version", "2")]).status
                    == 303)
            #expect(try await lead.get("/partnership/commitments").contains(">Kept<"))
            #expect(
                try await lead.post(
                    "/partnership",
                    [
                        ("action", "signal"), ("kind", "liaison-appointed"), ("description", "A liaison nurse"),
                        ("madeOn", "2026-01-05"), ("addressedTo", w.housing.id.raw)
                    ]
                ).status == 303)
            let overview = try await housing.get("/partnership")
            #expect(overview.contains("A liaison nurse") && overview.contains(">Acknowledge<"))
            let thread = try await lead.post(
                "/partnership",
                [
                    ("action", "thread"), ("subject", "Coffee?"), ("participantEmail", "staff@housing.test"),
                    ("message", "Next week?")
                ])
            #expect(thread.status == 303)
            #expect(try await browsers["housing"]!.get(thread.location!).contains("Next week?"))
            #expect(try await browsers["clinicAdmin"]!.get(thread.location!).status == 404)
        }
    }

    @Test("roles and joint funding through the overview: an overlapping term refused, a stale renewal refused, alerts shown")
    func rolesAndFunding() async throws {
        try await withWeb { browsers, w, _ in
            let lead = browsers["clinicLead"]!
            let role = [
                ("action", "role"), ("title", "Executive director"), ("holderName", "Ada"), ("flags", "single"), ("flags", "leadership"),
                ("startsOn", "2025-01-01")
            ]
            #expect(try await lead.post("/partnership", role).status == 303)
            let overlap = try await lead.post(
                "/partnership",
                [
                    ("action", "role"), ("title", "Executive director"), ("holderName", "Grace"),
                    ("flags", "single"), ("startsOn", "2025-06-01")
                ])
            #expect(overlap.status == 409 && overlap.contains("Ada holds Executive director") && overlap.contains("Nothing was changed"))
            let funding = try await lead.post(
                "/partnership",
                [
                    ("action", "funding"), ("title", "Pilot"), ("purpose", "Navigator"), ("amount", "480,000"),
                    ("currency", "CAD"), ("parties", w.housing.id.raw), ("startsOn", "2025-01-01"), ("endsOn", "2026-03-01")
                ])
            #expect(funding.status == 303)
            let page = try await lead.get("/partnership")
            #expect(page.contains("CAD 480,000") && page.contains("ends within 90 days"))
            #expect(page.contains("Ada") && page.contains("leadership"))
            let agreement = try await w.store.scoped(to: w.clinicLead).funding().first!.agreement
            #expect(
                try await lead.post(
                    "/partnership", [("action", "renewal"), ("agreement", agreement.id.raw), ("renewal", "renewed"), ("version", "1")]
                ).status == 303)
            let stale = try await lead.post(
                "/partnership", [("action", "renewal"), ("agreement", agreement.id.raw), ("renewal", "not-renewed"), ("version", "1")])
            #expect(stale.status == 412)
            #expect(try await w.store.scoped(to: w.clinicLead).funding().first?.agreement.renewal == .renewed)
        }
    }

    @Test("policy moves through the overview: ours with notice, a partner's surprise, both on the pair's climate page; a walk-out")
    func policyMovesAndAWalkOut() async throws {
        try await withWeb { browsers, w, client in
            let clinic = browsers["clinicLead"]!, housing = try await housingLead(w, client)
            let today = CalendarDate(w.clock.now())
            let ours = try await clinic.post(
                "/partnership",
                [
                    ("action", "policy"), ("madeBy", w.clinic.id.raw), ("kind", "plan"), ("title", "Testing moves to family practices"),
                    ("summary", "From March, testing is booked through the clinic"), ("effectiveOn", today.adding(days: 30).description),
                    ("announcedOn", ""), ("noticeDays", ""), ("affected", w.housing.id.raw)
                ])
            #expect(ours.status == 303)
            let expecting = try await clinic.post(
                "/partnership",
                [
                    ("action", "policy"), ("madeBy", w.clinic.id.raw), ("kind", "plan"), ("title", "Phone line hours"), ("summary", "Shorter hours"),
                    ("effectiveOn", today.adding(days: 30).description), ("noticeDays", "a month"), ("affected", w.housing.id.raw)
                ])
            #expect(expecting.status == 422 && expecting.contains("noticeDays must be a whole number"))
            // Housing was told of a clinic decision the day after it took effect.
            let theirs = try await housing.post(
                "/partnership",
                [
                    ("action", "policy"), ("madeBy", w.clinic.id.raw), ("kind", "decision"), ("title", "Walk-in closed on Fridays"),
                    ("summary", "We heard from a client"), ("effectiveOn", today.adding(days: -1).description)
                ])
            #expect(theirs.status == 303)
            // A move of our own must name a partner it affects: the form comes back naming the field.
            let unnamed = try await clinic.post(
                "/partnership",
                [
                    ("action", "policy"), ("madeBy", w.clinic.id.raw), ("kind", "plan"), ("title", "x"), ("summary", "y"),
                    ("effectiveOn", today.description)
                ])
            #expect(unnamed.status == 422 && unnamed.contains("name at least one partner the move affects"))

            let overview = try await housing.get("/partnership")
            #expect(overview.contains("Testing moves to family practices") && overview.contains("30 days’ notice"))
            #expect(overview.contains("told 1 day after it took effect: a surprise"))
            let pair = try await housing.get("/climate/pairs/\(w.clinic.id.raw)/\(w.housing.id.raw)")
            #expect(
                pair.contains("No surprises") && pair.contains("Walk-in closed on Fridays") && pair.contains("Surprise: Walk-in closed on Fridays"))
            // A partnership lead of neither organisation sees the pair's climate but not its policy moves.
            let food = try await lead(w, client, w.food, "lead@food.web").get("/climate/pairs/\(w.clinic.id.raw)/\(w.housing.id.raw)")
            #expect(food.status == 200 && food.contains("Climate: ") && !food.contains("Walk-in closed on Fridays"))

            // A committee the housing agency walks out of: on the committee's timeline with its reason.
            let created = try await clinic.post(
                "/partnership/committees/new",
                [
                    ("name", "Primary care table"), ("purpose", "Endemic plan"), ("decisionRule", "consensus"), ("quorum", "1"),
                    ("members", w.clinic.id.raw), ("members", w.housing.id.raw)
                ])
            let path = try #require(created.location?.components(separatedBy: "?").first)
            #expect(try await housing.post(path, [("action", "leave"), ("reason", "Not consulted"), ("walkOut", "yes")]).status == 303)
            #expect(try await clinic.get(path + "/timeline").contains("walked out of the committee: “Not consulted”"))
        }
    }

    @Test("a motion that failed, brought back through the committee page, shows on the pair's climate page from first attempt to outcome")
    func aMotionBroughtBack() async throws {
        try await withWeb { browsers, w, client in
            let clinic = browsers["clinicLead"]!, housing = try await housingLead(w, client)
            let created = try await clinic.post(
                "/partnership/committees/new",
                [
                    ("name", "Advisory committee"), ("purpose", "Advice"), ("decisionRule", "consensus"), ("quorum", "1"),
                    ("members", w.clinic.id.raw), ("members", w.housing.id.raw)
                ])
            let path = try #require(created.location?.components(separatedBy: "?").first)
            let first = try await w.store.scoped(to: w.clinicLead).proposeDecision(
                try #require(try await w.store.scoped(to: w.clinicLead).committees().first).id, motion: "Share one intake form")
            _ = try await w.store.scoped(to: w.clinicLead).vote(first.id, .reject)
            _ = try await w.store.scoped(to: w.clinicLead).closeDecision(first.id)
            let page = try await housing.get(path)
            #expect(page.contains("Brings back a motion that failed") && page.contains("Share one intake form (failed"))
            #expect(
                try await housing.post(path, [("action", "motion"), ("motion", "Share one intake form, one page long"), ("revives", first.id.raw)])
                    .status == 303)
            #expect(try await clinic.get(path + "/timeline").contains("brought back a motion that failed before"))
            let pair = try await housing.get("/climate/pairs/\(w.clinic.id.raw)/\(w.housing.id.raw)")
            #expect(
                pair.contains("Brought back") && pair.contains("“Share one intake form”") && pair.contains("“Share one intake form, one page long”"))
        }
    }

    @Test("a pulse survey through the pages: a lead opens a round, people answer one partner at a time, results only from three, beside behaviour")
    func pulseSurvey() async throws {
        try await withWeb { browsers, w, client in
            let clinic = browsers["clinicLead"]!
            let today = CalendarDate(w.clock.now())
            let opened = try await clinic.post(
                "/partnership/surveys",
                [
                    ("title", "Winter pulse"), ("participants", w.housing.id.raw), ("opensOn", today.description),
                    ("closesOn", today.adding(days: 13).description)
                ])
            #expect(opened.status == 303)
            let path = try #require(opened.location?.components(separatedBy: "?").first)
            // Partner staff answer on their phone: one partner at a time, every question optional, nothing sent refused.
            let housing = browsers["housing"]!
            let page = try await housing.get(path)
            #expect(page.contains("About Riverside Clinic") && page.contains("They do what they say they will do.") && page.contains("Tend to agree"))
            let empty = try await housing.post(path, [("action", "answer"), ("organization", w.clinic.id.raw)])
            #expect(empty.status == 422 && empty.contains("answer at least one item"))
            let answers = SurveyItem.allCases.map { ($0.rawValue, String($0.scale)) }
            #expect(try await housing.post(path, [("action", "answer"), ("organization", w.clinic.id.raw)] + answers).status == 303)
            #expect(try await housing.get(path).contains("You have rated every partner in this round."))
            // Two more housing people, and three of the clinic about housing.
            for email in ["second@housing.test", "third@housing.test"] {
                let person = try await w.addPerson(w.housing, email, [.partnerStaff])
                try await w.store.scoped(to: person).answerSurvey(
                    ID(path.components(separatedBy: "/").last!), about: w.clinic.id, [.trustReliable: 4])
            }
            for person in [w.navigator, w.clinician, w.clinicLead] {
                try await w.store.scoped(to: person).answerSurvey(
                    ID(path.components(separatedBy: "/").last!), about: w.housing.id,
                    Dictionary(uniqueKeysWithValues: SurveyItem.allCases.map { ($0, 1) }))
            }
            let results = try await clinic.get(path)
            #expect(results.contains("Results so far") && results.contains("3 people"))
            #expect(try await browsers["food"]!.get(path).status == 404)
            #expect(try await clinic.get("/partnership/surveys").contains("Winter pulse"))

            // Once the round has closed and its month is whole, the pair page sets the survey beside the behaviour.
            w.clock.advance(seconds: 45 * 86_400)
            let pair = try await clinic.get("/climate/pairs/\(w.clinic.id.raw)/\(w.housing.id.raw)")
            #expect(pair.contains("Survey and behaviour"))
        }
    }
}
