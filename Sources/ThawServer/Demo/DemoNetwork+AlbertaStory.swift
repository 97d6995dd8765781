import ThawCore
import ThawStorage

/// The demo's 2021–22 history, with the actors and order of the Alberta study
/// (`../shared/seeds/`): a spring in which the pandemic has everyone talking; in
/// June, primary care leaders a week into a plan for primary care under endemic
/// conditions are caught off guard by a return to "normal" announced without
/// notice, and the medical association walks out; the Omicron wave; a cabinet
/// shuffle and a new minister's consultative style; a new assistant deputy
/// minister who makes good on it; the chief medical officer of health creating a
/// deputy position for primary-care integration and hiring a family doctor into
/// it, a signal the primary-health-care unit and independent primary care take as
/// meant; a working group resurrected from the old committee, more voices in
/// informal conversations, the plan rejected in June brought back and passed,
/// commitments kept and feedback adopted.
///
/// Each week's ordinary work is `DemoStoryRoutine`'s; the climate's freeze and
/// thaw come out of what is recorded here, not out of a planted temperature.
extension DemoNetwork {
    /// `leads`: each organisation's partnership lead (more people join them in the thaw).
    func loadAlbertaStory(store: ThawStore, clock: ManualClock, leads: [String: ScopedStore], passwordHash: String) async throws {
        func on(_ date: String) { clock.set(CalendarDate(date)!.startOfDay.adding(seconds: 8 * 3600)) }
        func day(_ date: String) -> CalendarDate { CalendarDate(date)! }
        func id(_ key: String) -> ID<Organization> { organizations[key]!.id }
        let ministry = leads["ministry"]!, authority = leads["authority"]!, association = leads["association"]!
        let riverside = leads["riverside"]!, northgate = leads["northgate"]!, phc = leads["phc"]!
        /// Another partnership person of an organisation, joining on the clock's day.
        func person(_ key: String, _ email: String, _ name: String) async throws -> Actor {
            let user = try await store.createUser(
                NewUser(organizationId: id(key), email: email, displayName: name, roles: [.partnershipLead], password: Self.password),
                passwordHash: passwordHash)
            return Actor(userId: user.id, organizationId: id(key), sector: organizations[key]!.sector, roles: [.partnershipLead])
        }
        var routine = DemoStoryRoutine(
            store: store, clock: clock, people: leads.mapValues { [$0.actor] }, from: day("2021-03-01"))
        on("2021-03-01")
        // Colleagues of the leads, who take part as the story allows (and answer the pulse surveys).
        for (key, email, name) in [
            ("ministry", "policy@ministry.demo", "Omar Haddad"), ("ministry", "pc-policy@ministry.demo", "Grace Lindqvist"),
            ("authority", "zones@authority.demo", "Priya Raman"), ("authority", "clinical@authority.demo", "Dr. Ken Osei"),
            ("phc", "manager@phc-unit.demo", "Nadine Courchesne"), ("association", "board@association.demo", "Dr. Sofia Reyes"),
            ("association", "policy@association.demo", "Mark Tanaka"), ("riverside", "director@riverside-pcn.demo", "Helen Baptiste"),
            ("northgate", "director@northgate-pcn.demo", "Arjun Mehta")
        ] {
            routine.people[key, default: []].append(try await person(key, email, name))
        }
        let surveyed = ["ministry", "authority", "phc", "riverside", "northgate", "association"]
        /// A pulse-survey round among the story's organisations, everyone answering as the story has them feel
        /// about each other (`level` 0–1 from the rater's organisation about the rated one), a little apart person by person.
        func pulse(_ title: String, opens: String, _ level: (String, String) -> Double) async throws {
            on(opens)
            let round = try await ministry.scheduleSurvey(
                NewSurveyRound(
                    title: title, participantOrganizationIds: surveyed.filter { $0 != "ministry" }.map(id), opensOn: day(opens),
                    closesOn: day(opens).adding(days: 13)))
            clock.set(clock.now().adding(days: 3))
            for rater in surveyed {
                for (n, person) in (routine.people[rater] ?? []).enumerated() {
                    for rated in surveyed where rated != rater {
                        let felt = min(1, max(0, level(rater, rated) + Double(n % 3 - 1) * 0.08))
                        let answers = Dictionary(
                            uniqueKeysWithValues: SurveyItem.allCases.map { item in
                                (item, 1 + Int((Double(item.scale - 1) * felt).rounded()))
                            })
                        try await store.scoped(to: person).answerSurvey(round.id, about: id(rated), answers)
                    }
                }
            }
        }

        // Spring 2021: the pandemic has everyone at the table.
        on("2021-03-01")
        let oldMinister = try await ministry.recordRole(
            NewRoleHolding(title: "Minister of Health", holderName: "T. Shandro", singleHolder: true, leadership: true, startsOn: day("2019-04-30")))
        let advisory = try await ministry.createCommittee(
            NewCommittee(
                name: "Provincial Primary Care Advisory Committee",
                purpose: "Advise the ministry on primary care in the pandemic response.", decisionRule: .simpleMajority, quorum: 3,
                memberOrganizationIds: [id("ministry"), id("authority"), id("riverside"), id("northgate"), id("association")]))
        routine.committee = advisory.id
        routine.attending = ["ministry", "authority", "riverside", "northgate", "association"]
        try await routine.play(until: day("2021-06-07"))

        // A week into the endemic plan...
        on("2021-06-07")
        let endemic = try await association.startThread(
            subject: "A plan for primary care under endemic conditions",
            with: [riverside.actor.userId, northgate.actor.userId, phc.actor.userId],
            message: "First working draft attached: testing, vaccines and follow-up run from family practices once the emergency ends.")
        _ = try await riverside.postToThread(endemic.id, body: "Good start. Add who tells patients where to get tested.")
        _ = try await association.createCommitment(
            NewCommitment(
                toOrganizationId: id("ministry"), what: "Send the ministry the draft plan for primary care under endemic conditions",
                context: .thread, contextId: endemic.id.raw, dueOn: day("2021-06-28")))
        try await routine.play(until: day("2021-06-14"))

        // ...and the province returns to "normal" without a word to primary care.
        on("2021-06-14")
        for affected in [association, riverside, northgate] {
            _ = try await affected.recordPolicyMove(
                NewPolicyMove(
                    kind: .decision, title: "Return to normal: mass testing suspended",
                    summary:
                        "The government announced the end of mass testing and a return to normal for the summer. Primary care heard it from the news.",
                    effectiveOn: day("2021-06-14"), madeByOrganizationId: id("ministry")))
        }
        _ = try await ministry.recordEvent(
            NewOutsideEvent(
                kind: .policyAnnouncement, title: "\"Best summer ever\": the province lifts public health measures",
                description: "The government all but declares the pandemic over.", occurredOn: day("2021-06-14"),
                affectedOrganizationIds: organizations.values.map(\.id)))
        routine.phase = .freeze
        on("2021-06-15")
        let june = try await ministry.recordMeeting(
            advisory.id, heldAt: clock.now(), agenda: ["Vaccine distribution", "The end of mass testing"],
            minutes:
                "The ministry presented central vaccine distribution. Primary care members said they learned of the end of testing from the news.",
            attendees: [ministry, authority, riverside, northgate, association].map(\.actor.userId))
        let motion = try await riverside.proposeDecision(
            advisory.id, motion: "Distribute vaccines through primary care networks as well as authority sites", meeting: june.id)
        for (lead, choice) in [
            (riverside, VoteChoice.approve), (association, .approve), (ministry, .reject), (authority, .reject), (northgate, .abstain)
        ] {
            _ = try await lead.vote(motion.id, choice)
        }
        _ = try await ministry.closeDecision(motion.id)
        _ = try await association.postToThread(endemic.id, body: "We will not send the plan this week. It seems the decisions are already made.")
        try await routine.play(until: day("2021-07-05"))

        on("2021-07-05")
        let framework = try await ministry.createConsultation(
            NewConsultation(
                title: "Physician funding framework 2021–2022", proposal: "Changes to physician funding and billing for the coming year.",
                invitedOrganizationIds: [id("association"), id("riverside"), id("northgate")], deadline: day("2021-07-30")))
        on("2021-07-08")
        _ = try await association.leaveCommittee(
            advisory.id,
            reason: "We were consulted on a plan and then read the decision in the news. We will not lend our name to decisions made without us.",
            walkOut: true)
        routine.attending = ["ministry", "authority", "riverside", "northgate"]
        try await routine.play(until: day("2021-07-19"))
        on("2021-07-19")
        let fundingItems = [
            try await association.addFeedback(framework.id, text: "Keep stable funding for primary care networks through the pandemic."),
            try await riverside.addFeedback(framework.id, text: "Add billing codes for virtual care and for time spent on navigation.")
        ]
        try await routine.play(until: day("2021-08-09"))
        routine.attending = ["ministry", "authority", "northgate"]  // Riverside stops coming too.
        try await routine.play(until: day("2021-09-06"))
        // Asked in the cold: primary care rates the ministry low; the ministry thinks things are better than they are.
        try await pulse("Pulse survey, September 2021", opens: "2021-09-06") { rater, rated in
            let primaryCare: Set<String> = ["association", "riverside", "northgate"]
            if primaryCare.contains(rater) && ["ministry", "authority"].contains(rated) { return 0.2 }
            if rater == "ministry" && primaryCare.contains(rated) { return 0.6 }
            return primaryCare.contains(rater) == primaryCare.contains(rated) ? 0.75 : 0.45
        }
        try await routine.play(until: day("2021-09-13"))

        // The shock, and new people.
        on("2021-09-13")
        _ = try await phc.recordEvent(
            NewOutsideEvent(
                kind: .outbreakWave, title: "The Omicron wave", description: "The variant defies the summer's optimism; clinics and hospitals fill.",
                occurredOn: day("2021-09-13"), endsOn: day("2022-02-28"), affectedOrganizationIds: organizations.values.map(\.id)))
        try await routine.play(until: day("2021-09-27"))
        on("2021-09-27")
        _ = try await ministry.endRole(oldMinister.id, endsOn: day("2021-09-20"))
        _ = try await ministry.recordRole(
            NewRoleHolding(title: "Minister of Health", holderName: "J. Copping", singleHolder: true, leadership: true, startsOn: day("2021-09-21")))
        _ = try await ministry.recordEvent(
            NewOutsideEvent(
                kind: .cabinetChange, title: "Cabinet shuffle: a new Minister of Health",
                description: "The new minister's first words to primary care: we will consult before we decide.", occurredOn: day("2021-09-21"),
                affectedOrganizationIds: [id("ministry"), id("authority"), id("association")]))
        try await routine.play(until: day("2021-10-12"))

        on("2021-10-12")
        let adm = try await person("ministry", "adm@ministry.demo", "Dana Assistant-Deputy-Minister")
        _ = try await ministry.recordRole(
            NewRoleHolding(
                title: "Assistant Deputy Minister, Health Services", holderName: "D. Fontaine", userId: adm.userId,
                singleHolder: true, leadership: true, startsOn: day("2021-10-12")))
        routine.people["ministry", default: []].append(adm)
        // She makes good on the consultative style: the summer's feedback answered, late, and the consultation closed.
        let admStore = store.scoped(to: adm)
        _ = try await admStore.respond(
            framework.id, item: fundingItems[0].id, .adopted,
            text: "Funding for primary care networks held steady through March 2022. We are sorry this waited.")
        _ = try await admStore.respond(
            framework.id, item: fundingItems[1].id, .adapted,
            text: "Virtual care codes extended; navigation codes to be worked out with the association.")
        _ = try await admStore.closeConsultation(framework.id)
        try await routine.play(until: day("2021-11-01"))

        on("2021-11-01")
        let deputy = try await person("ministry", "dcmoh@ministry.demo", "Dr. Lise Marchand")
        _ = try await ministry.recordRole(
            NewRoleHolding(
                title: "Deputy Chief Medical Officer of Health, primary care integration", holderName: "Dr. L. Marchand (family physician)",
                userId: deputy.userId, singleHolder: true, leadership: true, startsOn: day("2021-11-01")))
        routine.people["ministry", default: []].append(deputy)
        let signal = try await ministry.sendSignal(
            NewSignal(
                kind: .integrationRoleCreated,
                description:
                    "The Chief Medical Officer of Health has created a deputy position for primary-care integration and hired a family physician into it.",
                madeOn: day("2021-11-01"), addressedToOrganizationIds: [id("phc"), id("association"), id("riverside"), id("northgate")]))
        on("2021-11-03")
        _ = try await phc.acknowledgeSignal(
            signal.id, note: "A family doctor in that role is a step towards good-faith engagement. We look forward to working with her.")
        _ = try await association.acknowledgeSignal(
            signal.id, note: "Members feel they have an advocate they can reach. Could we meet in the next two weeks?")
        _ = try await riverside.acknowledgeSignal(signal.id, note: "Welcome news for our clinics.")
        on("2021-11-08")
        let liaison = try await phc.sendSignal(
            NewSignal(
                kind: .liaisonAppointed, description: "A primary care liaison in the unit for each network: one person to call.",
                madeOn: day("2021-11-08"), addressedToOrganizationIds: [id("riverside"), id("northgate")]))
        _ = try await riverside.acknowledgeSignal(liaison.id, note: "Thank you. It already feels like one team.")
        _ = try await northgate.acknowledgeSignal(liaison.id, note: nil)
        try await routine.play(until: day("2021-11-22"))

        // The committee resurrected as a working group, with more voices.
        on("2021-11-22")
        for (key, email, name) in [
            ("association", "president@association.demo", "Dr. Ravi Sandhu"), ("riverside", "medical-lead@riverside-pcn.demo", "Dr. Ana Ferreira"),
            ("northgate", "medical-lead@northgate-pcn.demo", "Dr. Tom Bear"), ("phc", "liaison@phc-unit.demo", "Jess Liaison")
        ] {
            routine.people[key, default: []].append(try await person(key, email, name))
        }
        let group = try await ministry.createCommittee(
            NewCommittee(
                name: "Primary Care and System Working Group",
                purpose: "The advisory committee, resurrected after the summer: plan with primary care, not for it.", decisionRule: .consensus,
                quorum: 4, memberOrganizationIds: [id("ministry"), id("authority"), id("phc"), id("riverside"), id("northgate"), id("association")]))
        routine.committee = group.id
        routine.attending = ["ministry", "authority", "phc", "riverside", "northgate", "association"]
        routine.phase = .thaw
        try await routine.play(until: day("2021-12-06"))

        on("2021-12-06")
        let ppe = try await authority.createCommitment(
            NewCommitment(
                toOrganizationId: id("riverside"), what: "Supply protective equipment to primary care clinics", context: .meeting,
                dueOn: day("2021-12-20")))
        let codes = try await ministry.createCommitment(
            NewCommitment(
                toOrganizationId: id("association"), what: "Revisit billing codes for virtual care and navigation", context: .meeting,
                dueOn: day("2022-02-28")))
        let messaging = try await phc.createCommitment(
            NewCommitment(
                toOrganizationId: id("northgate"), what: "Change public messaging to point patients to their family doctor", context: .meeting,
                dueOn: day("2022-01-15")))
        // Persevering: the plan turned down in June, brought back to newly attentive eyes.
        let again = try await riverside.proposeDecision(
            group.id, motion: "Distribute vaccines through primary care networks as well as authority sites", revives: motion.id)
        for lead in [ministry, authority, phc, riverside, northgate, association] { _ = try await lead.vote(again.id, .approve) }
        _ = try await ministry.closeDecision(again.id)
        _ = try await ministry.recordPolicyMove(
            NewPolicyMove(
                kind: .plan, title: "Rapid tests for family practices",
                summary: "From 3 January, family practices can hand out rapid tests; supply through the authority.",
                effectiveOn: day("2022-01-03"), affectedOrganizationIds: [id("association"), id("riverside"), id("northgate")]))
        try await routine.play(until: day("2021-12-20"))
        on("2021-12-20")
        _ = try await authority.changeCommitment(ppe.id, .keep(evidence: "40,000 masks and 8,000 gowns delivered to 62 clinics."), expectedVersion: 1)
        _ = try await riverside.changeCommitment(ppe.id, .confirm(note: "Every clinic on our list has its share. Thank you."), expectedVersion: 2)
        try await routine.play(until: day("2022-01-10"))

        on("2022-01-10")
        let billing = try await ministry.createConsultation(
            NewConsultation(
                title: "Billing codes for virtual care and navigation",
                proposal: "Proposed codes for virtual visits and for time spent connecting patients with services.",
                invitedOrganizationIds: [id("association"), id("riverside"), id("northgate")], deadline: day("2022-02-04")))
        _ = try await phc.changeCommitment(
            messaging.id, .keep(evidence: "Campaign 'Your family doctor is open' launched 12 January."), expectedVersion: 1)
        try await routine.play(until: day("2022-01-24"))
        on("2022-01-24")
        let items = [
            try await association.addFeedback(billing.id, text: "Pay virtual visits at parity with in-person visits."),
            try await riverside.addFeedback(billing.id, text: "Include navigator time, not only physician time."),
            try await northgate.addFeedback(billing.id, text: "Allow billing for telephone follow-up in rural areas.")
        ]
        try await routine.play(until: day("2022-02-07"))
        on("2022-02-07")
        _ = try await ministry.respond(billing.id, item: items[0].id, .adopted, text: "Virtual visits paid at parity from April.")
        _ = try await ministry.respond(
            billing.id, item: items[1].id, .adapted, text: "Navigator time billable through the network grant, not fee codes.")
        _ = try await ministry.respond(
            billing.id, item: items[2].id, .notAdopted, text: "Telephone follow-up is already billable; we will say so more clearly.")
        _ = try await ministry.closeConsultation(billing.id)
        try await routine.play(until: day("2022-02-21"))
        on("2022-02-21")
        _ = try await ministry.changeCommitment(
            codes.id, .keep(evidence: "New virtual care and navigation codes published 21 February."), expectedVersion: 1)
        try await routine.play(until: day("2022-03-07"))
        try await pulse("Pulse survey, March 2022", opens: "2022-03-07") { rater, rated in rater == "association" && rated == "ministry" ? 0.8 : 0.75
        }
        try await routine.play(until: day("2022-03-21"))
        on("2022-03-21")
        _ = try await ministry.recordPolicyMove(
            NewPolicyMove(
                kind: .plan, title: "Primary care in the province's endemic plan",
                summary: "The endemic plan gives family practices testing, antivirals and follow-up, as the association's draft proposed.",
                effectiveOn: day("2022-04-19"), affectedOrganizationIds: [id("association"), id("riverside"), id("northgate"), id("phc")]))
        try await routine.play(until: day("2022-09-12"))
        try await pulse("Pulse survey, September 2022", opens: "2022-09-12") { _, _ in 0.85 }
        try await routine.play(until: day("2023-01-02"))
    }
}
