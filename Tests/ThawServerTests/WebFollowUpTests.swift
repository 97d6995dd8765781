import Testing
import ThawCore
import ThawStorage
import ThawTestSupport
@testable import ThawServer
import HTTPTypes

/// A navigator in Edmonton works a client through the pages: follow-ups typed and shown on the
/// clinic's own clock, a follow-up date moved, the partner's "need met" closing the need, and
/// the caseload's list of needs falling through the cracks.
@Suite("Web pages: follow-up and needs")
struct WebFollowUpTests {
    @Test("follow-ups are entered and shown on the organisation's clock, and a need met closes from the referral page")
    func followUpToNeedClosed() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = browsers["navigator"]!
            try await world.database.write { db in
                try await db.execute("UPDATE organizations SET time_zone = 'America/Edmonton' WHERE id = ?", world.clinic.id)
            }
            let nav = world.store.scoped(to: world.navigator)
            let (_, needs) = try await nav.recordScreening(client: world.client.id, NewScreening(answers: [.housing: .yes, .food: .yes]))
            let housing = try #require(needs.first { $0.category == .housing })
            let referral = try await nav.createReferral(
                NewReferral(clientId: world.client.id, serviceId: world.housingService.id, needCategory: .housing, needIds: [housing.id])
            ).0
            // The caseload: the food need was never referred.
            let caseload = try await navigator.get("/caseload")
            #expect(caseload.contains("Needs falling through the cracks") && caseload.contains("Identified, never referred"))
            #expect(caseload.contains("Amara Okafor</a>: Food"))
            // Sent at 09:00 UTC on 5 January: 02:00 in Edmonton (MST).
            var page = try await navigator.get("/referrals/\(referral.id)")
            #expect(page.contains("5 Jan 2026 02:00 MST") && !page.contains(" UTC<"))
            world.clock.set(ISO8601.parse("2026-01-06T16:00:00Z")!)  // 09:00 on the 6th in Edmonton
            let recorded = try await navigator.post(
                "/referrals/\(referral.id)",
                [
                    ("action", "follow-up"), ("happenedAt", "2026-01-05T20:15"), ("method", "phone"), ("party", "client"),
                    ("result", "no-answer"), ("note", "Left a voicemail"), ("nextFollowUpDue", "2026-01-09")
                ])
            #expect(recorded.status == 303)
            let log = try await nav.followUps(referral: referral.id)
            #expect(log.first?.happenedAt == ISO8601.parse("2026-01-06T03:15:00Z"))  // 20:15 MST is 03:15 UTC the next day
            #expect(try await nav.referral(referral.id).referral.followUpDue == ISO8601.parse("2026-01-10T07:00:00Z"))
            page = try await navigator.get("/referrals/\(referral.id)")
            #expect(page.contains("5 Jan 2026 20:15 MST") && page.contains("Left a voicemail") && page.contains("No answer"))
            #expect(page.contains("due <time datetime=\"2026-01-09\">9 Jan 2026</time>"))
            // A follow-up in the future, or a date that is not one, is refused on the form, naming the field.
            let future = try await navigator.post(
                "/referrals/\(referral.id)", [("action", "follow-up"), ("happenedAt", "2026-01-07T09:00"), ("result", "reached")])
            #expect(future.status == 422 && future.contains("happenedAt cannot be in the future"))
            let garbled = try await navigator.post(
                "/referrals/\(referral.id)", [("action", "follow-up"), ("happenedAt", "yesterday"), ("result", "reached")])
            #expect(garbled.status == 422 && garbled.contains("happenedAt must be a date and time"))
            #expect(try await nav.followUps(referral: referral.id).count == 1)
            // Moving the follow-up date from the page.
            page = try await navigator.get("/referrals/\(referral.id)")
            let moved = try await navigator.post(
                "/referrals/\(referral.id)",
                [("action", "follow-up-date"), ("followUpDue", "2026-01-12"), ("version", page.version(of: "follow-up-date") ?? "")])
            #expect(moved.status == 303)
            #expect(try await nav.referral(referral.id).referral.followUpDue == ISO8601.parse("2026-01-13T07:00:00Z"))
            // The partner completes with the need met: the navigator is offered to close it.
            let partner = world.store.scoped(to: world.housingStaff)
            let current = try await partner.referral(referral.id).referral.version
            _ = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: current)
            _ = try await partner.changeStatus(
                referral.id, StatusChange(status: .completed, outcome: ReferralOutcome(code: .needMet, summary: "Housed")),
                expectedVersion: current + 1)
            page = try await navigator.get("/referrals/\(referral.id)")
            #expect(page.contains("outcome says the need is met") && page.contains("value=\"\(housing.id)\""))
            #expect(!page.contains("Change the follow-up date"))
            let closed = try await navigator.post("/referrals/\(referral.id)", [("action", "close-needs"), ("needIds", housing.id.raw)])
            #expect(closed.status == 303)
            let stored = try await nav.needs(client: world.client.id).first { $0.id == housing.id }
            #expect(stored?.status == .met && stored?.closingReferralId == referral.id && stored?.closedOn == CalendarDate("2026-01-06"))
            #expect(!(try await navigator.get("/referrals/\(referral.id)")).contains("Close as met"))
            // The referral has closed: the navigator asks the client the three questions.
            let missing = try await navigator.post("/referrals/\(referral.id)", [("action", "experience"), ("easy", "yes")])
            #expect(missing.status == 422 && missing.contains("Choose the client"))
            let asked = try await navigator.post(
                "/referrals/\(referral.id)", [("action", "experience"), ("easy", "yes"), ("needMet", "yes"), ("wouldUseAgain", "partly")])
            #expect(asked.status == 303)
            let answered = try await navigator.get("/referrals/\(referral.id)")
            #expect(answered.contains("The client's experience") && answered.contains("<dt>Would use it again</dt><dd>Partly</dd>"))
            // The client page tells the story; the partner never sees the log.
            let client = try await navigator.get("/clients/\(world.client.id)")
            #expect(
                client.contains("Referred to <a href=\"/referrals/\(referral.id)\">Homeward Housing</a>") && client.contains("<strong>Met</strong>"))
            let partnerPage = try await browsers["housing"]!.get("/referrals/\(referral.id)")
            #expect(partnerPage.status == 200 && !partnerPage.contains("Left a voicemail") && !partnerPage.contains("Record a follow-up"))
        }
    }

    @Test("a need is closed from the client page with a reason, and a bad date is refused on its own form")
    func closeFromClientPage() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = browsers["navigator"]!
            let nav = world.store.scoped(to: world.navigator)
            let (_, needs) = try await nav.recordScreening(client: world.client.id, NewScreening(answers: [.food: .yes]))
            let food = try #require(needs.first)
            // Another organisation cannot close it.
            let other = try await browsers["housing"]!.post(
                "/clients/\(world.client.id)", [("action", "close-need"), ("need", food.id.raw), ("status", "met")])
            #expect(other.status == 403)
            #expect(try await nav.needs(client: world.client.id).first?.status == .active)
            let bad = try await navigator.post(
                "/clients/\(world.client.id)", [("action", "close-need"), ("need", food.id.raw), ("status", "declined"), ("closedOn", "2030-01-01")])
            #expect(bad.status == 422 && bad.contains("closedOn cannot be after today"))
            let done = try await navigator.post(
                "/clients/\(world.client.id)", [("action", "close-need"), ("need", food.id.raw), ("status", "declined")])
            #expect(done.status == 303)
            let page = try await navigator.get("/clients/\(world.client.id)")
            #expect(page.contains("Declined by the client") && page.contains("No open needs"))
        }
    }
}

