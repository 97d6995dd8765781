import Foundation
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@Suite("Web pages: the referral work")
struct WebReferralFlowTests {
    @Test("the directory search lists services outside the network to contact, never to choose, nearest first")
    func directorySearchOnTheNewReferralPage() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = browsers["navigator"]!
            let organization = "6a000000-0000-4000-8000-000000000001", service = "6a000000-0000-4000-8000-000000000002"
            var reading = HSDSReading()
            reading.records = [
                HSDSRecord(entity: "organization", id: organization, fields: ["name": .text("Rent Bank Society"), "description": .text("Rent help")]),
                HSDSRecord(
                    entity: "service", id: service,
                    fields: ["organization_id": .text(organization), "name": .text("Rent bank"), "status": .text("active")]),
                HSDSRecord(
                    entity: "attribute", id: "6a000000-0000-4000-8000-000000000003",
                    fields: [
                        "link_id": .text(service), "link_entity": .text("service"),
                        "taxonomy_term_id": .text(DirectoryVocabulary.needTermId(.housing))
                    ])
            ]
            _ = try await world.store.importDirectory(reading)
            let page = try await navigator.post(
                "/clients/\(world.client.id)/referrals/new",
                [("action", "search"), ("needCategory", "housing"), ("keyword", "rent"), ("postalCode", "K1N 5T5"), ("idempotencyKey", "k0")])
            #expect(page.status == 200)
            #expect(page.contains("Rent bank") && page.contains("Outside the Thaw network: contact this service directly."))
            #expect(!page.contains("Rapid Rehousing"))  // every word must be found
            #expect(page.contains("The directory has no place for that postal code yet"))
            #expect(!page.contains("value=\"service:") || !page.contains(service))
        }
    }

    @Test("a whole loop through the pages: refer, accept, message both ways with receipts, complete with outcome")
    func wholeLoop() async throws {
        try await withWeb { browsers, world, _ in
            let navigator = browsers["navigator"]!, housing = browsers["housing"]!
            // Find services for housing: the consent to Homeward is shown, the food bank needs one.
            let search = try await navigator.post(
                "/clients/\(world.client.id)/referrals/new",
                [("action", "search"), ("needCategory", "housing"), ("capacity", "accepting"), ("idempotencyKey", "k1")])
            #expect(search.status == 200)
            #expect(search.contains("Rapid Rehousing") && search.contains("Hampers"))
            #expect(search.contains("Consent covers this partner: Identified needs, Referral notes and messages."))
            #expect(search.contains("No consent covers this partner yet"))
            let sent = try await navigator.post(
                "/clients/\(world.client.id)/referrals/new",
                [
                    ("action", "send"), ("needCategory", "housing"), ("target", "service:\(world.housingService.id)"),
                    ("priority", "urgent"), ("note", "Eviction notice received"), ("idempotencyKey", "k1")
                ])
            #expect(sent.status == 303)
            let path = sent.location!.components(separatedBy: "?")[0]
            // The same submit again (a double click) does not make a second referral.
            let again = try await navigator.post(
                "/clients/\(world.client.id)/referrals/new",
                [
                    ("action", "send"), ("needCategory", "housing"), ("target", "service:\(world.housingService.id)"),
                    ("priority", "urgent"), ("note", "Eviction notice received"), ("idempotencyKey", "k1")
                ])
            #expect(again.location?.components(separatedBy: "?")[0] == path)
            #expect(try await world.count("referrals") == 1)

            let inbox = try await housing.get("/inbox")
            #expect(inbox.contains("Amara Okafor") && inbox.contains(path))
            var page = try await housing.get(path)
            #expect(page.contains(">Accept</button>") && page.contains("Decline…"))
            #expect(!page.contains("Cancel referral…") || page.contains("Cancel referral"))  // both sides may cancel
            #expect(!(try await navigator.get(path)).contains(">Accept</button>"))  // the referrer cannot accept
            let accepted = try await housing.post(
                path, [("action", "status-accepted"), ("status", "accepted"), ("version", page.version(of: "status-accepted")!)])
            #expect(accepted.status == 303)
            page = try await housing.get(path)
            _ = try await housing.post(
                path, [("action", "status-in-progress"), ("status", "in-progress"), ("version", page.version(of: "status-in-progress")!)])

            #expect(try await navigator.post(path, [("action", "message"), ("body", "Can you call her before Friday?")]).status == 303)
            let partnerView = try await housing.get(path)  // reading marks it read
            #expect(partnerView.contains("Can you call her before Friday?"))
            #expect(try await housing.post(path, [("action", "message"), ("body", "Called; viewing on Thursday.")]).status == 303)
            let navigatorView = try await navigator.get(path)
            #expect(navigatorView.contains("Called; viewing on Thursday."))
            #expect(navigatorView.contains("Read "))  // the receipt on the navigator's own message

            page = try await housing.get(path)
            let noOutcome = try await housing.post(
                path, [("action", "status-completed"), ("status", "completed"), ("version", page.version(of: "status-completed")!)])
            #expect(noOutcome.status == 422)
            #expect(noOutcome.contains("Choose the outcome"))
            let done = try await housing.post(
                path,
                [
                    ("action", "status-completed"), ("status", "completed"), ("outcomeCode", "need-met"),
                    ("outcomeSummary", "Housed at Elm Court"), ("version", page.version(of: "status-completed")!)
                ])
            #expect(done.status == 303)
            let closed = try await navigator.get(path)
            #expect(closed.contains("Need met: Housed at Elm Court"))
            #expect(closed.contains("moved it from in progress to completed"))
            #expect(!closed.contains("What you can do now"))  // nothing left to do on a completed referral
        }
    }

    @Test("a decline needs a reason; a stale form is refused with 412 and nothing changes; the typed reason is kept")
    func declineAndStale() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            let housing = browsers["housing"]!, path = "/referrals/\(referral.id)"
            let page = try await housing.get(path)
            let version = page.version(of: "status-rejected")!
            let blank = try await housing.post(path, [("action", "status-rejected"), ("status", "rejected"), ("version", version), ("reason", " ")])
            #expect(blank.status == 422)
            #expect(blank.contains("Give a reason") && blank.contains("Choose why you are declining"))
            // Meanwhile the navigator edits the referral, so the open form is stale.
            _ = try await world.store.scoped(to: world.navigator).updateReferral(referral.id, ReferralUpdate(priority: .urgent), expectedVersion: 1)
            let stale = try await housing.post(
                path,
                [
                    ("action", "status-rejected"), ("status", "rejected"), ("version", version),
                    ("reasonCode", "not-eligible"), ("reason", "No units in Riverside")
                ])
            #expect(stale.status == 412)
            #expect(stale.contains("nothing was saved"))
            #expect(stale.contains("No units in Riverside"))
            #expect(try await world.store.scoped(to: world.navigator).referral(referral.id).referral.status == .requested)
            let fresh = try await housing.get(path)
            let declined = try await housing.post(
                path,
                [
                    ("action", "status-rejected"), ("status", "rejected"), ("reasonCode", "not-eligible"),
                    ("version", fresh.version(of: "status-rejected")!), ("reason", "No units in Riverside")
                ])
            #expect(declined.status == 303)
            let seen = try await browsers["navigator"]!.get(path)
            #expect(seen.contains("Declined") && seen.contains("No units in Riverside"))
        }
    }

    @Test("a decline for no capacity takes the partner to its service's capacity; its colleagues are asked too; the wait reaches navigators")
    func declineForNoCapacity() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            let housing = browsers["housing"]!, path = "/referrals/\(referral.id)"
            let colleague = try await world.addPerson(world.housing, "admin@housing.test", [.administrator])
            let page = try await housing.get(path)
            #expect(page.contains("value=\"no-capacity\""))
            let declined = try await housing.post(
                path,
                [
                    ("action", "status-rejected"), ("status", "rejected"), ("reasonCode", "no-capacity"),
                    ("version", page.version(of: "status-rejected")!), ("reason", "Full until spring")
                ])
            #expect(declined.status == 303 && declined.location?.hasPrefix("/our-services?check=\(world.housingService.id)") == true)
            let prompt = try await housing.get(declined.location!)
            #expect(prompt.contains("Is Rapid Rehousing still accepting referrals?") && prompt.contains("declined for lack of capacity"))
            // Those who keep the service's record are told, by a notice naming no client.
            _ = try await world.store.fanOutEvents()
            let told = try await world.store.scoped(to: colleague).notifications().items
            #expect(told.map(\.kind) == [.capacityCheck] && !told[0].summary.contains("Amara"))
            #expect(try await world.store.scoped(to: world.navigator).notifications().items.map(\.kind) == [.referralDeclined])
            // Two clicks: the page, then the capacity (with the wait).
            let set = try await housing.post(
                "/our-services",
                [("action", "capacity"), ("service", world.housingService.id.raw), ("capacity", "waitlist"), ("estimatedWaitDays", "60")])
            #expect(set.status == 303)
            let service = try await world.store.service(world.housingService.id)
            #expect(service.capacity == .waitlist && service.estimatedWaitDays == 60 && service.verifiedBy == "staff@housing.test")
            let search = try await browsers["navigator"]!.post(
                "/clients/\(world.client.id)/referrals/new", [("action", "search"), ("needCategory", "housing"), ("idempotencyKey", "k9")])
            #expect(search.contains("Wait: About 2 months") && search.contains("by staff@housing.test"))
            // A record left unverified past the policy is flagged to navigators and listed for its organisation.
            let longAgo = world.clock.now().adding(days: -200)
            try await world.database.write { db in
                try await db.execute("UPDATE services SET verified_at = ? WHERE id = ?", longAgo, world.housingService.id)
                try await db.execute("UPDATE directory_search SET verified_at = ? WHERE thaw_service_id = ?", longAgo, world.housingService.id)
            }
            let later = try await browsers["navigator"]!.post(
                "/clients/\(world.client.id)/referrals/new", [("action", "search"), ("needCategory", "housing"), ("idempotencyKey", "k10")])
            #expect(later.contains("may be out of date"))
            let upkeep = try await housing.get("/our-services")
            #expect(upkeep.contains("To verify (1)") && upkeep.contains("Still correct"))
            #expect(try await housing.post("/our-services", [("action", "verify"), ("service", world.housingService.id.raw)]).status == 303)
            #expect(!(try await housing.get("/our-services")).contains("To verify"))
            // Not for those who do not keep services.
            #expect(try await browsers["navigator"]!.get("/our-services").status == 403)
        }
    }

    @Test("an open referral is claimed from the inbox by an eligible partner, once")
    func claim() async throws {
        try await withWeb { browsers, world, _ in
            // Consent for every social-care organisation, then leave the referral open.
            let navigator = browsers["navigator"]!
            let opened = try await navigator.post(
                "/clients/\(world.client.id)/referrals/new",
                [
                    ("action", "send"), ("needCategory", "food"), ("target", "open"), ("idempotencyKey", "open-1"),
                    ("recordConsent", "yes"), ("grantee", "sector:social-care"), ("scopes", "needs"), ("purpose", "referral")
                ])
            #expect(opened.status == 303)
            let inbox = try await browsers["food"]!.get("/inbox")
            #expect(inbox.contains("Open referrals to claim") && inbox.contains(">Claim<"))
            let id = opened.location!.components(separatedBy: "?")[0].components(separatedBy: "/").last!
            #expect(!(try await browsers["unrelated"]!.get("/inbox")).contains(id))  // not eligible: no food service
            let claimed = try await browsers["food"]!.post("/inbox/claim", [("referral", id)])
            #expect(claimed.status == 303)
            let second = try await browsers["housing"]!.post("/inbox/claim", [("referral", id)])
            #expect(second.status == 404 || second.status == 409)
            let page = try await browsers["food"]!.get("/referrals/\(id)")
            #expect(page.contains("Accepted") && page.contains("claimed the open referral"))
        }
    }

    @Test("revoking consent on the client page takes the client out of the partner's inbox and referral page at once")
    func revokeConsent() async throws {
        try await withWeb { browsers, world, _ in
            let referral = try await world.refer()
            #expect(try await browsers["housing"]!.get("/inbox").contains("Amara Okafor"))
            let clientPage = try await browsers["navigator"]!.get("/clients/\(world.client.id)")
            #expect(clientPage.contains("Revoke"))
            let revoked = try await browsers["navigator"]!.post(
                "/clients/\(world.client.id)",
                [("action", "revoke-consent"), ("consent", world.housingConsent.id.raw)])
            #expect(revoked.status == 303)
            #expect(!(try await browsers["housing"]!.get("/inbox")).contains("Amara"))
            #expect(try await browsers["housing"]!.get("/referrals/\(referral.id)").status == 404)
            #expect(try await browsers["housing"]!.get("/clients/\(world.client.id)").status == 404)
        }
    }

    @Test("caseload counts: overdue first response, awaiting the partner, follow-up due, closed this week")
    func counts() async throws {
        try await withWeb { browsers, world, _ in
            let waiting = try await world.refer()
            let cancelled = try await world.refer()
            _ = try await world.store.scoped(to: world.navigator).changeStatus(
                cancelled.id, StatusChange(status: .cancelled, reason: "duplicate"), expectedVersion: 1)
            var counts = try await world.store.scoped(to: world.navigator).worklistCounts(.caseload)
            #expect(counts.open == 1 && counts.awaitingTheirReply == 1 && counts.overdueFirstResponse == 0 && counts.closedThisWeek == 1)
            world.clock.advance(seconds: 15 * 86_400)  // past first response (5 days) and follow-up (14 days)
            counts = try await world.store.scoped(to: world.navigator).worklistCounts(.caseload)
            #expect(counts.overdueFirstResponse == 1 && counts.followUpOverdue == 1 && counts.followUpDueToday == 0 && counts.closedThisWeek == 0)
            let inbox = try await world.store.scoped(to: world.housingStaff).worklistCounts(.inbox)
            #expect(inbox.requested == 1 && inbox.overdueFirstResponse == 1 && inbox.awaitingMyReply == 1)
            #expect(try await world.store.scoped(to: world.foodStaff).worklistCounts(.inbox) == WorklistCounts())
            let page = try await browsers["navigator"]!.get("/caseload")
            #expect(page.contains("<span class=\"n\">1</span> first response overdue"))
            #expect(page.contains("/referrals/\(waiting.id)"))
        }
    }

    @Test("a committed change reaches live subscribers of both organisations, not others")
    func changeFeed() async throws {
        try await withWeb { _, world, _ in
            let (stream, cancel) = world.store.changes.subscribe()
            let referral = try await world.refer()
            _ = try await world.store.scoped(to: world.housingStaff).sendMessage(referral: referral.id, body: "hello")
            var iterator = stream.makeAsyncIterator()
            let first = await iterator.next()?.referralChange
            let second = await iterator.next()?.referralChange
            #expect(first?.referralId == referral.id && second?.referralId == referral.id)
            #expect(first?.concerns(world.clinic.id) == true && first?.concerns(world.housing.id) == true)
            #expect(first?.concerns(world.unrelated.id) == false)
            cancel()
            #expect(world.store.changes.subscriberCount == 0)
        }
    }
}
