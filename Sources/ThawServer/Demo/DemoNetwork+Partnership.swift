import ThawCore
import ThawStorage

/// The demo's partnership history, written through the same store calls as
/// real use with a clock moved through the dates: 2021–2022 as the Alberta
/// study tells it (`DemoNetwork+AlbertaStory.swift`), then recent years,
/// Ontario-style: a navigator in a family health team, a shared-governance
/// council deciding by sector parity, and a joint funding agreement close to
/// expiry.
extension DemoNetwork {
    mutating func loadPartnershipHistory(into database: any SQLDatabase, passwordHash: String, endingAt end: Timestamp) async throws {
        let clock = ManualClock(ISO8601.parse("2021-05-03T15:00:00Z")!)
        let store = ThawStore(database: database, clock: clock)
        var leads: [String: ScopedStore] = [:]
        for (key, email, name) in [
            ("ministry", "lead@ministry.demo", "Rowan Ministry-Lead"), ("authority", "lead@authority.demo", "Sam Authority-Lead"),
            ("association", "lead@association.demo", "Jordan Association-Lead"), ("northgate", "lead@northgate-pcn.demo", "Casey Northgate-Lead"),
            ("fht", "lead@riverside-fht.demo", "Taylor FHT-Lead"), ("housing", "lead@homeward.demo", "Quinn Housing-Lead"),
            ("food", "lead@goodneighbour.demo", "Robin Food-Lead"), ("mental", "lead@calmwaters.demo", "Avery MH-Lead")
        ] {
            let org = organizations[key]!
            let user = try await store.createUser(
                NewUser(
                    organizationId: org.id, email: email, displayName: name, roles: [.partnershipLead],
                    password: Self.password), passwordHash: passwordHash)
            signIns.append(SignIn(email: email, role: Role.partnershipLead.rawValue, organization: org.name))
            leads[key] = store.scoped(to: Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: [.partnershipLead]))
        }
        for (key, email) in [("riverside", "lead@riverside-pcn.demo"), ("phc", "lead@phc-unit.demo")] {
            let user = try await store.user(email: email)!
            leads[key] = store.scoped(
                to: Actor(userId: user.id, organizationId: organizations[key]!.id, sector: organizations[key]!.sector, roles: user.roles))
        }
        func id(_ key: String) -> ID<Organization> { organizations[key]!.id }
        try await loadAlbertaStory(store: store, clock: clock, leads: leads, passwordHash: passwordHash)

        // Recent years: an integrated primary and social care initiative, Ontario-style.
        clock.set(end.adding(days: -400))
        let fht = leads["fht"]!, housing = leads["housing"]!, food = leads["food"]!, mental = leads["mental"]!
        let navigator = try await store.user(email: "navigator@riverside-fht.demo")!
        _ = try await fht.recordRole(
            NewRoleHolding(
                title: "System navigator", holderName: navigator.displayName, userId: navigator.id,
                singleHolder: false, leadership: false, startsOn: CalendarDate(clock.now())))
        let council = try await fht.createCommittee(
            NewCommittee(
                name: "Riverside Integrated Care Council",
                purpose: "Shared governance of the integrated primary and social care initiative: equal authority for health and social partners.",
                decisionRule: .sectorParity, quorum: 3, memberOrganizationIds: [id("fht"), id("mental"), id("housing"), id("food")]))
        _ = try await fht.recordFunding(
            NewFundingAgreement(
                title: "Integrated primary and social care initiative",
                purpose: "The navigator post, shared case conferences and a housing liaison.", amountCents: 48_000_000, currency: "CAD",
                partyOrganizationIds: [id("fht"), id("mental"), id("housing"), id("food")],
                startsOn: CalendarDate(clock.now()), endsOn: CalendarDate(end.adding(days: 75)), renewal: .inNegotiation))
        clock.set(end.adding(days: -60))
        let renewal = try await fht.proposeDecision(council.id, motion: "Ask all four boards to co-sign the renewal application")
        _ = try await fht.vote(renewal.id, .approve)
        _ = try await mental.vote(renewal.id, .approve)
        _ = try await housing.vote(renewal.id, .approve)
        _ = try await food.vote(renewal.id, .approve)
        _ = try await fht.closeDecision(renewal.id)
        _ = try await housing.sendSignal(
            NewSignal(
                kind: .staffSeconded, description: "A housing worker seconded to the family health team two days a week.",
                madeOn: CalendarDate(clock.now()), addressedToOrganizationIds: [id("fht")]))
        _ = try await housing.createCommitment(
            NewCommitment(
                toOrganizationId: id("fht"), what: "Send the board's signed renewal letter",
                context: .meeting, dueOn: CalendarDate(end.adding(days: 14))))
        // The initiative's partners have colleagues who take part and answer its quarterly pulse surveys.
        var people = leads.mapValues { [$0.actor] }
        for (key, email, name) in [
            ("fht", "nurse-lead@riverside-fht.demo", "Marie-Claire Dubois"), ("fht", "manager@riverside-fht.demo", "Samuel Oyelaran"),
            ("housing", "outreach@homeward.demo", "Dana Whitecloud"), ("housing", "programs@homeward.demo", "Luis Ortega"),
            ("food", "volunteers@goodneighbour.demo", "Beth Kowalski"), ("food", "programs@goodneighbour.demo", "Ahmed Nasser"),
            ("mental", "clinical@calmwaters.demo", "Dr. Irene Paquette"), ("mental", "intake@calmwaters.demo", "Tom Redcrow")
        ] {
            let user = try await store.createUser(
                NewUser(organizationId: id(key), email: email, displayName: name, roles: [.partnershipLead], password: Self.password),
                passwordHash: passwordHash)
            people[key, default: []].append(
                Actor(userId: user.id, organizationId: id(key), sector: organizations[key]!.sector, roles: [.partnershipLead]))
        }
        for (key, email) in [
            ("ministry", "policy@ministry.demo"), ("ministry", "pc-policy@ministry.demo"), ("authority", "zones@authority.demo"),
            ("authority", "clinical@authority.demo"), ("northgate", "director@northgate-pcn.demo"), ("northgate", "medical-lead@northgate-pcn.demo")
        ] {
            if let user = try await store.user(email: email) {
                people[key, default: []].append(
                    Actor(userId: user.id, organizationId: id(key), sector: organizations[key]!.sector, roles: user.roles))
            }
        }
        try await loadClimateHistory(into: database, people: people, endingAt: end)
    }
}
