import ThawCore
import ThawStorage

/// The demo's partnership history, written through the same store calls as
/// real use with a clock moved through the dates.
///
/// 2021–2022, in the spirit of the Alberta study (`../shared/seeds/`): a cold
/// summer (a consultation left unanswered, commitments missed, the medical
/// association walking out of the advisory committee), then an outside shock
/// (a fourth wave), a cabinet shuffle, a new deputy minister and a new deputy
/// chief medical officer hired to work with primary care; a working group
/// restarted, informal contacts, a consultation answered item by item, and
/// commitments kept (protective equipment supplied, billing codes revisited,
/// public messaging changed).
///
/// Recent years, Ontario-style: a navigator in a family health team, a
/// shared-governance council deciding by sector parity, and a joint funding
/// agreement close to expiry.
extension DemoNetwork {
    mutating func loadPartnershipHistory(into database: any SQLDatabase, passwordHash: String, endingAt end: Timestamp) async throws {
        let clock = ManualClock(ISO8601.parse("2021-05-03T15:00:00Z")!)
        let store = ThawStore(database: database, clock: clock)
        func on(_ date: String) { clock.set(CalendarDate(date)!.startOfDay.adding(seconds: 15 * 3600)) }
        func day(_ date: String) -> CalendarDate { CalendarDate(date)! }
        var leads: [String: ScopedStore] = [:]
        var leadIds: [String: ID<User>] = [:]
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
            leadIds[key] = user.id
            leads[key] = store.scoped(to: Actor(userId: user.id, organizationId: org.id, sector: org.sector, roles: [.partnershipLead]))
        }
        for (key, email) in [("riverside", "lead@riverside-pcn.demo"), ("phc", "lead@phc-unit.demo")] {
            let user = try await store.user(email: email)!
            leadIds[key] = user.id
            leads[key] = store.scoped(
                to: Actor(userId: user.id, organizationId: organizations[key]!.id, sector: organizations[key]!.sector, roles: user.roles))
        }
        let ministry = leads["ministry"]!, authority = leads["authority"]!, association = leads["association"]!
        let riverside = leads["riverside"]!, northgate = leads["northgate"]!, phc = leads["phc"]!
        func id(_ key: String) -> ID<Organization> { organizations[key]!.id }

        // Who led what before the shock.
        on("2021-05-03")
        let oldDeputy = try await ministry.recordRole(
            NewRoleHolding(
                title: "Deputy Minister of Health", holderName: "R. Whitfield",
                singleHolder: true, leadership: true, startsOn: day("2019-02-01")))

        // A cold summer.
        on("2021-06-01")
        let advisory = try await ministry.createCommittee(
            NewCommittee(
                name: "Provincial Primary Care Advisory Committee",
                purpose: "Advise the ministry on primary care during the pandemic.", decisionRule: .simpleMajority, quorum: 3,
                memberOrganizationIds: [id("ministry"), id("authority"), id("riverside"), id("northgate"), id("association")]))
        on("2021-06-15")
        let june = try await ministry.recordMeeting(
            advisory.id, heldAt: clock.now(), agenda: ["Vaccine distribution", "Physician funding"],
            minutes: "The ministry presented central vaccine distribution. Primary care asked to be involved in planning; no agreement.",
            attendees: [leadIds["ministry"]!, leadIds["authority"]!, leadIds["riverside"]!, leadIds["association"]!])
        let motion = try await ministry.proposeDecision(
            advisory.id, motion: "Distribute COVID-19 vaccines through health authority sites only", meeting: june.id)
        _ = try await ministry.vote(motion.id, .approve)
        _ = try await authority.vote(motion.id, .approve)
        _ = try await riverside.vote(motion.id, .reject)
        _ = try await association.vote(motion.id, .reject)
        _ = try await northgate.vote(motion.id, .approve)
        _ = try await ministry.closeDecision(motion.id)
        _ = try await ministry.createCommitment(
            NewCommitment(
                toOrganizationId: id("association"), what: "Share the protective equipment allocation plan with primary care",
                context: .meeting, contextId: june.id.raw, dueOn: day("2021-07-15")))
        _ = try await authority.createCommitment(
            NewCommitment(
                toOrganizationId: id("riverside"), what: "Send clinics the vaccine supply schedule",
                context: .meeting, contextId: june.id.raw, dueOn: day("2021-08-01")))
        on("2021-07-02")
        let framework = try await ministry.createConsultation(
            NewConsultation(
                title: "Physician funding framework",
                proposal: "Changes to physician funding and billing for 2021–2022.",
                invitedOrganizationIds: [id("association"), id("riverside"), id("northgate")],
                deadline: day("2021-07-30")))
        on("2021-07-20")
        _ = try await association.addFeedback(framework.id, text: "Keep stable funding for primary care networks through the pandemic.")
        _ = try await riverside.addFeedback(framework.id, text: "Add billing codes for virtual care and for time spent on navigation.")
        on("2021-08-10")
        try await store.sweepDeadlines()
        _ = try await association.leaveCommittee(
            advisory.id, reason: "Our feedback on the funding framework went unanswered; we will not lend our name to decisions made without us.")

