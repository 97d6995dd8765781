import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import ThawCore
import ThawServer
import ThawStorage
import ThawTestSupport

/// Every role, in the organisation that holds a record, its counterpart and an
/// unrelated one, against every route of the API and the web app that takes an
/// id, on both databases. For whoever the rules do not let near a record, every
/// answer must be a refusal, and the very same refusal as for an id that does not
/// exist: a 403 (or a 422, or a 409) where a made-up id gets 404 tells an outsider
/// that the record exists.
@Suite struct AccessMatrixTests {
    enum Relation: String, CaseIterable { case own, counterpart, unrelated }

    /// Who may come near the records a route works on: a superset of who gets a 2xx.
    /// Everyone else is checked for refusal without leaks.
    static func mayReach(_ route: String, role: Role, relation: Relation, draft: Bool) -> Bool {
        let referring = AccessPolicy.referringRoles.contains(role), receiving = AccessPolicy.receivingRoles.contains(role)
        let partnership: Set<Role> = [.partnershipLead, .administrator, .networkAdministrator]
        let party = relation != .unrelated
        func path(_ prefix: String) -> Bool { route.hasPrefix(prefix) }
        switch true {
        case path("/api/v1/clients/:clientId"), path("/clients/:clientId"):
            // The client's own page (not its consents, screenings or new referrals) is open to the partner its referral went to.
            let clientOnly = route == "/api/v1/clients/:clientId" || route == "/clients/:clientId"
            return (relation == .own && referring) || (clientOnly && !draft && relation == .counterpart && receiving)
        case path("/api/v1/placements/:placementId"):
            return (relation == .own && role == .administrator) || role == .networkAdministrator
        case path("/api/v1/client-tasks/:taskId"):
            return relation == .own && referring  // a task for the client is part of the record its holder keeps
        case path("/api/v1/needs/:needId"):
            return relation == .own && referring  // only the organisation holding the client closes its needs
        case path("/api/v1/referrals/:referralId"), path("/referrals/:referralId"):
            return (relation == .own && referring) || (!draft && relation == .counterpart && receiving)
        case path("/api/v1/organizations/:organizationId/timeline"), path("/api/v1/committees"), path("/api/v1/decisions"),
            path("/api/v1/commitments"), path("/api/v1/consultations"), path("/api/v1/funding"), path("/api/v1/surveys"),
            path("/partnership/committees"), path("/partnership/consultations"), path("/partnership/surveys"):
            return party
        case path("/api/v1/climate/pairs"), path("/climate/pairs"):
            return party || partnership.contains(role)
        case path("/api/v1/signals"), path("/api/v1/policy-moves"):
            return party  // the sender (or mover) and the partners it addressed (or affected)
        case path("/api/v1/roles"):
            return relation == .own || role == .networkAdministrator
        case path("/api/v1/threads"), path("/partnership/threads"):
            return false  // none of the matrix's people takes part in the thread
        case path("/api/v1/services/:serviceId"):
            return true  // the directory is read by all; PATCH is checked below
        case path("/api/v1/tokens"):
            return relation == .own && role == .administrator
        case path("/admin/organizations/:organizationId"):
            return (relation == .own && (AccessPolicy.directoryRoles.contains(role))) || role == .networkAdministrator
        case path("/api/v1/organizations/:organizationId"), path("/partnership/with"):
            return true  // organisations, and one's own timeline with any of them
        case path("/api/v1/smart-clients"), path("/api/v1/dead-letters"):
            return relation == .own && role == .administrator
        case path("/notifications"):
            return false  // a notification is its one person's, and none of the matrix's people has it
        // FHIR reads the same records through the same rules.
        case path("/fhir/Task/:id"), path("/fhir/ServiceRequest/:id"), path("/fhir/Procedure/:id"):
            return (relation == .own && referring) || (!draft && relation == .counterpart && receiving)
        case path("/fhir/Patient/:id"), path("/fhir/Condition/:id"):
            return (relation == .own && referring) || (!draft && relation == .counterpart && receiving)
        case path("/fhir/Consent/:id"), path("/fhir/QuestionnaireResponse/:id"), path("/fhir/Observation/:id"):
            return relation == .own && referring
        case path("/fhir/Subscription/:id"):
            return relation == .own
        case path("/fhir/PractitionerRole/:id"):
            return relation == .own && (role == .administrator || role == .networkAdministrator)
        case path("/fhir/Organization/:id"), path("/fhir/HealthcareService/:id"), path("/fhir/Location/:id"):
            return true
        case path("/hsds/"):
            return true  // the directory is read by everyone signed in (and by anyone with --public-directory)
        default:
            Issue.record("no rule in the matrix for \(route): add one")
            return true
        }
    }

