import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Tasks for the client (the IG's tasks for the patient), on both databases: the organisation
/// holding the record asks, lists and closes them; no one else sees them.
@Suite struct ClientTaskContractTests {
    @Test(arguments: Backend.available)
    func theHolderAsksTheClientAndClosesTheTaskOnce(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let nav = w.store.scoped(to: w.navigator)
            let referral = try await w.refer()
            let due = w.store.scoped(to: w.navigator).calendar.day(of: w.clock.now()).adding(days: 3)
            let call = try await nav.createClientTask(
                client: w.client.id,
                NewClientTask(kind: .makeContact, description: "  Call the housing intake line  ", referralId: referral.id, dueOn: due))
            #expect(call.description == "Call the housing intake line" && call.status == .requested && call.organizationId == w.clinic.id)
            w.clock.advance(seconds: 60)
            let read = try await nav.createClientTask(client: w.client.id, NewClientTask(kind: .reviewMaterial, description: "Read the tenant guide"))
            #expect(try await nav.clientTasks(client: w.client.id).map(\.id) == [read.id, call.id], "newest first")

            // Closed once: done, or no longer needed.
            let done = try await nav.closeClientTask(call.id, ClientTaskClosing(status: .completed))
            #expect(done.status == .completed && done.closedAt == w.clock.now())
            await #expect(throws: ThawError.self) { try await nav.closeClientTask(call.id, ClientTaskClosing(status: .cancelled)) }
            await #expect {
                try await nav.closeClientTask(read.id, ClientTaskClosing(status: .requested))
            } throws: { brokenRules($0) == "status:one-of" }

            // Refused: nothing, a past date, another client's referral.
            await #expect {
                try await nav.createClientTask(client: w.client.id, NewClientTask(kind: .generalInformation, description: " "))
            } throws: {
                brokenRules($0) == "description:required"
            }
            await #expect {
                try await nav.createClientTask(
                    client: w.client.id, NewClientTask(kind: .generalInformation, description: "Bring ID", dueOn: due.adding(days: -10)))
            } throws: { brokenRules($0) == "dueOn:not-in-past" }
            let other = try await nav.createClient(NewClient(givenName: "Other", familyName: "Person"))
            await #expect {
                try await nav.createClientTask(client: other.id, NewClientTask(kind: .makeContact, description: "Call", referralId: referral.id))
            } throws: { brokenRules($0) == "referralId:client" }

            // The partner the referral went to, and anyone else, do not see them: not found, as for a made-up id.
            for outsider in [w.housingStaff, w.unrelatedStaff] {
                let scoped = w.store.scoped(to: outsider)
                await #expect(throws: ThawError.self) { try await scoped.clientTasks(client: w.client.id) }
                await #expect(throws: ThawError.self) { try await scoped.clientTask(read.id) }
                await #expect(throws: ThawError.self) { try await scoped.closeClientTask(read.id, ClientTaskClosing(status: .completed)) }
            }

            // The ledger and the client's access log say who asked and who closed.
            let kinds = try await db.database.read { c in
                try await c.query("SELECT kind FROM activity WHERE subject_id = ? AND kind LIKE 'client-task.%' ORDER BY seq", w.client.id)
            }
            #expect(kinds.map { $0.string("kind") } == ["client-task.created", "client-task.created", "client-task.closed"])
            let writes = try await db.database.read { c in
                try await c.query("SELECT subject_id FROM access_log WHERE action = 'write' AND subject_type = 'client-task'", [])
            }
            #expect(writes.count == 3)
        }
    }
}
