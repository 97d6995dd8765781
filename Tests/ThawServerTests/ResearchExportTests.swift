import Foundation
import HTTPTypes
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

@testable import ThawServer

/// The research exports: the qualitative record as REFI-QDA with client names removed and only
/// agreeing people's messages, codings coming back as the researcher's own, FHIR bulk NDJSON
/// de-identified, and climate packages checked before they are kept.
@Suite struct ResearchExportTests {
    /// A committee whose minutes name a client, and two conversations: one by a person who
    /// agrees to research use, one by a person who does not.
    static func seed(_ w: World) async throws -> (committee: ID<Committee>, agreeing: Actor) {
        let housingLead = try await w.addPerson(w.housing, "lead@housing.test", [.partnershipLead])
        let clinic = w.store.scoped(to: w.clinicLead), housing = w.store.scoped(to: housingLead)
        let committee = try await clinic.createCommittee(
            NewCommittee(
                name: "Joint table", purpose: "Housing first", decisionRule: .consensus, quorum: 2, memberOrganizationIds: [w.clinic.id, w.housing.id]
            ))
        _ = try await clinic.recordMeeting(
            committee.id, heldAt: w.clock.now(), agenda: ["Waitlist"],
            minutes: "We discussed Amara Okafor (phone 555 0101 2222, amara@example.org) and agreed a joint intake.",
            attendees: [w.clinicLead.userId, housingLead.userId])
        _ = try await clinic.startThread(subject: "Intake", with: [housingLead.userId], message: "Shall we pilot the joint intake in March?")
        let thread = try await housing.startThread(
            subject: "Staffing", with: [w.clinicLead.userId], message: "Our outreach worker can join on Tuesdays.")
        _ = thread
        try await clinic.setResearchAgreement(true)
        return (committee.id, w.clinicLead)
    }