    /// A body each mutating operation would accept from someone allowed, so that the
    /// refusal others get is about access, not about a malformed request.
    static let bodies: [String: String] = [
        "POST /api/v1/clients/:clientId/consents": #"{"grantee":{"sector":"community"},"scopes":["contact"],"purpose":"referral"}"#,
        "POST /api/v1/clients/:clientId/screenings": #"{"answers":{"housing":"yes"}}"#,
        "PATCH /api/v1/referrals/:referralId": #"{"priority":"urgent"}"#,
        "POST /api/v1/referrals/:referralId/status": #"{"status":"accepted"}"#,
        "POST /api/v1/referrals/:referralId/business-status": #"{"businessStatus":"contacted"}"#,
        "POST /api/v1/referrals/:referralId/messages": #"{"body":"hello"}"#,
        "POST /api/v1/referrals/:referralId/follow-ups": #"{"method":"phone","party":"client","result":"reached"}"#,
        "POST /api/v1/needs/:needId/close": #"{"status":"met"}"#,
        "POST /api/v1/clients/:clientId/tasks": #"{"kind":"make-contact","description":"Call the intake line"}"#,
        "POST /api/v1/client-tasks/:taskId/status": #"{"status":"completed"}"#,
        "POST /api/v1/referrals/:referralId/appointments": #"{"at":"2030-01-05T09:00:00Z","place":"1 Main St"}"#,
        "PUT /api/v1/clients/:clientId/reminders": #"{"channel":"email"}"#,
        "POST /api/v1/clients/:clientId/links": #"{"clientId":"cli_0","confirmed":true}"#,
        "POST /api/v1/referrals/:referralId/experience": #"{"easy":"yes","needMet":"yes","wouldUseAgain":"yes"}"#,
        "POST /api/v1/referrals/:referralId/consents": #"{"grantee":{"sector":"community"},"scopes":["contact"],"purpose":"referral"}"#,
        "POST /api/v1/committees/:committeeId/leave": #"{"reason":"no longer needed"}"#,
        "POST /api/v1/committees/:committeeId/meetings": #"{"heldAt":"2026-01-05T09:00:00Z","agenda":["Intake"],"attendeeIds":[]}"#,
        "POST /api/v1/committees/:committeeId/decisions": #"{"motion":"Meet monthly"}"#,
        "POST /api/v1/decisions/:decisionId/votes": #"{"choice":"approve"}"#,
        "POST /api/v1/commitments/:commitmentId/changes": #"{"action":"keep","evidence":"done"}"#,
        "POST /api/v1/consultations/:consultationId/feedback": #"{"text":"a view"}"#,
        "POST /api/v1/consultations/:consultationId/feedback/:itemId/answer": #"{"response":"adopted","text":"done"}"#,
        "POST /api/v1/threads/:threadId/messages": #"{"body":"hello"}"#,
        "POST /api/v1/signals/:signalId/acknowledge": #"{"note":"thank you"}"#,
        "POST /api/v1/roles/:roleId/end": #"{"endsOn":"2026-02-01"}"#,
        "POST /api/v1/funding/:fundingId/renewal": #"{"renewal":"renewed"}"#,
        "PATCH /api/v1/services/:serviceId": #"{"capacity":"waitlist"}"#,
        "PUT /fhir/Task/:id": #"{"resourceType":"Task","status":"accepted","intent":"order"}"#,
        "PATCH /fhir/Task/:id": #"[{"op":"replace","path":"/status","value":"accepted"}]"#
    ]