@Suite("Web pages: referring onward")
struct WebOnwardReferralTests {
    @Test("a housing worker refers the client on to the food bank and back to the clinic; the navigator sees the chain")
    func referOnward() async throws {
        try await withWeb { browsers, world, _ in
            let housing = browsers["housing"]!, navigator = browsers["navigator"]!
            let parent = try await world.refer()
            #expect(!(try await housing.get("/referrals/\(parent.id)")).contains("Refer the client on"), "not before it is accepted")
            _ = try await world.store.scoped(to: world.housingStaff).changeStatus(parent.id, StatusChange(status: .accepted), expectedVersion: 1)
            let page = try await housing.get("/referrals/\(parent.id)")
            #expect(page.contains("Refer the client on") && page.contains("Riverside Clinic (back to the client’s primary care)"))
            // Without the client's consent for the food bank, nothing is sent, and the form says why.
            let refused = try await housing.post(
                "/referrals/\(parent.id)", [("action", "refer-onward"), ("organizationId", world.food.id.raw), ("needCategory", "food")])
            #expect(refused.status == 422 && refused.contains("no active consent covering Food Bank"))
            let (referrals, consents) = (try await world.count("referrals"), try await world.count("consents"))
            #expect(referrals == 1 && consents == 1)
            let sent = try await housing.post(
                "/referrals/\(parent.id)",
                [
                    ("action", "refer-onward"), ("organizationId", world.food.id.raw), ("needCategory", "food"), ("note", "Empty cupboard"),
                    ("consent", "yes")
                ])
            #expect(sent.status == 303)
            let childId = try #require(sent.location?.split(separator: "/").last.map { String($0.split(separator: "?")[0]) })
            #expect(try await world.count("consents") == 2)
            #expect((try await browsers["food"]!.get("/inbox")).contains("/referrals/\(childId)"))
            let back = try await housing.post(
                "/referrals/\(parent.id)", [("action", "refer-onward"), ("organizationId", world.clinic.id.raw), ("needCategory", "mental-health")])
            #expect(back.status == 303)
            #expect((try await navigator.get("/inbox")).contains("Amara Okafor"))
            // The clinic sees the whole chain from its referral; the food bank's link is not its to open.
            let chain = try await navigator.get("/referrals/\(parent.id)")
            #expect(chain.contains("Referred on") && chain.contains("Homeward Housing → Food Bank"))
            #expect(!chain.contains("href=\"/referrals/\(childId)\""))
            #expect(try await navigator.get("/referrals/\(childId)").status == 404)
        }
    }
}

