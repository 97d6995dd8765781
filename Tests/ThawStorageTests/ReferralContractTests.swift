import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// The repository contract, run on every backend in `Backend.available`.
@Suite struct ReferralContractTests {
    @Test(arguments: Backend.available)
    func migrationsApplyOnceAndAreRecorded(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            #expect(try await Migrator.migrate(db.database) == [])
            let versions = try await db.database.read { c in try await c.query("SELECT version FROM schema_migrations ORDER BY version", []) }
            #expect(versions.map { $0.int("version") } == Migrator.all.map(\.version))
        }
    }

    @Test(arguments: Backend.available)
    func fullLoopIsRecordedInTheLedgerInOrder(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            var referral = try await w.refer()
            #expect(referral.status == .requested && referral.version == 1)
            // Referral and message ids lead with their creation time, so the indexes keyed by them take new rows at their end.
            #expect(Int64(referral.id.raw.dropFirst(4).prefix(12), radix: 16) == referral.createdAt.millis)
            let partner = w.store.scoped(to: w.housingStaff)
            w.clock.advance(seconds: 60)
            referral = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            #expect(referral.firstRespondedAt == World.start.adding(seconds: 60))
            referral = try await partner.setBusinessStatus(referral.id, .contacted, expectedVersion: referral.version)
            referral = try await partner.changeStatus(referral.id, StatusChange(status: .inProgress), expectedVersion: referral.version)
            let message = try await partner.sendMessage(referral: referral.id, body: "Intake booked for Tuesday")
            #expect(Int64(message.id.raw.dropFirst(4).prefix(12), radix: 16) == message.sentAt.millis)
            _ = try await w.store.scoped(to: w.navigator).sendMessage(referral: referral.id, body: "Thanks!")
            referral = try await partner.changeStatus(
                referral.id,
                StatusChange(
                    status: .completed, outcome: ReferralOutcome(code: .needMet, summary: "Housed")), expectedVersion: referral.version)
            #expect(referral.status == .completed && referral.outcome?.summary == "Housed")

            let timeline = try await w.store.scoped(to: w.navigator).timeline(referral: referral.id)
            #expect(
                timeline.map(\.kind) == [
                    "referral.created", "referral.status-changed", "referral.business-status",
                    "referral.status-changed", "referral.message-sent", "referral.message-sent",
                    "referral.status-changed"
                ])
            #expect(timeline.map(\.seq) == timeline.map(\.seq).sorted())
            #expect(timeline[1].actorOrganizationId == w.housing.id && timeline[1].counterpartOrganizationId == w.clinic.id)
            #expect(timeline[1].detail == ["from": "requested", "to": "accepted", "timeliness": "on-time"])  // the first response, in time
            #expect(timeline.allSatisfy { $0.channel == .referral })

            // Read receipts: only the other side marks a message read.
            let unchanged = try await partner.markRead(referral: referral.id, message: message.id)
            #expect(unchanged.readAt == nil)
            let read = try await w.store.scoped(to: w.navigator).markRead(referral: referral.id, message: message.id)
            #expect(read.readAt != nil && read.readBy == w.navigator.userId)
        }
    }

    @Test(arguments: Backend.available)
    func illegalMovesAndWrongSidesChangeNothing(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            let ledgerBefore = try await w.count("activity")
            await #expect(throws: ThawError.forbidden("only the receiving organisation may set accepted", field: "status")) {
                try await w.store.scoped(to: w.navigator).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            }
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.housingStaff).changeStatus(
                    referral.id,
                    StatusChange(
                        status: .completed,
                        outcome: ReferralOutcome(code: .needMet, summary: "x")), expectedVersion: 1)
            }
            await #expect(throws: ThawError.self) {
                try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .rejected), expectedVersion: 1)
            }
            let after = try await w.store.scoped(to: w.navigator).referral(referral.id).referral
            #expect(after.status == .requested && after.version == 1)
            #expect(try await w.count("activity") == ledgerBefore)
        }
    }

    @Test(arguments: Backend.available)
    func staleVersionGetsPreconditionFailedAndConcurrentUpdatesHaveOneWinner(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            let partner = w.store.scoped(to: w.housingStaff)
            let requester = w.store.scoped(to: w.navigator)
            // The partner accepts while the navigator cancels, both from version 1.
            async let accept: Result<Referral, any Error> = Result {
                try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            }
            async let cancel: Result<Referral, any Error> = Result {
                try await requester.changeStatus(referral.id, StatusChange(status: .cancelled, reason: "moved away"), expectedVersion: 1)
            }
            let results = await [accept, cancel]
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in results {
                #expect(error as? ThawError == .preconditionFailed("referral \(referral.id) was changed by someone else; reload it and try again"))
            }
            let final = try await requester.referral(referral.id).referral
            #expect(final.status == winners[0].status && final.version == 2)
            let changes = try await requester.timeline(referral: referral.id).filter { $0.kind == "referral.status-changed" }
            #expect(changes.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func createIsIdempotentPerKey(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let first = try await w.refer(key: "k-1")
            let (again, replayed) = try await w.store.scoped(to: w.navigator).createReferral(
                NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, note: "Needs housing soon"),
                idempotencyKey: "k-1")
            #expect(replayed && again.id == first.id)
            await #expect(
                throws: ThawError.unprocessable("Idempotency-Key", "reused", "this Idempotency-Key was already used for a different request")
            ) {
                try await w.store.scoped(to: w.navigator).createReferral(
                    NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, note: "different"),
                    idempotencyKey: "k-1")
            }
            #expect(try await w.count("referrals") == 1)
            // Keys belong to the user: the same key from a colleague is a new request.
            let other = try await w.refer(key: "k-1", by: w.clinician)
            #expect(other.id != first.id)
        }
    }

    @Test(arguments: Backend.available)
    func consentGovernsWhatThePartnerSees(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            let partner = w.store.scoped(to: w.housingStaff)
            let seen = try await partner.referral(referral.id)
            #expect(seen.side == .performer && seen.client.phone == nil && seen.client.givenName == "Amara")
            #expect(seen.referral.note == "Needs housing soon")
            #expect(seen.disclosedScopes == [.needs, .notes])
            #expect(try await partner.client(w.client.id).client.address == nil)
            #expect(try await partner.worklist(WorklistQuery(view: .inbox)).items.count == 1)

            _ = try await w.store.scoped(to: w.navigator).revokeConsent(client: w.client.id, consent: w.housingConsent.id)
            await #expect(throws: ThawError.notFound("referral \(referral.id)")) { try await partner.referral(referral.id) }
            await #expect(throws: ThawError.self) { try await partner.client(w.client.id) }
            await #expect(throws: ThawError.self) { try await partner.sendMessage(referral: referral.id, body: "hello?") }
            #expect(try await partner.worklist(WorklistQuery(view: .inbox)).items.isEmpty)
            // The referring side still sees everything.
            #expect(try await w.store.scoped(to: w.navigator).referral(referral.id).client.phone == "555-0101")
        }
    }

    @Test(arguments: Backend.available)
    func expiredConsentHidesTheClientAndBlocksNewReferrals(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            w.clock.advance(seconds: 31 * 86_400)
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.housingStaff).referral(referral.id) }
            await #expect(throws: ThawError.self) { try await w.refer() }
            #expect(try await w.count("referrals") == 1)
        }
    }

    @Test(arguments: Backend.available)
    func otherOrganisationsGetNotFoundForEverything(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            for outsider in [w.unrelatedStaff, w.foodStaff, w.clinicAdmin, w.clinicLead] {
                let s = w.store.scoped(to: outsider)
                await #expect(throws: ThawError.notFound("referral \(referral.id)")) { try await s.referral(referral.id) }
                await #expect(throws: ThawError.self) { try await s.client(w.client.id) }
                await #expect(throws: ThawError.self) { try await s.timeline(referral: referral.id) }
                await #expect(throws: ThawError.self) {
                    try await s.recordConsent(
                        client: w.client.id,
                        NewConsent(grantee: .sector(.community), scopes: [.contact], purpose: .referral))
                }
            }
        }
    }

    @Test(arguments: Backend.available)
    func openReferralIsClaimedByExactlyOneEligiblePartner(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            // Consent for the whole social-care sector lets both partners see the open referral.
            _ = try await w.store.scoped(to: w.navigator).recordConsent(
                client: w.client.id,
                NewConsent(
                    grantee: .sector(.socialCare), scopes: [.contact], purpose: .referral))
            let (open, _) = try await w.store.scoped(to: w.navigator).createReferral(NewReferral(clientId: w.client.id, needCategory: .housing))
            #expect(open.isOpen)
            #expect(try await w.store.scoped(to: w.housingStaff).openReferrals().map(\.id) == [open.id])
            #expect(try await w.store.scoped(to: w.unrelatedStaff).openReferrals().isEmpty)
            await #expect(throws: ThawError.self) { try await w.store.scoped(to: w.unrelatedStaff).claim(open.id) }
            async let a: Result<Referral, any Error> = Result { try await w.store.scoped(to: w.housingStaff).claim(open.id) }
            async let b: Result<Referral, any Error> = Result { try await w.store.scoped(to: w.foodStaff).claim(open.id) }
            let results = await [a, b]
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            #expect(winners[0].status == .accepted)
            let stored = try await w.store.scoped(to: w.navigator).referral(open.id).referral
            #expect(stored.ownerOrganizationId == winners[0].ownerOrganizationId)
        }
    }

    @Test(arguments: Backend.available)
    func aFailedWriteLeavesNothingBehindAndDoesNotDisturbOthers(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let before = (try await w.count("referrals"), try await w.count("activity"), try await w.count("idempotency_keys"))
            // The food bank has no consent: the create fails after several checks and writes nothing.
            let failing = NewReferral(clientId: w.client.id, serviceId: w.foodService.id, needCategory: .food)
            let good = NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing)
            let nav = w.store.scoped(to: w.navigator)
            async let f: Result<(Referral, replayed: Bool), any Error> = Result { try await nav.createReferral(failing, idempotencyKey: "f") }
            async let g: Result<(Referral, replayed: Bool), any Error> = Result { try await nav.createReferral(good, idempotencyKey: "g") }
            let (failed, succeeded) = await (f, g)
            #expect((try? failed.get()) == nil)
            #expect((try? succeeded.get()) != nil)
            #expect(try await w.count("referrals") == before.0 + 1)
            #expect(try await w.count("idempotency_keys") == before.2 + 1)
            #expect(try await w.count("activity") == before.1 + 1)
        }
    }

    @Test(arguments: Backend.available)
    func manyConcurrentWritesAndReadsAllLandOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let before = try await w.count("activity")
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        if i % 2 == 0 { _ = try await w.refer(key: "burst-\(i)"); return 1 }
                        _ = try await w.store.scoped(to: w.housingStaff).worklist(WorklistQuery(view: .inbox))
                        return 0
                    }
                }
                return try await group.reduce(0, +)
            }
            try await db.database.write { _ in }  // flush write-behind read audits
            #expect(try await w.count("referrals") == created)
            #expect(try await w.count("activity") == before + created)
            #expect(try await w.count("idempotency_keys") == created)
        }
    }

    @Test(arguments: Backend.available)
    func theLedgerRefusesUpdatesAndDeletes(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            _ = try await w.refer()
            let n = try await w.count("activity")
            await #expect(throws: (any Error).self) { try await db.database.write { c in try await c.execute("UPDATE activity SET kind = 'x'", []) } }
            await #expect(throws: (any Error).self) { try await db.database.write { c in try await c.execute("DELETE FROM activity", []) } }
            await #expect(throws: (any Error).self) { try await db.database.write { c in try await c.execute("DELETE FROM access_log", []) } }
            #expect(try await w.count("activity") == n)
        }
    }

    @Test(arguments: Backend.available)
    func dataSurvivesARestart(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            try await db.database.close()
            let reopened = try await db.reopen()
            let store = ThawStore(database: reopened, clock: w.clock)
            let again = try await store.scoped(to: w.navigator).referral(referral.id)
            #expect(again.referral.status == .accepted && again.referral.version == 2)
            #expect(try await store.scoped(to: w.navigator).timeline(referral: referral.id).count == 2)
            try await reopened.close()
        }
    }

    @Test(arguments: Backend.available)
    func exportStreamsTheWholeLedgerInOrderAcrossPages(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            _ = try await w.store.scoped(to: w.housingStaff).changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: 1)
            var seqs: [Int64] = []
            var kinds: [String] = []
            try await w.store.exportActivity(pageSize: 3) { entry in
                seqs.append(entry.seq); kinds.append(entry.kind)
            }
            #expect(seqs.count == (try await w.count("activity")))
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
            #expect(kinds.suffix(2) == ["referral.created", "referral.status-changed"])
            var after: [Int64] = []
            try await w.store.exportActivity(after: seqs[seqs.count - 2], pageSize: 3) { after.append($0.seq) }
            #expect(after == [seqs.last!])
        }
    }

    @Test(arguments: Backend.available)
    func clientReadsAndWritesAreRecordedInTheAccessLog(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let referral = try await w.refer()
            _ = try await w.store.scoped(to: w.housingStaff).referral(referral.id)
            try await db.database.write { _ in }  // reads are audited write-behind; a write flushes them
            let rows = try await db.database.read { c in
                try await c.query("SELECT user_id, action, subject_type FROM access_log WHERE client_id = ? ORDER BY seq", w.client.id)
            }
            let entries = rows.map {
                "\($0.string("user_id") == w.housingStaff.userId.raw ? "partner" : "clinic"):\($0.string("action")):\($0.string("subject_type"))"
            }
            #expect(entries.first == "clinic:create:client")
            #expect(entries.contains("clinic:write:referral"))
            #expect(entries.last == "partner:read:referral")

            // A list is audited too, with no client; the by-client index leaves such rows out
            // (migration 13) and still answers the by-client question.
            _ = try await w.store.scoped(to: w.navigator).worklist(WorklistQuery(view: .caseload))
            try await db.database.write { _ in }
            let lists = try await db.database.read { c in
                try await c.query(
                    "SELECT count(*) AS n FROM access_log WHERE client_id IS NULL AND action = 'list' AND user_id = ?", w.navigator.userId)
            }
            #expect(lists.first?.int("n") == 1)
            if db.database.dialect == .sqlite {
                let plan = try await db.database.read { c in
                    try await c.query("EXPLAIN QUERY PLAN SELECT user_id FROM access_log WHERE client_id = ? ORDER BY seq", w.client.id)
                }
                #expect(plan.contains { $0.string("detail").contains("access_log_by_client") })
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

func Result<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    await Result<T, any Error>(catching: body)
}

extension Backend: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
