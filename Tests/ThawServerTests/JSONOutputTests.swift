import Foundation
import Testing
import ThawCore
@testable import ThawServer

/// The hand-written JSON of the hot responses must be exactly what the
/// standard encoder writes, for every shape of referral.
@Suite struct JSONOutputTests {
    func fast(_ value: some FastJSONEncodable) -> String {
        var out = JSONOutput()
        value.write(to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
    func standard(_ value: some Encodable) throws -> String {
        String(decoding: try ThawJSON.makeEncoder().encode(value), as: UTF8.self)
    }

    @Test func referralsWorklistsAndMessagesMatchTheStandardEncoder() throws {
        var rng = SystemRandomNumberGenerator()
        let awkward = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab", "slash / and unicode é ✓", "\u{01}ctl", ""]
        for i in 0..<300 {
            func maybe<T>(_ v: T) -> T? { Bool.random(using: &rng) ? v : nil }
            let t = Timestamp(millis: Int64.random(in: 0...4_000_000_000_000, using: &rng))
            let referral = Referral(
                id: ID("ref_\(i)"), clientId: ID("cli_\(i)"), requesterOrganizationId: ID("org_a"), requesterUserId: ID("usr_a"),
                ownerOrganizationId: maybe(ID("org_b")), serviceId: maybe(ID("svc_1")),
                needCategory: NeedCategory.allCases.randomElement(using: &rng)!,
                needIds: (0..<Int.random(in: 0...3, using: &rng)).map { ID("need_\($0)") },
                priority: Priority.allCases.randomElement(using: &rng)!, status: TaskStatus.allCases.randomElement(using: &rng)!,
                businessStatus: maybe(BusinessStatus.allCases.randomElement(using: &rng)!), statusReason: maybe(awkward.randomElement(using: &rng)!),
                outcome: maybe(ReferralOutcome(code: .needMet, summary: awkward.randomElement(using: &rng)!)),
                note: maybe(awkward.randomElement(using: &rng)!), firstResponseDue: t, firstRespondedAt: maybe(t),
                followUpDue: maybe(t), lastMessageSide: maybe(.performer), lastMessageAt: maybe(t),
                createdAt: t, updatedAt: t, version: Int.random(in: 1...50, using: &rng), partOf: maybe(ID("ref_parent")))
            #expect(fast(referral) == (try standard(referral)))
            let item = WorklistItem(referral: referral, clientName: awkward.randomElement(using: &rng)!, counterpartName: maybe("Org"))
            let page = ItemList([item, item], nextCursor: maybe("1~ref_1"))
            #expect(fast(page) == (try standard(page)))
            let message = ReferralMessage(
                id: ID("msg_\(i)"), referralId: referral.id, authorUserId: ID("u"), authorOrganizationId: ID("o"),
                side: .requester, body: awkward.randomElement(using: &rng)!, sentAt: t, readAt: maybe(t), readBy: maybe(ID("r")))
            #expect(fast(ItemList([message])) == (try standard(ItemList([message]))))
        }
    }
}