@Suite("Web pages: the client in the loop")
struct WebClientSummaryTests {
    @Test("the partner books an appointment; the navigator prints the client's summary in French or English")
    func summaryInTheClientsLanguage() async throws {
        try await withWeb { browsers, world, _ in
            let housing = browsers["housing"]!, navigator = browsers["navigator"]!
            try await world.database.write { db in
                try await db.execute("UPDATE organizations SET time_zone = 'America/Toronto' WHERE id IN (?, ?)", world.clinic.id, world.housing.id)
                try await db.execute("UPDATE clients SET preferred_language = 'fr', email = 'amara@client.test' WHERE id = ?", world.client.id)
            }
            let referral = try await world.refer()
            _ = try await world.store.scoped(to: world.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            let booked = try await housing.post(
                "/referrals/\(referral.id)", [("action", "appointment"), ("at", "2026-01-07T14:30"), ("place", "40 King St, 2nd floor")])
            #expect(booked.status == 303)
            #expect(
                try await world.store.scoped(to: world.navigator).appointments(referral: referral.id).first?.at
                    == ISO8601.parse("2026-01-07T19:30:00Z"))
            let noPlace = try await housing.post("/referrals/\(referral.id)", [("action", "appointment"), ("at", "2026-01-08T10:00")])
            #expect(noPlace.status == 422)
            #expect(try await navigator.post("/clients/\(world.client.id)", [("action", "reminders"), ("remindByEmail", "yes")]).status == 303)
            let french = try await navigator.get("/referrals/\(referral.id)/summary")
            #expect(french.contains("lang=\"fr\"") && french.contains("Votre orientation"))
            #expect(french.contains("Nous vous avons orienté vers Homeward Housing pour de l’aide concernant le logement."))
            #expect(french.contains("Votre rendez-vous : le 7 janvier 2026 à 14:30 (EST), à l’adresse suivante : 40 King St, 2nd floor."))
            #expect(french.contains("Nous vous enverrons un rappel par courriel la veille.") && !french.contains("Needs housing soon"))
            let english = try await navigator.get("/referrals/\(referral.id)/summary?lang=en")
            #expect(
                english.contains("We referred you to Homeward Housing for help with housing.") && english.contains("7 January 2026 at 14:30 (EST)"))
            // The partner does not print the clinic's summary for the client.
            #expect(try await housing.get("/referrals/\(referral.id)/summary").status == 404)
        }
    }
}

