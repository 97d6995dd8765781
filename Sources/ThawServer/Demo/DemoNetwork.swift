import HummingbirdBcrypt
import ThawCore
import ThawStorage

/// A realistic network for `thaw demo`: a ministry, a health authority with its
/// primary-health-care unit, three primary care networks with member clinics,
/// a medical association, and housing, food, employment, income-support and
/// mental-health partners; users for every role; clients with consents and
/// screenings; referrals in every status with their history. Everything is
/// written through the same store calls as real use, with a clock moved
/// through the past weeks so the history has real times.
public struct DemoNetwork: Sendable {
    public static let password = "thaw-demo-password"

    public struct SignIn: Sendable { public let email: String; public let role: String; public let organization: String }
    public internal(set) var signIns: [SignIn] = []
    public internal(set) var organizations: [String: Organization] = [:]
    public private(set) var referralCount = 0

    public init() {}

    public mutating func load(into database: any SQLDatabase, endingAt end: Timestamp, bcryptCost: UInt8 = 10) async throws {
        let clock = ManualClock(end.adding(days: -56))
        let store = ThawStore(database: database, clock: clock)
        let hash = Bcrypt.hash(Self.password, cost: bcryptCost)

        func org(_ key: String, _ name: String, _ sector: Sector, _ alignment: Alignment? = nil, parent: String? = nil, area: String) async throws {
            organizations[key] = try await store.createOrganization(
                NewOrganization(
                    name: name, sector: sector, alignment: alignment, parentId: parent.flatMap { organizations[$0]?.id }, area: area,
                    timeZone: "America/Edmonton"))
        }
        try await org("ministry", "Ministry of Health", .government, .centralSystem, area: "Province-wide")
        try await org("authority", "Provincial Health Authority", .healthSystem, .centralSystem, area: "Province-wide")
        try await org("phc", "Primary Health Care Unit", .healthSystem, .centralSystem, parent: "authority", area: "Province-wide")
        try await org("riverside", "Riverside Primary Care Network", .primaryCare, .independentPrimaryCare, area: "Riverside")
        try await org("northgate", "Northgate Primary Care Network", .primaryCare, .independentPrimaryCare, area: "Northgate")
        try await org("prairie", "Prairie Rural Primary Care Network", .primaryCare, .independentPrimaryCare, area: "Prairie County")
        try await org("fht", "Riverside Family Health Team", .primaryCare, .independentPrimaryCare, parent: "riverside", area: "Riverside")
        try await org("elm", "Elm Street Clinic", .primaryCare, .independentPrimaryCare, parent: "riverside", area: "Riverside")
        try await org("northclinic", "Northgate Medical Clinic", .primaryCare, .independentPrimaryCare, parent: "northgate", area: "Northgate")
        try await org(
            "prairieclinic", "Prairie Rural Health Clinic", .primaryCare, .independentPrimaryCare, parent: "prairie", area: "Prairie County")
        try await org("association", "Provincial Medical Association", .community, .independentPrimaryCare, area: "Province-wide")
        try await org("housing", "Homeward Housing Society", .socialCare, area: "Riverside and Northgate")
        try await org("food", "Good Neighbour Food Bank", .community, area: "Riverside, Northgate and Prairie County")
        try await org("employment", "WorkBridge Employment Services", .socialCare, area: "Riverside and Northgate")
        try await org("income", "Income Support Office", .government, area: "Province-wide")
        try await org("mental", "Calm Waters Mental Health Service", .healthSystem, area: "Riverside and Prairie County")

        func user(_ email: String, _ name: String, _ key: String, _ roles: Set<Role>) async throws -> Actor {
            let created = try await store.createUser(
                NewUser(
                    organizationId: organizations[key]!.id, email: email, displayName: name,
                    roles: roles, password: Self.password), passwordHash: hash)
            signIns.append(
                SignIn(
                    email: email, role: roles.map(\.rawValue).sorted().joined(separator: ", "),
                    organization: organizations[key]!.name))
            return Actor(userId: created.id, organizationId: created.organizationId, sector: organizations[key]!.sector, roles: roles)
        }
        // The hosting organisation's administrator also administers the network; Homeward's administers Homeward alone.
        let networkAdmin = try await user("admin@thaw.demo", "Alex Admin", "authority", [.administrator, .networkAdministrator])
        // The initiative's evaluator (a university researcher reporting to the funders) reads the evaluation
        // report and the de-identified exports for three years, and nothing else.
        _ = try await store.createUser(
            NewUser(
                organizationId: organizations["authority"]!.id, email: "evaluator@thaw.demo", displayName: "Eve Evaluator", roles: [.evaluator],
                password: Self.password, evaluatorFrom: CalendarDate(end).adding(days: -730), evaluatorUntil: CalendarDate(end).adding(days: 365)),
            passwordHash: hash, by: networkAdmin)
        signIns.append(SignIn(email: "evaluator@thaw.demo", role: Role.evaluator.rawValue, organization: organizations["authority"]!.name))
        _ = try await user("admin@homeward.demo", "Harper Admin", "housing", [.administrator])
        let navigator = try await user("navigator@riverside-fht.demo", "Nadia Navigator", "fht", [.navigator])
        let clinician = try await user("clinician@elm-street.demo", "Dr. Chen Clinician", "elm", [.clinician])
        let ruralNavigator = try await user("navigator@prairie-clinic.demo", "Priya Navigator", "prairieclinic", [.navigator])
        _ = try await user("lead@riverside-pcn.demo", "Lee Partnership-Lead", "riverside", [.partnershipLead])
        _ = try await user("lead@phc-unit.demo", "Morgan Partnership-Lead", "phc", [.partnershipLead])
        let housing = try await user("staff@homeward.demo", "Harper Housing", "housing", [.partnerStaff])
        let food = try await user("staff@goodneighbour.demo", "Frankie Food", "food", [.partnerStaff])
        let employment = try await user("staff@workbridge.demo", "Emery Employment", "employment", [.partnerStaff])
        // WorkBridge's worker reads Thaw in French (Ontario's French Language Services Act covers many partners).
        try await store.setLanguage("fr", for: employment.userId)
        let income = try await user("staff@income-support.demo", "Isa Income", "income", [.partnerStaff])
        let mental = try await user("staff@calmwaters.demo", "Mika Mental-Health", "mental", [.partnerStaff])
        // Homeward's community navigator works from the family health team two days a week, and keeps
        // Homeward's own clients the rest of the week.
        let communityNavigator = try await user("navigator@homeward.demo", "Olu Okonkwo", "housing", [.partnerStaff, .navigator])
        _ = try await store.createPlacement(
            NewPlacement(
                email: "navigator@homeward.demo", roles: [.navigator], fromOn: CalendarDate(clock.now()), untilOn: CalendarDate(end).adding(days: 365)
            ),
            in: organizations["fht"]!.id, by: networkAdmin)

        var services: [String: Service] = [:]
        func service(
            _ key: String, _ org: String, _ name: String, _ needs: [NeedCategory], _ capacity: Capacity,
            languages: [String] = ["en", "fr"], eligibility: String
        ) async throws {
            services[key] = try await store.createService(
                NewService(
                    name: name, description: "\(name), offered by \(organizations[org]!.name).", needCategories: needs,
                    eligibility: eligibility, areaServed: organizations[org]!.area ?? "", languages: languages, capacity: capacity),
                organization: organizations[org]!.id)
        }
        try await service("housing", "housing", "Rapid Rehousing", [.housing, .utilities], .accepting, eligibility: "Adults at risk of homelessness")
        try await service("shelter", "housing", "Supportive Housing Waitlist", [.housing], .waitlist, eligibility: "Adults with complex needs")
        try await service(
            "food", "food", "Weekly Food Hamper", [.food], .accepting, languages: ["en", "fr", "pa", "ar"], eligibility: "Anyone in the area")
        try await service("employment", "employment", "Job Coaching", [.employment, .income], .accepting, eligibility: "Working-age adults")
        try await service("income", "income", "Income Support Applications", [.income], .accepting, eligibility: "Residents with low income")
        try await service("counselling", "mental", "Walk-in Counselling", [.mentalHealth, .socialIsolation], .waitlist, eligibility: "Adults 18+")
        try await Self.loadDirectory(into: store, services: services, organizations: organizations)
        // The waitlisted services say how long the wait is.
        for (key, staff, days) in [("shelter", housing, 90), ("counselling", mental, 21)] {
            if let id = services[key]?.id {
                services[key] = try await store.scoped(to: staff).updateCapacity(
                    service: id, to: CapacityUpdate(capacity: .waitlist, estimatedWaitDays: days))
            }
        }

        // The two years before: the network's referral work, for the evaluation report.
        let demoStart = clock.now()
        clock.set(demoStart.adding(days: -728))
        try await loadReferralYear(
            ReferralYear(
                store: store, clock: clock, clinics: [navigator, clinician, ruralNavigator],
                partners: [
                    .housing: (services["housing"]!, housing), .food: (services["food"]!, food), .employment: (services["employment"]!, employment),
                    .income: (services["income"]!, income), .mentalHealth: (services["counselling"]!, mental),
                    .socialIsolation: (services["counselling"]!, mental)
                ],
                // Homeward and WorkBridge serve Riverside and Northgate, not Prairie County, whose clinic sends
                // income questions to the province's line; the Elm Street clinician refers to counselling only.
                notServed: [
                    ruralNavigator.organizationId: [.housing, .employment, .income],
                    clinician.organizationId: [.housing, .food, .employment, .income]
                ], weeks: 104))
        clock.set(demoStart)

        // Clients of the family health team and the rural clinic, each with a screening and consent.
        let people: [(String, String, [NeedCategory], Actor)] = [
            ("Amara", "Okafor", [.housing, .food], navigator), ("Ben", "Tremblay", [.employment], navigator),
            ("Chloé", "Gagnon", [.food, .income], navigator), ("Daniel", "Singh", [.mentalHealth], clinician),
            ("Esther", "Moreau", [.housing], navigator), ("Farid", "Haddad", [.income, .employment], navigator),
            ("Grace", "Nakamura", [.food], ruralNavigator), ("Hugo", "Lavoie", [.socialIsolation, .mentalHealth], ruralNavigator),
            ("Ines", "Roy", [.housing, .utilities], navigator), ("Jonah", "Whitehorse", [.food, .transportation], ruralNavigator),
            ("Kira", "Bouchard", [.employment], navigator), ("Liam", "O'Neil", [.income], clinician)
        ]
        var cases: [(client: Client, need: IdentifiedNeed, actor: Actor)] = []
        for (index, (given, family, needs, actor)) in people.enumerated() {
            clock.advance(seconds: 3 * 3600)
            let scoped = store.scoped(to: actor)
            let client = try await scoped.createClient(
                NewClient(
                    givenName: given, familyName: family,
                    birthDate: CalendarDate(year: 1950 + index * 4, month: 1 + index % 12, day: 3 + index),
                    phone: "555-01\(10 + index)", email: "\(given.lowercased())@example.org",
                    address: "\(10 + index) Main Street", preferredLanguage: index % 3 == 0 ? "fr" : "en"))
            var answers: [NeedCategory: ScreeningAnswer] = [:]
            for category in NeedCategory.allCases { answers[category] = needs.contains(category) ? .yes : .no }
            let (_, identified) = try await scoped.recordScreening(client: client.id, NewScreening(answers: answers))
            _ = try await scoped.recordConsent(
                client: client.id,
                NewConsent(
                    grantee: .sector(.socialCare), scopes: [.contact, .needs, .notes], purpose: .referral, validUntil: end.adding(days: 365)))
            _ = try await scoped.recordConsent(
                client: client.id,
                NewConsent(
                    grantee: .sector(.community), scopes: [.contact, .needs], purpose: .referral, validUntil: end.adding(days: 365)))
            _ = try await scoped.recordConsent(
                client: client.id,
                NewConsent(
                    grantee: .sector(.government), scopes: [.contact, .needs], purpose: .referral, validUntil: end.adding(days: 365)))
            _ = try await scoped.recordConsent(
                client: client.id,
                NewConsent(
                    grantee: .sector(.healthSystem), scopes: [.contact, .needs, .notes], purpose: .referral, validUntil: end.adding(days: 365)))
            // Shared care with the health authority's programmes: a purpose of its own, which does not cover referrals.
            _ = try await scoped.recordConsent(
                client: client.id,
                NewConsent(
                    grantee: .organization(organizations["authority"]!.id), scopes: [.contact, .needs], purpose: .careCoordination,
                    validUntil: end.adding(days: 365)))
            cases.append((client, identified[0], actor))
        }
        try await linkAcrossOrganisations(
            store, family: cases[4].client, navigator: navigator, communityNavigator: communityNavigator, until: end.adding(days: 365))

        let partnerFor: [NeedCategory: (String, Actor)] = [
            .housing: ("housing", housing), .food: ("food", food), .employment: ("employment", employment),
            .income: ("income", income), .mentalHealth: ("counselling", mental), .socialIsolation: ("counselling", mental)
        ]
        // The path each referral takes; together they cover every status.
        let scripts: [[TaskStatus]] = [
            [.requested], [.requested, .accepted], [.requested, .accepted, .inProgress],
            [.requested, .accepted, .inProgress, .completed], [.requested, .rejected], [.requested, .cancelled],
            [.requested, .accepted, .onHold], [.requested, .accepted, .inProgress, .failed],
            [.draft], [.requested, .enteredInError], [.requested, .accepted, .inProgress, .onHold, .inProgress, .completed],
            [.requested, .accepted, .completed]
        ]
        var working: [(referral: Referral, partner: Actor)] = []
        for (index, item) in cases.enumerated() {
            guard let (serviceKey, partner) = partnerFor[item.need.category] ?? partnerFor[.food] else { continue }
            let script = scripts[index % scripts.count]
            clock.advance(seconds: 26 * 3600)
            let requester = store.scoped(to: item.actor)
            let service = services[serviceKey]!
            let category = service.needCategories.contains(item.need.category) ? item.need.category : service.needCategories[0]
            var (referral, _) = try await requester.createReferral(
                NewReferral(
                    clientId: item.client.id, serviceId: service.id, needCategory: category,
                    needIds: category == item.need.category ? [item.need.id] : [],
                    priority: index % 4 == 0 ? .urgent : .routine,
                    note: Self.referralNotes[index % Self.referralNotes.count],
                    draft: script.first == .draft))
            referralCount += 1
            let receiver = store.scoped(to: partner)
            for status in script.dropFirst() {
                clock.advance(seconds: Int64(5 + index) * 3600)
                let actorStore = ReferralWorkflow.sides(allowedToSet: status).contains(.performer) ? receiver : requester
                if status == .inProgress, referral.status == .accepted {
                    _ = try await receiver.sendMessage(referral: referral.id, body: Self.intakeMessages[index % Self.intakeMessages.count])
                    referral = try await receiver.setBusinessStatus(referral.id, .contacted, expectedVersion: referral.version)
                }
                referral = try await actorStore.changeStatus(
                    referral.id,
                    StatusChange(
                        status: status,
                        reason: ReferralWorkflow.requiresReason(status) ? Self.reason(for: status) : nil,
                        outcome: status == .completed ? ReferralOutcome(code: .needMet, summary: Self.outcomes[category] ?? "The need is met.") : nil),
                    expectedVersion: referral.version)
                if status == .accepted {
                    _ = try await requester.sendMessage(referral: referral.id, body: Self.thanks[index % Self.thanks.count])
                }
            }
            try await followUp(referral, need: item.need, index: index, by: requester, clock: clock)
            if [.accepted, .inProgress].contains(referral.status) {
                working.append((referral, partner))
                // The partner books the client in; those of the family health team agreed to email reminders.
                _ = try await receiver.recordAppointment(
                    referral: referral.id,
                    NewAppointment(at: clock.now().adding(days: 60 + index), place: Self.appointmentPlaces[index % Self.appointmentPlaces.count]))
                if item.actor == navigator { try await requester.setReminderChannel(client: item.client.id, .email) }
                // What the navigator asks the client to do themselves, on the summary they take home.
                if item.actor == navigator, let (kind, words) = Self.clientTasks[category] {
                    _ = try await requester.createClientTask(
                        client: item.client.id,
                        NewClientTask(
                            kind: kind, description: words, referralId: referral.id, dueOn: requester.calendar.day(of: clock.now()).adding(days: 7)))
                }
            }
        }
        // Partners refer on from what they are working: the job coach finds the navigator's client
        // has no food and a low mood, and sends them to the food bank and back to their clinic.
        if let (referral, partner) = working.first(where: { $0.referral.requesterUserId == navigator.userId }) {
            let partnerStore = store.scoped(to: partner)
            clock.advance(seconds: 3 * 3600)
            _ = try await partnerStore.createReferral(
                NewReferral(
                    clientId: referral.clientId, serviceId: services["food"]!.id, needCategory: .food,
                    note: "Told me at coaching that there is no food in the house until payday.", partOfReferralId: referral.id))
            clock.advance(seconds: 2 * 3600)
            // The referring clinic holds the client's record.
            let holder = referral.requesterOrganizationId
            _ = try await partnerStore.createReferral(
                NewReferral(
                    clientId: referral.clientId, organizationId: holder, needCategory: .mentalHealth, priority: .urgent,
                    note: "Low mood and not sleeping since the eviction notice; asked to see someone at the clinic.",
                    partOfReferralId: referral.id))
            referralCount += 2
        }
        // One open referral for any eligible food partner to claim.
        clock.advance(seconds: 3600)
        let open = cases[6]
        _ = try await store.scoped(to: open.actor).createReferral(
            NewReferral(
                clientId: open.client.id, needCategory: .food, priority: .urgent, note: "Any food program in Prairie County."))
        referralCount += 1
        try await loadPartnershipHistory(into: database, passwordHash: hash, endingAt: end)
        try await agreeToResearchUse(ThawStore(database: database, clock: ManualClock(end)), database)
        // The deadlines that passed by the end of the history are recorded now, as the server's sweep would
        // have: a demo served a minute later, or copied and served again, reads the same record.
        try await ThawStore(database: database, clock: ManualClock(end)).sweepDeadlines()
        // The history's notifications are in people's lists, but none of it is emailed when the demo starts.
        while try await store.fanOutEvents(limit: 500, email: nil) > 0 {}
    }

