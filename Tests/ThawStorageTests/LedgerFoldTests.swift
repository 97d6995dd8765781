import Foundation
import Testing
import ThawCore
@testable import ThawClimateFold
@testable import ThawStorage

/// The pieces of the climate rebuild's fold that the rebuild tests reach only in passing.
@Suite struct LedgerFoldTests {
    @Test func integerTableNumbersKeysInTheOrderFirstAddedThroughGrowth() {
        var table = IntegerTable()
        var reference: [UInt64: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        // Sequential keys and random ones, 0 included, some repeated.
        let keys =
            (0..<3_000).map(UInt64.init) + (0..<20_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
            + (0..<3_000).map(UInt64.init)
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

    /// Keys of every length up to 40 bytes, and keys that differ from another in one byte
    /// only, at every position (the hash and the comparison read words that overlap).
    @Test func byteInternerNumbersKeysOfEveryLengthApartByOneByte() {
        var interner = ByteInterner()
        var reference: [[UInt8]: Int32] = [:]
        var keys: [[UInt8]] = []
        for length in 0...40 {
            let base = (0..<length).map { UInt8(truncatingIfNeeded: 97 + ($0 * 7 + length) % 26) }
            keys.append(base)
            for position in 0..<length {
                var changed = base
                changed[position] ^= 1
                keys.append(changed)
            }
        }
        for key in keys + keys.reversed() {
            let expected = reference[key] ?? Int32(reference.count)
            let number = key.withUnsafeBytes { interner.index(of: $0) }
            #expect(number == expected)
            reference[key] = expected
        }
        #expect(interner.count == reference.count && reference.count == Set(keys).count)
        for (key, number) in reference {
            #expect(key.withUnsafeBytes { interner.existingIndex(of: $0) } == number)
            #expect(interner.withBytes(number) { Array($0) } == key)
        }
        let absent = [UInt8](repeating: 120, count: 33)
        #expect(absent.withUnsafeBytes { interner.existingIndex(of: $0) } == nil)
    }

    @Test func readsADetailValueInPlaceAndDecodesOneWithAnEscape() {
        var values = ByteInterner()
        func read(_ detail: [String: String]) -> String? {
            var text = JSONText.encode(detail)
            let number = text.withUTF8 { LedgerScan.value(of: LedgerScan.timeliness, in: UnsafeRawBufferPointer($0), numberedIn: &values) }
            return number < 0 ? nil : values.string(number)
        }
        #expect(read(["timeliness": "late", "message": "tms_1"]) == "late")
        #expect(read(["a": "\"timeliness\":\"late\"", "timeliness": "on-time"]) == "on-time")  // the key quoted inside another value
        #expect(read(["timeliness": "on\"time"]) == "on\"time")
        #expect(read(["timelines": "late"]) == nil && read([:]) == nil)
        #expect(read(["timeliness": ""]) == "")
    }

    /// Random entries of every kind the climate counts (and some it does not), read
    /// whole or in three parts and summed, give for every pair-month exactly the stored
    /// values the live path's `PairMonth` gives for the same entries.
    @Test func theFoldEncodesEachMonthAsTheLivePathStoresIt() async {
        var generator = SystemRandomNumberGenerator()
        let orgs = ["org_b", "org_a", "org_c", "org_ab", "org_d"], users = ["usr_9", "usr_10", "usr_1", "usr_a", "usr_A", "usr_x2"]
        let kinds =
            Array(ClimateLedger.exchanges) + [
                ClimateLedger.overdueKind, ClimateLedger.keptKind, ClimateLedger.missedKind, "referral.accepted", ClimateLedger.loopLapsedKind,
                ClimateLedger.statusChangedKind, ClimateLedger.walkOutKind, ClimateLedger.policyMoveKind, ClimateLedger.meetingKind
            ] + Array(ClimateLedger.committeeKinds)
        // Lists of other parties: with the actor among them or not, repeated names, an empty one.
        let lists = ["org_a,org_b,org_c", "org_d", "org_b,org_ab,org_b", "", "org_c,org_a"]
        let details: [[String: String]?] =
            [
                nil, [:], ["response": "adopted"], ["response": "adapted"], ["response": "declined"],
                ["timeliness": ResponseTiming.onTime], ["timeliness": ResponseTiming.late],
                ["response": "adopted", "timeliness": ResponseTiming.late], ["note": "a \"quoted\" word"],
                ["to": "completed"], ["to": "accepted", "timeliness": ResponseTiming.onTime], ["notice": "advance"], ["notice": "after"]
            ] + lists.flatMap { list in [["with": list], ["organizations": list], ["with": list, "notice": "short"]] }
        let start = CalendarDate("2021-01-25")!.startOfDay.millis, day: Int64 = 86_400_000
        let rows: [[SQLValue]] = (0..<4_000).map { seq in
            let actor = orgs.randomElement(using: &generator)!
            let counterpart: SQLValue = Int.random(in: 0..<10, using: &generator) == 0 ? .null : .text(orgs.randomElement(using: &generator)!)
            let user: SQLValue = Int.random(in: 0..<8, using: &generator) == 0 ? .null : .text(users.randomElement(using: &generator)!)
            let detail = details.randomElement(using: &generator)!.map { SQLValue.text(JSONText.encode($0)) } ?? .null
            return [
                .int(Int64(seq)), .int(start + Int64.random(in: 0..<(70 * day), using: &generator)), user, .text(actor), counterpart,
                .text(kinds.randomElement(using: &generator)!), .text(Channel.allCases.randomElement(using: &generator)!.rawValue), detail
            ]
        }

        // What the live path stores: each entry added to its PairMonth, one by one.
        var expected: [String: [SQLValue]] = [:]
        var months: [String: (ClimateMonthRows.Key, PairMonth)] = [:]
        for row in rows {
            func text(_ column: Int) -> String? { if case .text(let value) = row[column] { value } else { nil } }
            guard case .int(let at) = row[1] else { continue }
            for pair in ClimateLedger.contributions(
                kind: text(5)!, channel: Channel(rawValue: text(6)!)!, detail: JSONText.decode(text(7)), actor: text(3)!,
                counterpart: text(4), at: Timestamp(millis: at))
            {
                let key = ClimateMonthRows.Key(lo: pair.lo, hi: pair.hi, month: pair.day.firstOfMonth)
                let name = "\(pair.lo) \(pair.hi) \(key.month)"
                var month = months[name]?.1 ?? PairMonth()
                month.add(day: pair.day.day, counts: pair.counts, person: pair.byMember ? text(2) : nil)
                months[name] = (key, month)
            }
        }
        for (name, (key, month)) in months { expected[name] = ClimateMonthRows.values(month, of: key.month) { $0 } }
        #expect(expected.count == 40)  // 10 pairs in parts of 4 months, all met by 4,000 entries

        func stored(_ fold: LedgerFold) -> [String: [SQLValue]] {
            let names = fold.names
            var encoded = EncodedMonth(), out: [String: [SQLValue]] = [:]
            for slot in 0..<fold.count {
                let key = fold.key(slot, names: names)
                fold.encode(slot, names: names, into: &encoded)
                out["\(key.lo) \(key.hi) \(key.month)"] = encoded.values
            }
            return out
        }
        /// The pair-months whose values differ from the live path's (or that only one side has), by name.
        func differences(_ fold: LedgerFold) -> [String] {
            let got = stored(fold)
            return Set(got.keys).union(expected.keys).filter { got[$0] != expected[$0] }.sorted()
        }
        var whole = LedgerScan()
        // A scan reads `LedgerScan.columns`: all but the seq.
        for row in rows { whole.add(row: BuiltScanRow(values: Array(row.dropFirst()))) }
        let wholeFold = await LedgerFold.build([whole])
        #expect(differences(wholeFold) == [])

        // Three parts, as the rebuild reads one range per core: each numbers ids as it meets them.
        var parts = [LedgerScan(), LedgerScan(), LedgerScan()]
        for (index, row) in rows.enumerated() {
            parts[index < 1_000 ? 0 : index < 2_500 ? 1 : 2].add(row: BuiltScanRow(values: Array(row.dropFirst())))
        }
        let fold = await LedgerFold.build(parts)
        #expect(differences(fold) == [])

        // Slots are numbered in the stored rows' key order (the order rows are written in), and each is found by its key.
        let names = fold.names
        let keys = (0..<fold.count).map { fold.key($0, names: names) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { a, b in (a.lo, a.hi, a.month.description) < (b.lo, b.hi, b.month.description) })
        // Found one at a time, and by a finder meeting them in key order, out of order, and among keys the fold lacks.
        func find(_ lo: String, _ hi: String, _ month: String, _ finder: inout LedgerFold.SlotFinder) -> (Int?, Int?) {
            Array(lo.utf8).withUnsafeBytes { lo in
                Array(hi.utf8).withUnsafeBytes { hi in
                    Array(month.utf8).withUnsafeBytes { month in
                        (fold.slot(lo: lo, hi: hi, month: month), finder.slot(in: fold, lo: lo, hi: hi, month: month))
                    }
                }
            }
        }
        var inOrder = LedgerFold.SlotFinder(), shuffled = LedgerFold.SlotFinder()
        for (slot, key) in keys.enumerated() {
            let (alone, found) = find(key.lo, key.hi, key.month.description, &inOrder)
            #expect(alone == slot && found == slot)
        }
        let lacking = keys.flatMap { key in
            [
                (key.lo, key.hi, "1999-01-01"), (key.lo, key.lo, key.month.description), (key.hi, key.lo, key.month.description),
                ("org_none", key.hi, key.month.description), (key.lo, key.hi, "2024-13-01"), (key.lo, key.hi, "2024-1-01")
            ]
        }
        let all =
            keys.enumerated().map { ($0.element.lo, $0.element.hi, $0.element.month.description, Optional($0.offset)) }
            + lacking.map { ($0.0, $0.1, $0.2, Int?.none) }
        for (lo, hi, month, slot) in all.shuffled() {
            let (alone, found) = find(lo, hi, month, &shuffled)
            #expect(alone == slot && found == slot, "\(lo) \(hi) \(month)")
        }
    }

    /// The radix sort gives the order of a stable comparison sort: by key, and records
    /// with equal keys in the order they came. Keys vary in some bytes and share others
    /// (as few organisations leave the upper bytes alike), and some repeat.
    @Test func radixSortOrdersRecordsAsAStableSortByKey() {
        var generator = SystemRandomNumberGenerator()
        for (count, varying) in [(0, UInt64.max), (1, .max), (2, .max), (1_000, .max), (50_000, 0x0000_03FF_0000_FF1F), (20_000, 0x7)] {
            let shared = UInt64.random(in: 0...UInt64.max, using: &generator) & ~varying
            var records = (0..<count).map { index in
                LedgerScan.Record(key: shared | UInt64.random(in: 0...UInt64.max, using: &generator) & varying, payload: UInt64(index))
            }
            let expected = records.enumerated().sorted { a, b in (a.element.key, a.offset) < (b.element.key, b.offset) }.map(\.element)
            records.radixSortByKey()
            #expect(records.map(\.key) == expected.map(\.key) && records.map(\.payload) == expected.map(\.payload), "\(count) records")
        }
    }
}
