import Foundation
import Testing
@testable import ThawStorage

/// The pieces of the climate rebuild's fold that the rebuild tests reach only in passing.
@Suite struct LedgerFoldTests {
    @Test func integerTableNumbersKeysInTheOrderFirstAddedThroughGrowth() {
        var table = IntegerTable()
        var reference: [UInt64: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        // Sequential keys (as packed slots and days are) and random ones, 0 included, some repeated.
        let keys = (0..<3_000).map(UInt64.init) + (0..<20_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) } + (0..<3_000).map(UInt64.init)
        for key in keys {
            let expected = reference[key] ?? reference.count
            let (position, isNew) = table.position(of: key)
            #expect(position == expected && isNew == (reference[key] == nil))
            reference[key] = expected
        }
        #expect(table.count == reference.count && table.keys.count == reference.count)
        #expect(reference.allSatisfy { table.existingPosition(of: $0.key) == $0.value })
        #expect(table.existingPosition(of: 1 << 63 | 12_345) == reference[1 << 63 | 12_345])
    }

    @Test func readsADetailValueInPlaceAndDecodesOneWithAnEscape() {
        var values = ByteInterner()
        func read(_ detail: [String: String]) -> String? {
            var text = JSONText.encode(detail)
            let number = text.withUTF8 { LedgerFold.value(of: LedgerFold.timeliness, in: UnsafeRawBufferPointer($0), numberedIn: &values) }
            return number < 0 ? nil : values.string(number)
        }
        #expect(read(["timeliness": "late", "message": "tms_1"]) == "late")
        #expect(read(["a": "\"timeliness\":\"late\"", "timeliness": "on-time"]) == "on-time")   // the key quoted inside another value
        #expect(read(["timeliness": "on\"time"]) == "on\"time")
        #expect(read(["timelines": "late"]) == nil && read([:]) == nil)
        #expect(read(["timeliness": ""]) == "")
    }
}
