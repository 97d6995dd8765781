import Foundation
import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Swift seeds a set's iteration order afresh in every process, so a record that writes a set in
/// its own order reads differently from two server processes, or before and after a restart, or
/// from a copied installation. Every record an answer carries a set in is written here twice, its
/// sets iterating in two different orders, and must come out as the same bytes.
@Suite struct SetOrderTests {
    /// The same members in a set that iterates them in another order (a set with room for many more
    /// members spreads them over other buckets). Tries larger sets until the order differs, so the
    /// comparisons below cannot pass merely because both sets happened to iterate alike.
    static func reordered<T: Hashable>(_ set: Set<T>) throws -> Set<T> {
        for capacity in [16, 64, 256, 1_024, 4_096, 16_384] {
            var other = Set<T>(minimumCapacity: capacity)
            for member in set.reversed() { other.insert(member) }
            if Array(other) != Array(set) { return other }
        }
        throw SetOrderUnchanged()
    }
    struct SetOrderUnchanged: Error {}

    /// As the server writes JSON: keys sorted, so only a set's order could make two writings differ.
    static func bytes(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func everyRecordWithASetReadsTheSameWhateverOrderItIterates() async throws {
        try await withDatabase(.sqlite) { db in
            let w = try await World.make(db.database)
            let scopes = Set(ConsentScope.allCases), roles = Set(Role.allCases), statuses = Set(TaskStatus.allCases)
            let referral = try await w.refer()

            var detail = try await w.store.scoped(to: w.housingStaff).referral(referral.id)
            detail.disclosedScopes = scopes
            let detailBytes = try Self.bytes(detail)
            detail.disclosedScopes = try Self.reordered(scopes)
            #expect(try Self.bytes(detail) == detailBytes, "a referral as its partner reads it")

            var client = try await w.store.scoped(to: w.housingStaff).client(w.client.id)
            client.disclosedScopes = scopes
            let clientBytes = try Self.bytes(client)
            client.disclosedScopes = try Self.reordered(scopes)
            #expect(try Self.bytes(client) == clientBytes, "a client as a partner reads them")

            var consent = w.housingConsent
            consent.scopes = scopes
            let consentBytes = try Self.bytes(consent)
            consent.scopes = try Self.reordered(scopes)
            #expect(try Self.bytes(consent) == consentBytes, "a consent")

            var user = try #require(try await w.store.user(email: "nav@clinic.test"))
            user.roles = roles
            let userBytes = try Self.bytes(user)
            user.roles = try Self.reordered(roles)
            #expect(try Self.bytes(user) == userBytes, "a user")

            var placement = Placement(
                id: ID<Placement>("plc_1"), userId: w.housingStaff.userId, organizationId: w.clinic.id, homeOrganizationId: w.housing.id,
                roles: roles,
                fromOn: CalendarDate(World.start), untilOn: nil, recordedBy: w.clinicAdmin.userId, recordedAt: World.start)
            let placementBytes = try Self.bytes(placement)
            placement.roles = try Self.reordered(roles)
            #expect(try Self.bytes(placement) == placementBytes, "a placement")

            var filter = SubscriptionFilter(owner: w.housing.id, statuses: statuses)
            let filterBytes = try Self.bytes(filter)
            filter.statuses = try Self.reordered(statuses)
            #expect(try Self.bytes(filter) == filterBytes, "a subscription's filter")
        }
    }
}