    /// Made-up ids of the same kinds as real ones (each distinct): what an outsider's answer is compared with.
    static func fakes(_ ids: [String: String]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: ids.keys.sorted().enumerated().map { index, name in
                // A version is a number: its made-up one too.
                if let value = ids[name], value.allSatisfy(\.isNumber) { return (name, "9999\(index)") }
                let prefix = ids[name]?.split(separator: "_").first.map(String.init) ?? "x"
                return (name, prefix + "_" + String(repeating: "0", count: 31) + String(index))
            })
    }

    @Test(arguments: Backend.available)
    func everyRouteWithAnIdRefusesOutsidersAndLeaksNothing(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let records = try await MatrixRecords.make(w)
            let configuration = ServerConfiguration(bcryptCost: 4, maxBodyBytes: 64 * 1024, logLevel: .error)
            let router = buildRouter(configuration: configuration, store: w.store)
            // Captures written `:name`, as in the rest of the code.
            let routes = router.routes.map { route in
                (
                    route.method,
                    route.path.description.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : String($0) }
                        .reduce("") { $0 + "/" + $1 }
                )
            }.filter { $0.1.contains("/:") }
            // People of every role in the three organisations, each with a token and a browser session.
            var people: [(Role, Relation, HTTPFields, HTTPFields, String)] = []
            for relation in Relation.allCases {
                let org = relation == .own ? w.clinic : relation == .counterpart ? w.housing : w.unrelated
                for role in Role.allCases {
                    let person = try await w.addPerson(org, "\(role.rawValue)-\(relation.rawValue)@matrix.test", [role])
                    let token = try await w.store.createToken(user: person.userId, name: "matrix", expiresAt: nil, by: nil).secret
                    let session = try await w.store.startSession(user: person.userId, lifetimeSeconds: 86_400)
                    people.append(
                        (
                            role, relation, [.authorization: "Bearer \(token)"],
                            [.cookie: "thaw_session=\(session.secret)", HTTPField.Name("X-CSRF-Token")!: session.csrf], session.csrf
                        ))
                }
            }
            let app = Application(router: router)
            let everyone = people
            let checked = try await app.test(.router) { client -> Int in
                var checked = 0
                for (method, route) in routes {
                    let isAPI = route.hasPrefix("/api/v1/") || route.hasPrefix("/fhir/")
                    for subject in records.subjects(for: route) {
                        for (role, relation, bearer, cookie, csrf) in everyone {
                            let allowed =
                                Self.mayReach(route, role: role, relation: relation, draft: subject.draft)
                                // A service's capacity and verification are its own organisation's (housing's) to change.
                                && !(method != .get && route.hasPrefix("/api/v1/services/:serviceId") && relation != .counterpart)
                            // People who may reach the record are not sent its changes: the matrix is about everyone else.
                            if allowed && method != .get { continue }
                            var headers = isAPI ? bearer : cookie
                            headers[.ifMatch] = "\"1\""
                            var body: String?
                            if isAPI, method != .get {
                                body = Self.bodies["\(method.rawValue) \(route)"]
                                headers[.contentType] =
                                    method == .patch && route.hasPrefix("/fhir/") ? "application/json-patch+json" : "application/json"
                            } else if method == .post {
                                body = "_csrf=\(csrf)&action=message&body=hello"
                                headers[.contentType] = "application/x-www-form-urlencoded"
                            }
                            func call(_ ids: [String: String]) async throws -> Int {
                                let path = route.split(separator: "/").map { $0.hasPrefix(":") ? ids[String($0.dropFirst())] ?? "?" : String($0) }
                                    .joined(separator: "/")
                                return try await client.execute(
                                    uri: "/" + path, method: method, headers: headers,
                                    body: body.map { ByteBuffer(string: $0) }
                                ).status.code
                            }
                            let real = try await call(subject.ids)
                            let cell = "\(method) \(route) [\(subject.name)] as \(role.rawValue) of the \(relation.rawValue) organisation"
                            if allowed {
                                if method == .get, subject.readable { #expect((200...299).contains(real), "\(cell): \(real)") }
                                continue
                            }
                            checked += 1
                            #expect(!(200...299).contains(real) && real != 303, "\(cell) got \(real)")
                            let madeUp = try await call(Self.fakes(subject.ids))
                            #expect(real == madeUp, "\(cell): \(real) for the record, \(madeUp) for a made-up id: existence leaks")
                        }
                    }
                }
                return checked
            }
            #expect(checked > 800, "the matrix checked only \(checked) cells")
        }
    }
}