@Suite("Web pages: tasks for the client")
struct WebClientTaskTests {
    @Test("the navigator asks the client to call the partner; it is on the client's summary until done; the partner never sees it")
    func askedDoneAndSummarised() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = try #require(browsers["navigator"]), housing = try #require(browsers["housing"])
            let referral = try await world.refer()
            let path = "/clients/\(world.client.id)"
            let asked = try await navigator.post(
                path,
                [("action", "task"), ("kind", "make-contact"), ("description", "Call Homeward's intake line"), ("referralId", referral.id.raw)])
            #expect(asked.status == 303)
            var page = try await navigator.get(path)
            #expect(page.contains("Call Homeward&#39;s intake line") && page.contains("Contact a service"))
            var summary = try await navigator.get("/referrals/\(referral.id)/summary?lang=en")
            #expect(summary.contains("What we asked you to do") && summary.contains("Call Homeward&#39;s intake line"))
            // Nothing written: the form comes back with the message next to the field.
            let blank = try await navigator.post(path, [("action", "task"), ("kind", "general-information"), ("description", " ")])
            #expect(blank.status == 422 && blank.contains("This is required and may not be blank"))
            // The partner's view of the client has no tasks, and closing one is not theirs to do.
            let task = try #require(try await world.store.scoped(to: world.navigator).clientTasks(client: world.client.id).first)
            #expect(try await housing.post(path, [("action", "close-task"), ("task", task.id.raw), ("status", "completed")]).status == 404)
            #expect(try await navigator.post(path, [("action", "close-task"), ("task", task.id.raw), ("status", "completed")]).status == 303)
            page = try await navigator.get(path)
            #expect(page.contains("Done") && !page.contains(">No longer needed</button>"))
            summary = try await navigator.get("/referrals/\(referral.id)/summary?lang=en")
            #expect(!summary.contains("What we asked you to do"), "a task done is off the summary")
        }
    }
}