    static func evaluatorToken(_ api: API, _ w: World) async throws -> String {
        let created = try await api.call(
            .post, "/api/v1/users", as: "networkAdmin",
            json:
                #"{"organizationId":"\#(w.food.id)","email":"eva@university.test","displayName":"Eva","roles":["evaluator"],"password":"a long enough password","evaluatorFrom":"2026-01-01","evaluatorUntil":"2026-12-31"}"#
        )
        return try await w.store.createToken(user: ID(try #require(created["id"] as? String)), name: "eva", expiresAt: nil, by: nil).secret
    }

    static func get(_ api: API, _ path: String, _ token: String, headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        headers[.authorization] = "Bearer " + token
        return try await api.call(.get, path, headers: headers)
    }

    @Test(arguments: Backend.available)
    func theRecordLeavesWithoutClientNamesAndWithOnlyAgreeingPeoplesMessages(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let (committee, lead) = try await Self.seed(w)
            let token = try await Self.evaluatorToken(api, w)
            let scoped = w.store.scoped(to: try #require(try await w.store.principal(email: "eva@university.test")).actor)
            let sources = try await scoped.researchRecord(from: CalendarDate("2026-01-01")!, until: CalendarDate("2026-01-31")!)
            let minutes = try #require(sources.first { $0.kind == .minutes })
            #expect(
                !minutes.text.contains("Amara") && !minutes.text.contains("Okafor") && !minutes.text.contains("555")
                    && !minutes.text.contains("example.org"))
            #expect(minutes.text.contains("agreed a joint intake") && minutes.codes == [.formalChannel] && minutes.committeeId == committee.raw)
            let messages = sources.filter { $0.kind == .message }
            #expect(messages.map(\.text) == ["Shall we pilot the joint intake in March?"])
            #expect(messages.first?.codes.contains(.removingIntermediaries) == true)
            // Withdrawn: the next export leaves the message out.
            try await w.store.scoped(to: lead).setResearchAgreement(false)
            let after = try await scoped.researchRecord(from: CalendarDate("2026-01-01")!, until: CalendarDate("2026-01-31")!)
            #expect(after.filter { $0.kind == .message }.isEmpty)
            // The file itself: a zip with project.qde and one text per source.
            let reply = try await Self.get(api, "/api/v1/evaluation/qdpx?from=2026-01-01&until=2026-01-31", token)
            #expect(reply.status == 200 && reply.headers[.contentType] == "application/zip")
            #expect(reply.headers[.contentDisposition]?.hasSuffix(".qdpx\"") == true)
        }
    }

    @Test(arguments: Backend.available)
    func codingsMadeInTheResearchersToolComeBackAsTheirsAndOnlyTheirs(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let (committee, _) = try await Self.seed(w)
            _ = try await Self.evaluatorToken(api, w)
            let eva = try #require(try await w.store.principal(email: "eva@university.test")).actor
            let scoped = w.store.scoped(to: eva)
            let sources = try await scoped.researchRecord(from: CalendarDate("2026-01-01")!, until: CalendarDate("2026-01-31")!)
            let minutes = try #require(sources.first { $0.kind == .minutes })
            // The researcher adds a code of their own and codes a span of the minutes with it.
            var xml = QDPX.projectXML(sources, name: "Eva's analysis", at: w.clock.now())
            let code = "C0DE0000-0000-4000-8000-000000000001"
            xml = xml.replacingOccurrences(
                of: "</Codes></CodeBook>", with: "<Code guid=\"\(code)\" name=\"Joint intake\" isCodable=\"true\"/></Codes></CodeBook>")
            let sourceGUID = QDPX.sourceGUID(minutes.subject)
            let start = QDPX.plainText(minutes).unicodeScalars.count - "agreed a joint intake.".unicodeScalars.count
            xml = xml.replacingOccurrences(
                of: "<Description>thaw:\(minutes.subject)</Description>",
                with: """
                    <Description>thaw:\(minutes.subject)</Description><PlainTextSelection guid="5E1E0000-0000-4000-8000-000000000002" \
                    startPosition="\(start)" endPosition="\(start + 21)"><Coding guid="C0D10000-0000-4000-8000-000000000003">\
                    <CodeRef targetGUID="\(code)"/></Coding></PlainTextSelection>
                    """)
            let parsed = try QDPXImport.parse(Data(xml.utf8))
            #expect(parsed.codings.contains { $0.code == "Joint intake" && $0.sourceGUID == sourceGUID })
            // Thaw's own codings come back too and are left out; the researcher's one is kept.
            let data = try Self.zip(xml: xml, texts: [sourceGUID: QDPX.plainText(minutes)])
            let result = try await ResearchImport.run(data, by: scoped)
            #expect(result.imported == 1 && result.skipped >= 1)
            let annotations = try await scoped.researchAnnotations(committee: committee)
            #expect(annotations.map(\.code) == ["Joint intake"] && annotations.first?.quote == "agreed a joint intake")
            // Another person sees none of it.
            #expect(try await w.store.scoped(to: w.clinicLead).researchAnnotations(committee: committee).isEmpty)
            // Bringing the same project in again replaces, not doubles.
            _ = try await ResearchImport.run(data, by: scoped)
            #expect(try await scoped.researchAnnotations().count == 1)
        }
    }

    @Test func aFreezeOrThawIsNamedWholeBySubjectAndKnownOnlyUnderItsOwnGUID() throws {
        let subject = ResearchSource.climateSubject("org_a", "org_b", start: CalendarDate("2021-09-01")!, direction: .freeze)
        let change = try #require(ResearchSource(climateSubject: subject, text: "The climate cooled."))
        #expect(change.organizationIds == ["org_a", "org_b"] && change.codes == [.freeze] && change.day == CalendarDate("2021-09-01"))
        for broken in [
            "climate/org_a|org_b|2021-09-01", "climate/org_a|org_b|2021-13-01|freeze", "climate/org_a|usr_b|2021-09-01|thaw",
            "climate/org_a|org_b|2021-09-01|frost", "meeting/mtg_1"
        ] {
            #expect(ResearchSource(climateSubject: broken, text: "") == nil, "\(broken)")
        }
        // A project's sources say which record they are; a description under another GUID is not believed.
        let xml = QDPX.projectXML([change], name: "p", at: World.start)
            .replacingOccurrences(
                of: "</Sources>",
                with: "<TextSource guid=\"\(QDPX.sourceGUID("x"))\"><Description>thaw:\(subject)</Description></TextSource></Sources>")
        #expect(try QDPXImport.parse(Data(xml.utf8)).subjects == [QDPX.sourceGUID(subject): subject])
    }