    /// Most of the people who wrote in the partnership's conversations agree to research use of their
    /// messages; the association's president never did, and its policy lead agreed and then withdrew.
    func agreeToResearchUse(_ store: ThawStore, _ database: any SQLDatabase) async throws {
        let writers = try await database.read { db in
            try await db.query(
                """
                SELECT DISTINCT u.id, u.email, u.roles, o.id AS org_id, o.sector FROM thread_messages m JOIN users u ON u.id = m.author_user_id
                JOIN organizations o ON o.id = u.organization_id ORDER BY u.id
                """)
        }
        for row in writers where row.string("email") != "president@association.demo" {
            let actor = Actor(
                userId: row.id("id"), organizationId: row.id("org_id"), sector: row.optionalEnum("sector") ?? .community,
                roles: Set(row.list("roles").compactMap(Role.init(rawValue:))))
            try await store.scoped(to: actor).setResearchAgreement(true)
            if row.string("email") == "policy@association.demo" { try await store.scoped(to: actor).setResearchAgreement(false) }
        }
    }

    /// The navigator's follow-up after the referral's last step: a call about work under way with
    /// the next date set, the client's word that a need is met (which closes it), or that it is not.
    private func followUp(_ referral: Referral, need: IdentifiedNeed, index: Int, by requester: ScopedStore, clock: ManualClock) async throws {
        clock.advance(seconds: 2 * 3600)
        let note = Self.followUpNotes[index % Self.followUpNotes.count]
        switch referral.status {
        case .accepted, .inProgress, .onHold:
            _ = try await requester.recordFollowUp(
                referral: referral.id,
                NewFollowUp(
                    method: index % 2 == 0 ? .phone : .message, party: index % 4 == 1 ? .partner : .client,
                    result: index % 3 == 0 ? .noAnswer : .reached, note: note, nextFollowUpDue: clock.now().adding(days: 5 + index % 7)))
        case .completed:
            _ = try await requester.recordFollowUp(
                referral: referral.id, NewFollowUp(method: .phone, party: .client, result: .needMet, note: "The client confirms it is sorted."))
            if ScopedStore.isFor(referral, need) {
                _ = try await requester.closeNeed(need.id, NeedClosure(status: .met, referralId: referral.id))
            }
            _ = try await requester.recordClientExperience(
                referral: referral.id,
                NewClientExperience(
                    easy: index % 2 == 0 ? .yes : .partly, needMet: .yes, wouldUseAgain: .yes,
                    comment: index % 2 == 0 ? nil : "Took a few calls to get through, but they were kind."))
        case .rejected, .failed:
            _ = try await requester.recordFollowUp(
                referral: referral.id,
                NewFollowUp(method: .phone, party: .client, result: .needNotMet, note: "Still without help; looking for another service."))
        default:
            break
        }
    }