        // The shock, and new people.
        on("2021-09-01")
        _ = try await phc.recordEvent(
            NewOutsideEvent(
                kind: .outbreakWave, title: "Fourth wave of COVID-19", description: "Hospital and ICU capacity strained.",
                occurredOn: day("2021-09-01"), endsOn: day("2021-11-30"), affectedOrganizationIds: Array(organizations.values.map(\.id))))
        on("2021-09-21")
        _ = try await ministry.recordEvent(
            NewOutsideEvent(
                kind: .cabinetChange, title: "Cabinet shuffle: a new Minister of Health",
                description: "The premier names a new health minister.", occurredOn: day("2021-09-21"),
                affectedOrganizationIds: [id("ministry"), id("authority")]))
        on("2021-10-12")
        _ = try await ministry.endRole(oldDeputy.id, endsOn: day("2021-10-11"))
        _ = try await ministry.recordRole(
            NewRoleHolding(
                title: "Deputy Minister of Health", holderName: "P. Okonkwo", singleHolder: true,
                leadership: true, startsOn: day("2021-10-12")))
        on("2021-11-01")
        _ = try await phc.recordRole(
            NewRoleHolding(
                title: "Deputy Chief Medical Officer of Health (primary care)", holderName: "Dr. L. Marchand",
                singleHolder: true, leadership: true, startsOn: day("2021-11-01")))
        let signal = try await phc.sendSignal(
            NewSignal(
                kind: .integrationRoleCreated,
                description: "A deputy chief medical officer of health hired to work with primary care.", madeOn: day("2021-11-01"),
                addressedToOrganizationIds: [id("association"), id("riverside"), id("northgate")]))
        on("2021-11-08")
        _ = try await association.acknowledgeSignal(signal.id, note: "Welcome. We would like to meet in the next two weeks.")
        _ = try await riverside.acknowledgeSignal(signal.id, note: nil)

        // A thaw: formal and informal channels together, listening, following through.
        on("2021-11-15")
        let deputyThread = try await ministry.startThread(
            subject: "Starting again", with: [leadIds["association"]!],
            message: "Could we meet informally before the working group starts?")
        on("2021-11-16")
        _ = try await association.postToThread(deputyThread.id, body: "Yes. Thursday morning works.")
        _ = try await phc.startThread(
            subject: "Vaccine clinics in Riverside", with: [leadIds["riverside"]!], message: "What do your clinics need for boosters?")
        on("2021-11-22")
        let group = try await ministry.createCommittee(
            NewCommittee(
                name: "Primary Care and System Working Group",
                purpose: "Restarted after the fourth wave: plan with primary care, not for it.", decisionRule: .consensus, quorum: 4,
                memberOrganizationIds: [id("ministry"), id("authority"), id("phc"), id("riverside"), id("northgate"), id("association")]))
        on("2021-12-02")
        let december = try await ministry.recordMeeting(
            group.id, heldAt: clock.now(), agenda: ["Protective equipment for clinics", "Billing codes", "Public messaging"],
            minutes:
                "Agreed: PPE for clinics through the authority; billing codes reviewed with the association; messaging to point patients to family doctors.",
            attendees: [leadIds["ministry"]!, leadIds["authority"]!, leadIds["phc"]!, leadIds["riverside"]!, leadIds["association"]!])
        let ppe = try await authority.createCommitment(
            NewCommitment(
                toOrganizationId: id("riverside"), what: "Supply protective equipment to primary care clinics",
                context: .meeting, contextId: december.id.raw, dueOn: day("2021-12-20")))
        let codes = try await ministry.createCommitment(
            NewCommitment(
                toOrganizationId: id("association"), what: "Revisit billing codes for virtual care and navigation",
                context: .meeting, contextId: december.id.raw, dueOn: day("2022-02-28")))
        let messaging = try await phc.createCommitment(
            NewCommitment(
                toOrganizationId: id("northgate"), what: "Change public messaging to point patients to their family doctor",
                context: .meeting, contextId: december.id.raw, dueOn: day("2022-01-15")))
        let together = try await ministry.proposeDecision(
            group.id, motion: "Plan booster clinics jointly with primary care networks", meeting: december.id)
        for lead in [ministry, authority, phc, riverside, northgate, association] { _ = try await lead.vote(together.id, .approve) }
        _ = try await ministry.closeDecision(together.id)
        on("2021-12-18")
        _ = try await authority.changeCommitment(ppe.id, .keep(evidence: "40,000 masks and 8,000 gowns delivered to 62 clinics."), expectedVersion: 1)
        on("2022-01-10")
        let billing = try await ministry.createConsultation(
            NewConsultation(
                title: "Billing codes for virtual care and navigation",
                proposal: "Proposed codes for virtual visits and for time spent connecting patients with services.",
                invitedOrganizationIds: [id("association"), id("riverside"), id("northgate")], deadline: day("2022-02-04")))
        _ = try await phc.changeCommitment(
            messaging.id, .keep(evidence: "Campaign 'Your family doctor is open' launched 12 January."), expectedVersion: 1)
        on("2022-01-25")
        let items = [
            try await association.addFeedback(billing.id, text: "Pay virtual visits at parity with in-person visits."),
            try await riverside.addFeedback(billing.id, text: "Include navigator time, not only physician time."),
            try await northgate.addFeedback(billing.id, text: "Allow billing for telephone follow-up in rural areas.")
        ]
        on("2022-02-10")
        _ = try await ministry.respond(billing.id, item: items[0].id, .adopted, text: "Virtual visits paid at parity from April.")
        _ = try await ministry.respond(billing.id, item: items[1].id, .adapted, text: "Navigator time billable through the PCN grant, not fee codes.")
        _ = try await ministry.respond(
            billing.id, item: items[2].id, .notAdopted, text: "Telephone follow-up is already billable; we will say so more clearly.")
        _ = try await ministry.closeConsultation(billing.id)
        on("2022-02-25")
        _ = try await ministry.changeCommitment(
            codes.id, .keep(evidence: "New virtual-care and navigation codes published 24 February."), expectedVersion: 1)

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
        try await loadClimateHistory(into: database, leads: leads.mapValues(\.actor), endingAt: end)
    }
}