/// The records the matrix asks about: one of each kind, between the clinic and housing.
struct MatrixRecords {
    struct Subject {
        var name: String
        var ids: [String: String]
        var draft = false
        /// Whether everyone `mayReach` lets near it reads it with a 2xx (false where only some of them do).
        var readable = false
    }
    var subjects: [Subject]

    /// The subjects whose ids fill every parameter of `route`; under `/fhir`, those of its resource type.
    func subjects(for route: String) -> [Subject] {
        // Directory records hold no client and are read by every signed-in person: nobody to refuse.
        if route.hasPrefix("/hsds/") { return [] }
        if route.hasPrefix("/fhir/") {
            let type = route.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            let withVersion = route.contains(":version")
            return subjects.filter { $0.name.hasPrefix("FHIR \(type) ") && ($0.ids["version"] != nil) == withVersion }
        }
        let parameters = Set(route.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) })
        return subjects.filter { parameters.isSubset(of: Set($0.ids.keys)) && Set($0.ids.keys).isSubset(of: parameters) }
    }

    static func make(_ w: World) async throws -> MatrixRecords {
        let housingLead = try await w.addPerson(w.housing, "lead@housing.matrix", [.partnershipLead])
        let clinic = w.store.scoped(to: w.clinicLead), housing = w.store.scoped(to: housingLead)
        let referral = try await w.refer()
        let message = try await w.store.scoped(to: w.housingStaff).sendMessage(referral: referral.id, body: "We will call")
        let draft = try await w.store.scoped(to: w.navigator).createReferral(
            NewReferral(
                clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, note: "draft", draft: true)
        ).0
        let committee = try await clinic.createCommittee(
            NewCommittee(
                name: "Council", purpose: "Shared governance", decisionRule: .consensus,
                quorum: 1, memberOrganizationIds: [w.clinic.id, w.housing.id]))
        let decision = try await clinic.proposeDecision(committee.id, motion: "Meet monthly")
        let commitment = try await clinic.createCommitment(
            NewCommitment(
                toOrganizationId: w.housing.id, what: "Share the rota",
                context: .thread, dueOn: CalendarDate(w.clock.now().adding(days: 5))))
        let consultation = try await clinic.createConsultation(
            NewConsultation(
                title: "Billing", proposal: "Codes for navigation",
                invitedOrganizationIds: [w.housing.id],
                deadline: CalendarDate(w.clock.now().adding(days: 14))))
        let item = try await housing.addFeedback(consultation.id, text: "Count the forms")
        let thread = try await clinic.startThread(subject: "Coffee", with: [housingLead.userId], message: "Next week?")
        let signal = try await clinic.sendSignal(
            NewSignal(
                kind: .liaisonAppointed, description: "A liaison", madeOn: CalendarDate(w.clock.now()),
                addressedToOrganizationIds: [w.housing.id]))
        let policyMove = try await clinic.recordPolicyMove(
            NewPolicyMove(
                kind: .policyChange, title: "Walk-in hours", summary: "Walk-in hours end at five",
                effectiveOn: CalendarDate(w.clock.now().adding(days: 3)),
                affectedOrganizationIds: [w.housing.id]))
        let role = try await clinic.recordRole(
            NewRoleHolding(
                title: "Director", holderName: "Ada", singleHolder: true, leadership: true,
                startsOn: CalendarDate("2025-01-01")!))
        let funding = try await clinic.recordFunding(
            NewFundingAgreement(
                title: "Pilot", purpose: "Navigator", amountCents: 100,
                partyOrganizationIds: [w.clinic.id, w.housing.id], startsOn: CalendarDate("2025-01-01")!, endsOn: CalendarDate("2027-01-01")!))
        let survey = try await clinic.scheduleSurvey(
            NewSurveyRound(
                title: "Pulse", participantOrganizationIds: [w.housing.id],
                opensOn: CalendarDate(w.clock.now()), closesOn: CalendarDate(w.clock.now().adding(days: 7))))
        let token = try await w.store.createToken(user: w.navigator.userId, name: "laptop", expiresAt: nil, by: nil).0
        let system = try await w.store.scoped(to: w.clinicAdmin).registerSMARTClient(
            NewSMARTClient(name: "EMR", userId: w.navigator.userId, jwks: #"{"keys":[]}"#, scopes: "system/Task.rs"))
        let subscription = try await w.store.scoped(to: w.navigator).createSubscription(
            NewSubscription(topic: .taskChanged, filter: SubscriptionFilter(), endpoint: "https://emr.example/hook"))
        let (screening, needs) = try await w.store.scoped(to: w.navigator).recordScreening(client: w.client.id, NewScreening(answers: [.food: .yes]))
        _ = try await w.addPerson(w.housing, "placed@matrix.test", [.partnerStaff])
        let placement = try await w.store.createPlacement(
            NewPlacement(email: "placed@matrix.test", roles: [.navigator], fromOn: CalendarDate(w.clock.now())), in: w.clinic.id, by: w.clinicAdmin)
        // The same person registered at the food bank, consenting to care coordination with the clinic; the clinic links the records.
        let foodNavigator = w.store.scoped(to: try await w.addPerson(w.food, "navigator@matrix-food.test", [.navigator]))
        let twin = try await foodNavigator.createClient(NewClient(givenName: "Amara", familyName: "Okafor", birthDate: CalendarDate("1980-04-02")))
        _ = try await foodNavigator.recordConsent(
            client: twin.id, NewConsent(grantee: .organization(w.clinic.id), scopes: [.needs], purpose: .careCoordination))
        let link = try await w.store.scoped(to: w.navigator).linkClient(w.client.id, NewClientLink(clientId: twin.id, confirmed: true))
        let clientTask = try await w.store.scoped(to: w.navigator).createClientTask(
            client: w.client.id, NewClientTask(kind: .makeContact, description: "Call the housing intake line", referralId: referral.id))
        try await w.store.fanOutEvents()
        let notification = try await w.store.scoped(to: w.housingStaff).notifications().items.first
        func fhir(_ id: String) -> String { id.replacingOccurrences(of: "_", with: "-") }
        // A client whose only referral to housing is a draft: housing has consent, but nothing was sent.
        let navigator = w.store.scoped(to: w.navigator)
        let drafted = try await navigator.createClient(NewClient(givenName: "Dee", familyName: "Raft", phone: "555-0199"))
        _ = try await navigator.recordConsent(
            client: drafted.id,
            NewConsent(
                grantee: .organization(w.housing.id), scopes: [.contact, .notes],
                purpose: .referral))
        _ = try await navigator.createReferral(
            NewReferral(
                clientId: drafted.id, serviceId: w.housingService.id, needCategory: .housing,
                note: "not sent yet", draft: true))
        return MatrixRecords(subjects: [
            .init(name: "client", ids: ["clientId": w.client.id.raw]),
            .init(name: "client with a draft only", ids: ["clientId": drafted.id.raw], draft: true),
            .init(name: "consent", ids: ["clientId": w.client.id.raw, "consentId": w.housingConsent.id.raw]),
            .init(name: "referral", ids: ["referralId": referral.id.raw]),
            .init(name: "draft", ids: ["referralId": draft.id.raw], draft: true),
            .init(name: "message", ids: ["referralId": referral.id.raw, "messageId": message.id.raw]),
            .init(name: "need", ids: ["needId": needs.first?.id.raw ?? "need_missing"]),
            .init(name: "placement", ids: ["placementId": placement.id.raw]),
            .init(name: "client link", ids: ["clientId": w.client.id.raw, "linkId": link.id.raw]),
            .init(name: "task for the client", ids: ["taskId": clientTask.id.raw]),
            .init(name: "committee", ids: ["committeeId": committee.id.raw]),
            .init(name: "decision", ids: ["decisionId": decision.id.raw]),
            .init(name: "commitment", ids: ["commitmentId": commitment.id.raw]),
            .init(name: "consultation", ids: ["consultationId": consultation.id.raw], readable: true),
            .init(name: "feedback", ids: ["consultationId": consultation.id.raw, "itemId": item.id.raw]),
            .init(name: "thread", ids: ["threadId": thread.id.raw]),
            .init(name: "signal", ids: ["signalId": signal.id.raw]),
            .init(name: "role", ids: ["roleId": role.id.raw]),
            .init(name: "policy move", ids: ["policyMoveId": policyMove.id.raw]),
            .init(name: "funding", ids: ["fundingId": funding.id.raw]),
            .init(name: "survey", ids: ["surveyId": survey.id.raw]),
            .init(name: "service", ids: ["serviceId": w.housingService.id.raw]),
            .init(name: "token", ids: ["tokenId": token.id.raw]),
            .init(name: "organisation", ids: ["organizationId": w.clinic.id.raw]),
            .init(name: "pair", ids: ["organizationId": w.clinic.id.raw, "otherId": w.housing.id.raw]),
            .init(name: "system", ids: ["systemId": system.id.raw]),
            .init(name: "notification", ids: ["notificationId": notification?.id.raw ?? "ntf_missing"]),
            .init(name: "FHIR Task referral", ids: ["id": fhir(referral.id.raw)]),
            .init(name: "FHIR Task draft", ids: ["id": fhir(draft.id.raw)], draft: true),
            .init(name: "FHIR Task for the client", ids: ["id": fhir(clientTask.id.raw)]),
            .init(name: "FHIR Task version", ids: ["id": fhir(referral.id.raw), "version": "1"]),
            .init(name: "FHIR ServiceRequest referral", ids: ["id": fhir(referral.id.raw)]),
            .init(name: "FHIR Procedure referral", ids: ["id": fhir(referral.id.raw)]),
            .init(name: "FHIR Patient client", ids: ["id": fhir(w.client.id.raw)]),
            .init(name: "FHIR Patient client with a draft only", ids: ["id": fhir(drafted.id.raw)], draft: true),
            .init(name: "FHIR Condition need", ids: ["id": fhir(needs.first?.id.raw ?? "need_missing")]),
            .init(name: "FHIR Consent consent", ids: ["id": fhir(w.housingConsent.id.raw)]),
            .init(name: "FHIR QuestionnaireResponse screening", ids: ["id": fhir(screening.id.raw)]),
            .init(name: "FHIR Observation screening answer", ids: ["id": fhir(screening.id.raw) + "-food"]),
            .init(name: "FHIR Subscription subscription", ids: ["id": fhir(subscription.id.raw)]),
            .init(name: "FHIR PractitionerRole navigator", ids: ["id": fhir(w.navigator.userId.raw)]),
            .init(name: "FHIR Organization clinic", ids: ["id": fhir(w.clinic.id.raw)], readable: true),
            .init(name: "FHIR HealthcareService housing", ids: ["id": fhir(w.housingService.id.raw)], readable: true)
        ])
    }
}
