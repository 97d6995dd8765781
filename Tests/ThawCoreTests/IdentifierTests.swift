import Testing
@testable import ThawCore

@Suite struct IdentifierTests {
    private func isLowerHex(_ s: Substring) -> Bool { s.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) } }

    @Test func randomIdsAreAPrefixAnd32HexDigits() {
        let id: ID<Referral> = IDGenerator.make("ref")
        #expect(id.raw.hasPrefix("ref_"))
        #expect(id.raw.count == 4 + 32)
        #expect(isLowerHex(id.raw.dropFirst(4)))
    }

    @Test func timeOrderedIdsLeadWithTheCreationTimeAndSortByIt() {
        let start = Timestamp(millis: 1_796_000_000_000)  // 2026-11
        var previous: ID<Referral>?
        for step in 0..<200 {
            let at = Timestamp(millis: start.millis + Int64(step) * 7)
            let id: ID<Referral> = IDGenerator.make("ref", createdAt: at)
            #expect(id.raw.count == 4 + 32)
            #expect(isLowerHex(id.raw.dropFirst(4)))
            // The first 12 digits are the milliseconds, so the id reads back to its time.
            #expect(Int64(id.raw.dropFirst(4).prefix(12), radix: 16) == at.millis)
            if let previous { #expect(previous < id) }
            previous = id
        }
    }

    @Test func timeOrderedIdsInTheSameMillisecondStillDiffer() {
        let at = Timestamp(millis: 1_796_000_000_000)
        let ids = Set((0..<1000).map { _ in IDGenerator.make("msg", createdAt: at, as: ReferralMessage.self) })
        #expect(ids.count == 1000)
    }
}