    static let appointmentPlaces = [
        "Homeward Housing, 210 River Road, 2nd floor", "WorkBridge, 55 Centre Street, room 3", "Good Neighbour Food Bank, 8 Mill Lane"
    ]

    static let followUpNotes = [
        "Asked how intake went; first appointment is booked.", "No answer; left a message with the callback number.",
        "Client says the partner called and things are moving.", "Checked in by text; waiting on paperwork.",
        "Spoke with the intake worker: a place may open next week."
    ]

    /// What a navigator writes on a referral, each for its client.
    static let referralNotes = [
        "Lost her apartment after a rent increase; staying with a sister until the end of the month. Prefers calls after 2 pm.",
        "Laid off in March. Wants help with a résumé and interview practice; mornings are best.",
        "Single parent of two; the food bank near her closed. Speaks French at home.",
        "Low mood since his wife died in the spring; agreed to talk to someone. Please call, he does not use email.",
        "Leaving a shelter next week and needs a place; has a housing support letter from us.",
        "Income support stopped after a missed form; needs help to reapply. Arabic interpreter helps.",
        "Elderly, lives alone on a farm road; a hamper every two weeks would help. Daughter is the contact.",
        "Lonely since moving here; asked about groups. Best reached by text.",
        "Power bill in arrears and a disconnection notice; also on the housing list.",
        "No car and appointments in town; needs food and a ride to the clinic on Thursdays.",
        "Finished a training course; looking for part-time work near the bus line.",
        "Benefits application half done; needs someone to go through it with him."
    ]
    static let intakeMessages = [
        "Reached her this morning; intake is Tuesday at 10.", "Spoke with him today. First coaching session is booked for Monday.",
        "Left a voicemail and then reached her in the afternoon; she comes in Thursday.",
        "Called twice and reached him on the second try. Intake on the 14th.",
        "Met her at our drop-in. Paperwork started."
    ]
    static let thanks = [
        "Thank you. Let us know when intake is booked.", "Thanks! Her next appointment with us is in three weeks if you need us.",
        "Thank you for taking him on so quickly.", "Good news, thank you. The client knows to expect your call."
    ]
    static let outcomes: [NeedCategory: String] = [
        .housing: "Moved into a one-bedroom unit with a rent supplement.", .food: "Registered for a hamper every two weeks.",
        .employment: "Started a part-time job at the grocery store.", .income: "Income support restored, with back pay.",
        .mentalHealth: "Seeing a counsellor every two weeks.", .socialIsolation: "Joined the Tuesday walking group.",
        .utilities: "Arrears on a payment plan; no disconnection.", .transportation: "Rides to the clinic arranged on Thursdays."
    ]