@Suite("Web pages: placements")
struct WebPlacementTests {
    @Test("the clinic places a community navigator; they switch to work for it, in the pages and over the API")
    func placedNavigator() async throws {
        try await withWeb { browsers, world, client in
            let person = try await world.addPerson(world.housing, "navigator@housing.test", [.partnerStaff])
            let session = try await world.store.startSession(user: person.userId, lifetimeSeconds: 3600)
            let placed = Browser(client: client, cookie: session.secret, csrf: session.csrf)
            _ = try await world.refer()
            let admin = try await world.store.startSession(user: world.clinicAdmin.userId, lifetimeSeconds: 3600)
            let clinicAdmin = Browser(client: client, cookie: admin.secret, csrf: admin.csrf)
            let bad = try await clinicAdmin.post(
                "/admin/organizations/\(world.clinic.id)",
                [("action", "placement"), ("email", "navigator@housing.test"), ("roles", "administrator"), ("fromOn", "2026-01-05")])
            #expect(bad.status == 422 && bad.contains("a placement gives only"))
            let made = try await clinicAdmin.post(
                "/admin/organizations/\(world.clinic.id)",
                [("action", "placement"), ("email", "navigator@housing.test"), ("roles", "navigator"), ("fromOn", "2026-01-05")])
            #expect(made.status == 303)
            #expect((try await clinicAdmin.get("/admin/organizations/\(world.clinic.id)")).contains("Homeward Housing · Navigator"))
            // The placed person chooses to work for the clinic.
            let home = try await placed.get("/inbox")
            #expect(home.contains("Working for") && home.contains("value=\"\(world.clinic.id)\""))
            #expect(try await placed.get("/caseload").status == 403)
            #expect(try await placed.post("/working-as", [("organizationId", world.unrelated.id.raw)]).status == 403)
            #expect(try await placed.post("/working-as", [("organizationId", world.clinic.id.raw)]).status == 303)
            let caseload = try await placed.get("/caseload")
            #expect(caseload.status == 200 && caseload.contains("Amara Okafor") && caseload.contains("Riverside Clinic"))
            #expect(try await placed.post("/working-as", [("organizationId", world.housing.id.raw)]).status == 303)
            #expect(try await placed.get("/caseload").status == 403)
            // Over the API, a token works for the placement with the Thaw-Organization header.
            let token = try await world.store.createToken(user: person.userId, name: "t", expiresAt: nil, by: nil).secret
            func clientRead(_ organization: ID<Organization>?) async throws -> (UInt, String) {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                if let organization { headers[HTTPField.Name("Thaw-Organization")!] = organization.raw }
                let answer = try await client.execute(uri: "/api/v1/clients/\(world.client.id)", method: .get, headers: headers, body: nil)
                return (UInt(answer.status.code), String(buffer: answer.body))
            }
            // For housing, the client is seen as its consent allows (no phone); for the clinic, whole.
            let asHousing = try await clientRead(nil), asClinic = try await clientRead(world.clinic.id)
            #expect(asHousing.0 == 200 && !asHousing.1.contains("555-0101"))
            #expect(asClinic.0 == 200 && asClinic.1.contains("555-0101"))
            #expect(try await clientRead(world.unrelated.id).0 == 403)
            _ = browsers
        }
    }
}

@Suite("Web pages: one client, several organisations")
struct WebClientLinkTests {
    @Test("the navigator finds the food bank's record of the client, confirms it is them, links, reads it and unlinks")
    func linkRecords() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = browsers["navigator"]!
            let foodNavigator = world.store.scoped(to: try await world.addPerson(world.food, "nav@food.test", [.navigator]))
            let theirs = try await foodNavigator.createClient(
                NewClient(givenName: "Amara", familyName: "Okafor", birthDate: CalendarDate("1980-04-02")))
            _ = try await foodNavigator.recordScreening(client: theirs.id, NewScreening(answers: [.income: .yes]))
            var page = try await navigator.get("/clients/\(world.client.id)?find=links")
            #expect(page.contains("No other record matches"), "no consent yet: nothing offered")
            _ = try await foodNavigator.recordConsent(
                client: theirs.id, NewConsent(grantee: .organization(world.clinic.id), scopes: [.needs], purpose: .careCoordination))
            page = try await navigator.get("/clients/\(world.client.id)?find=links")
            #expect(page.contains("Records that match") && page.contains("Only the name and birth date match"))
            let unconfirmed = try await navigator.post("/clients/\(world.client.id)", [("action", "link"), ("other", theirs.id.raw)])
            #expect(unconfirmed.status == 422 && unconfirmed.contains("confirm it is the same person"))
            let linked = try await navigator.post(
                "/clients/\(world.client.id)", [("action", "link"), ("other", theirs.id.raw), ("confirmed", "yes")])
            #expect(linked.status == 303)
            page = try await navigator.get("/clients/\(world.client.id)")
            #expect(page.contains("<strong>Food Bank</strong>") && page.contains("Needs: Income (open)"))
            let link = try #require(try await world.store.scoped(to: world.navigator).linkedRecords(client: world.client.id).first?.link)
            #expect(try await navigator.post("/clients/\(world.client.id)", [("action", "unlink"), ("link", link.id.raw)]).status == 303)
            #expect((try await navigator.get("/clients/\(world.client.id)")).contains("None linked."))
        }
    }
}