    @Test func aProjectThatIsNotOneIsRefusedWithItsReason() throws {
        #expect(throws: ThawError.self) { try QDPXImport.read(Data("not a zip".utf8)) }
        #expect(throws: ThawError.self) { try QDPXImport.read(try Self.zip(files: ["readme.txt": "hello"])) }
        #expect(throws: ThawError.self) { try QDPXImport.read(try Self.zip(files: ["project.qde": "<Project"])) }
        // An external entity is never fetched: the file's content does not reach the codings.
        let hostile = """
            <?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Project xmlns="urn:QDA-XML:project:1.0" name="&x;"><CodeBook><Codes><Code guid="A" name="&x;" isCodable="true"/></Codes></CodeBook></Project>
            """
        if let project = try? QDPXImport.read(try Self.zip(files: ["project.qde": hostile])) {
            #expect(!project.name.contains("root:"))
        }
    }

    /// Damaged archives (bytes changed anywhere, cut short, sizes that lie) are refused with a
    /// reason; none crashes the reader or makes it spin.
    @Test func aDamagedArchiveIsRefusedNeverACrash() throws {
        let source = ResearchSource(
            subject: "meeting/m1", kind: .minutes, name: "Minutes", text: String(repeating: "We met and agreed. ", count: 200),
            day: CalendarDate("2022-01-01")!, organizationIds: [], channel: .formal, codes: [.formalChannel])
        let good = [UInt8](try QDPX.archive([source], name: "p", at: World.start))
        #expect(try QDPXImport.read(Data(good)).name == "p")
        var random = SystemRandomNumberGenerator()
        var refused = 0
        for round in 0..<400 {
            var bytes = good
            if round % 4 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            } else {
                for _ in 0..<Int.random(in: 1...30, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            do { _ = try QDPXImport.read(Data(bytes)) } catch is ThawError { refused += 1 }
        }
        #expect(refused > 100)
    }

    @Test(arguments: Backend.available)
    func theBulkExportIsDeidentifiedForAnEvaluatorAndOnlyItsOwnersCanFetchIt(backend: Backend) async throws {
        try await withAPI(backend: backend) { api, w in
            let referral = try await w.refer()
            let token = try await Self.evaluatorToken(api, w)
            let asyncHeader: HTTPFields = [HTTPField.Name("Prefer")!: "respond-async"]
            #expect(try await Self.get(api, "/fhir/$export", token).status == 400)
            #expect(try await api.call(.get, "/fhir/$export", as: "navigator", headers: asyncHeader).status == 403)
            #expect(try await Self.get(api, "/fhir/$export?_type=Patient", token, headers: asyncHeader).status == 400)
            #expect(try await Self.get(api, "/fhir/$export?_type=,,", token, headers: asyncHeader).status == 400)
            let twice = try await Self.get(api, "/fhir/$export?_type=Procedure,Task,Task", token, headers: asyncHeader)
            let twiceStatus = (twice.headers[.contentLocation] ?? "").split(separator: "/fhir").last.map { "/fhir" + $0 } ?? ""
            let listed = (try await Self.get(api, twiceStatus, token)["output"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
            #expect(listed == ["Task", "Procedure"])
            let kickOff = try await Self.get(api, "/fhir/$export", token, headers: asyncHeader)
            #expect(kickOff.status == 202)
            let status = try #require(kickOff.headers[.contentLocation]).split(separator: "/fhir").last.map { "/fhir" + $0 } ?? ""
            let manifest = try await Self.get(api, status, token)
            #expect(manifest.status == 200 && manifest["requiresAccessToken"] as? Bool == true)
            // Another evaluator, or anyone else, cannot read it.
            #expect(try await api.call(.get, status, as: "networkAdmin").status == 404)
            let tasks = try await Self.get(api, status.replacingOccurrences(of: "$export-status", with: "$export-file") + "/Task", token)
            #expect(tasks.status == 200 && tasks.headers[.contentType] == "application/fhir+ndjson")
            let lines = tasks.text.split(separator: "\n")
            #expect(lines.count == 1)
            for secret in [referral.id.fhir, w.client.id.fhir, "Needs housing soon", "Amara"] { #expect(!tasks.text.contains(secret), "\(secret)") }
            let task = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect((task["for"] as? [String: Any])?["reference"] as? String != nil)
            #expect(((task["meta"] as? [String: Any])?["security"] as? [[String: Any]])?.map { $0["code"] as? String } == ["PSEUDED", "REDACTED"])
            // The network administrator's own export keeps the real ids.
            let own = try await api.call(.get, "/fhir/$export?_type=ServiceRequest", as: "networkAdmin", headers: asyncHeader)
            let ownStatus = (own.headers[.contentLocation] ?? "").split(separator: "/fhir").last.map { "/fhir" + $0 } ?? ""
            let requests = try await api.call(
                .get, ownStatus.replacingOccurrences(of: "$export-status", with: "$export-file") + "/ServiceRequest", as: "networkAdmin")
            #expect(requests.text.contains(referral.id.fhir) && !requests.text.contains("Needs housing soon"))
            #expect(try await api.call(.delete, ownStatus, as: "networkAdmin").status == 202)
            #expect(try await api.call(.get, ownStatus, as: "networkAdmin").status == 404)
        }
    }

    @Test func aClimatePackageFromElsewhereIsCheckedBeforeItIsKept() throws {
        let day = CalendarDate("2022-01-01")!
        var package = ClimatePackage(
            network: "Elsewhere", generatedAt: World.start, from: day, until: CalendarDate("2022-12-31")!, namesIncluded: false,
            organizations: [
                .init(key: "primary-care-1", sector: .primaryCare, name: nil), .init(key: "social-care-1", sector: .socialCare, name: nil)
            ],
            networkSeries: [.init(start: day, index: 55)], networkChangePoints: [],
            pairs: [.init(a: "primary-care-1", b: "social-care-1", series: [.init(start: day, index: 60)], changePoints: [])],
            events: [.init(kind: .election, on: day, organizations: ["primary-care-1"], title: nil)])
        try package.validate()
        var named = package
        named.organizations[0].name = "Dr. Somebody's clinic"
        #expect(throws: ThawError.self) { try named.validate() }
        var outOfRange = package
        outOfRange.networkSeries[0].index = 140
        #expect(throws: ThawError.self) { try outOfRange.validate() }
        package.pairs[0].b = "nobody"
        #expect(throws: ThawError.self) { try package.validate() }
    }

    @Test func eventsAlignTheIndexBeforeAndAfterThemByKind() {
        let months = (0..<8).map { CalendarDate("2022-01-01")!.firstOfMonth(adding: $0) }
        let package = ClimatePackage(
            network: "Here", generatedAt: World.start, from: months[0], until: months[7], namesIncluded: false, organizations: [],
            networkSeries: months.enumerated().map { .init(start: $1, index: $0 < 4 ? 60 : 30) }, networkChangePoints: [], pairs: [],
            events: [.init(kind: .cabinetChange, on: CalendarDate("2022-04-15")!, organizations: [], title: nil)])
        let aligned = EventAlignment.align(package)
        #expect(
            aligned.count == 1 && aligned[0].kind == .cabinetChange && aligned[0].before == 60 && aligned[0].after == 30 && aligned[0].change == -30)
    }

    /// A zip of `files`, as a researcher's tool would write one.
    static func zip(files: [String: String]) throws -> Data {
        try QDPX.zip(files.sorted { $0.key < $1.key }.map { ($0.key, Data($0.value.utf8)) })
    }
    static func zip(xml: String, texts: [String: String]) throws -> Data {
        try zip(files: ["project.qde": xml].merging(texts.map { ("sources/\($0.key).txt", $0.value) }) { a, _ in a })
    }
}
