import Testing
import ThawCore
import ThawTestSupport
@testable import ThawStorage

/// A SQLite installation copied into PostgreSQL: every row, verified by count and checksum; a
/// target in use refused; and a checksum that notices a changed row.
@Suite struct DatabaseCopyTests {
    @Test(arguments: Backend.available.filter { $0 == .postgres })
    func anInstallationCopiesWholeAndTheChecksumsNoticeAChange(backend: Backend) async throws {
        try await withDatabase(.sqlite) { source in
            let w = try await World.make(source.database)
            let referral = try await w.store.scoped(to: w.navigator).createReferral(
                NewReferral(clientId: w.client.id, serviceId: w.housingService.id, needCategory: .housing, note: "Copied élan ✓")
            ).0
            // An empty database, not migrated: the copy migrates it.
            try await withDatabase(backend, migrations: []) { target in
                let tables = try await DatabaseCopy.copy(from: source.database, to: target.database)
                let differing = tables.filter { !$0.matches }.map(\.name)
                #expect(differing.isEmpty, "differing: \(differing)")
                let counts = Dictionary(tables.map { ($0.name, $0.targetRows) }, uniquingKeysWith: { first, _ in first })
                #expect(counts["referrals"] == 1 && counts["organizations"] == 4 && (counts["activity"] ?? 0) > 5)

                // The copy reads as the original: the referral, and the ledger with its numbers.
                let copied = ThawStore(database: target.database, clock: w.clock)
                #expect(try await copied.scoped(to: w.navigator).referral(referral.id).referral == referral)
                let lastSeq = { (db: any SQLDatabase) in
                    try await db.read { c in try await c.first("SELECT MAX(seq) AS s FROM activity")?.int("s") ?? 0 }
                }
                let sourceSeq = try await lastSeq(source.database)
                #expect(try await lastSeq(target.database) == sourceSeq)
                // The next ledger entry follows the copied ones.
                _ = try await copied.scoped(to: w.navigator).sendMessage(referral: referral.id, body: "After the copy")
                #expect(try await lastSeq(target.database) == sourceSeq + 1)

                // A database in use is refused, whole.
                await #expect(throws: ThawError.self) { try await DatabaseCopy.copy(from: source.database, to: target.database) }

                // The checksum sees a changed value that the count cannot.
                let before = try await DatabaseCopy.Checksum.of("referrals", columns: ["id", "note"], in: target.database)
                try await target.database.write { c in try await c.execute("UPDATE referrals SET note = 'Copied elan'", []) }
                let after = try await DatabaseCopy.Checksum.of("referrals", columns: ["id", "note"], in: target.database)
                #expect(before.rows == after.rows && before.checksum != after.checksum)
            }
        }
    }
}