    static func reason(for status: TaskStatus) -> String {
        switch status {
        case .rejected: return "Outside our service area; suggest the county program."
        case .cancelled: return "Client found housing through family."
        case .onHold: return "Client in hospital for two weeks."
        case .failed: return "Unable to reach the client after three attempts."
        default: return "Recorded in error."
        }
    }
}

extension DemoNetwork {
    /// Esther Moreau also walked into Homeward, which registered her itself: two records of one
    /// person. She agrees to Homeward and her family health team coordinating her care, and the
    /// health team's navigator links the records (a name-and-birth-date match, confirmed).
    static let clientTasks: [NeedCategory: (ClientTask.Kind, String)] = [
        .housing: (.makeContact, "Call Homeward's intake line to book your housing assessment; bring your lease or any notice from your landlord."),
        .employment: (.generalInformation, "Bring a list of your past jobs, or your résumé, to your first coaching session."),
        .food: (.makeContact, "Call the food bank to choose a pick-up day for your hamper.")
    ]

    func linkAcrossOrganisations(
        _ store: ThawStore, family record: Client, navigator: Actor, communityNavigator: Actor, until: Timestamp
    ) async throws {
        let homeward = store.scoped(to: communityNavigator)
        let own = try await homeward.createClient(
            NewClient(
                givenName: record.givenName, familyName: record.familyName, birthDate: record.birthDate, phone: record.phone,
                preferredLanguage: record.preferredLanguage))
        var answers: [NeedCategory: ScreeningAnswer] = [:]
        for category in NeedCategory.allCases { answers[category] = [.housing, .utilities].contains(category) ? .yes : .no }
        _ = try await homeward.recordScreening(client: own.id, NewScreening(answers: answers))
        _ = try await homeward.recordConsent(
            client: own.id,
            NewConsent(
                grantee: .organization(navigator.organizationId), scopes: [.contact, .needs], purpose: .careCoordination, validUntil: until))
        _ = try await store.scoped(to: navigator).linkClient(record.id, NewClientLink(clientId: own.id, confirmed: true))
    }
}
