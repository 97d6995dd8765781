import Foundation
import ThawCore

/// Every pair-month of the ledger, summed from the records its scans kept
/// (`LedgerScan`), by the same rules as the live path, and numbered in the stored
/// rows' key order: slot n is the n-th pair-month by (lower organisation id,
/// higher id, month). Organisations and people are numbered in their ids' byte
/// order, which is `String` order for the ASCII ids Thaw makes.
///
/// Flat, for speed: each of a slot's days is a row of counters and each of its
/// people a day mask, in arrays shared by all slots and laid out in slot order;
/// `encode(_:names:into:)` writes one as the stored values the live path's
/// `PairMonthOf` gives.
struct LedgerFold: Sendable {
    struct Key: Sendable {
        var lo: Int32, hi: Int32, month: Int32   // month: year * 12 + month - 1
    }

    private(set) var organizations = ByteInterner()
    private(set) var userNames: [String] = []
    /// The slot of each key (`packed`), for finding a stored row's month.
    private(set) var slots = IntegerTable()
    private(set) var keys: [Key] = []
    /// Per slot, its first day with entries in the lists below; a slot's days run to the next slot's first, in order.
    /// Per day with entries, its day of the month and its counters (`counters` each, in `PairCounts.counterValues` order).
    private(set) var firstDay: [Int32] = []
    private(set) var dayNumbers: [UInt8] = []
    private(set) var dayCounters: [UInt32] = []
    /// Per slot, its first person in the lists below; a slot's people run to the next slot's first.
    /// Per person of a slot, their number and the days they took part (bit d-1 for day d).
    private(set) var firstPerson: [Int32] = []
    private(set) var personIds: [Int32] = [], personDays: [UInt32] = []

    static let counters = PairCounts.counterCount

    /// How many pair-months the fold holds.
    var count: Int { keys.count }

    /// The days with entries of the month in `slot`, in order: positions in `dayNumbers` (and, times `counters`, `dayCounters`).
    func days(of slot: Int) -> Range<Int> {
        Int(firstDay[slot])..<(slot + 1 < firstDay.count ? Int(firstDay[slot + 1]) : dayNumbers.count)
    }

    /// The people of the month in `slot`: positions in `personIds` and `personDays`.
    func people(of slot: Int) -> Range<Int> {
        Int(firstPerson[slot])..<(slot + 1 < firstPerson.count ? Int(firstPerson[slot + 1]) : personIds.count)
    }

    /// Sums what `scans` (each of other entries) kept. Each scan's records are renumbered
    /// into the whole's numbering and sorted on a core of their own; the sorted runs are
    /// then merged, in one range of keys per core, and each pair-month summed as it goes by.
    static func build(_ scans: [LedgerScan]) async -> LedgerFold {
        var scans = scans
        let (organizations, organizationNumbers) = unionInByteOrder(scans.map(\.organizations))
        let (users, userNumbers) = unionInByteOrder(scans.map(\.users))
        let (counters, contributionNumbers) = contributionsNumbered(scans)
        let runs = await withTaskGroup(of: (Int, [LedgerScan.Record]).self) { group in
            for index in scans.indices {
                let records = scans[index].takeRecords()
                let (orgs, people, contributions) = (organizationNumbers[index], userNumbers[index], contributionNumbers[index])
                // Not on the caller's executor (the SQLite writer's one thread), which child tasks would inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var renumbered = records.map { record in
                        LedgerScan.Record(key: LedgerScan.Record.key(lo: orgs[Int(record.lo)], hi: orgs[Int(record.hi)],
                                                                     month: record.month, day: record.day),
                                          payload: contributions[record.contribution] << 32
                                              | UInt64(record.person < 0 ? 0 : UInt32(people[Int(record.person)] + 1)))
                    }
                    renumbered.radixSortByKey()
                    return (index, renumbered)
                }
            }
            var runs: [(Int, [LedgerScan.Record])] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Summed in one range of keys per core, each range starting a pair-month, then put end to end.
        let bounds = splits(runs, parts: runs.count)
        let parts = await withTaskGroup(of: (Int, LedgerFold).self) { group in
            for part in runs.indices {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var partial = LedgerFold()
                    let slices = runs.indices.map { runs[$0][bounds[part][$0]..<bounds[part + 1][$0]] }
                    withBuffers(slices[...], []) { partial.sum(merging: $0, counters: counters) }
                    return (part, partial)
                }
            }
            var parts: [(Int, LedgerFold)] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // The first range's arrays become the whole's as they are; the others are copied after them.
        var fold = parts.first ?? LedgerFold()
        for part in parts.dropFirst() { fold.append(part) }
        fold.organizations = organizations
        fold.userNames = (0..<Int32(users.count)).map { users.string($0) }
        for key in fold.keys { _ = fold.slots.position(of: Self.packed(key)) }
        return fold
    }

    /// Where each sorted run splits into `parts` ranges of keys, each starting at a pair-month's first possible key
    /// (day 0, which no record has), so that no pair-month spans two ranges: per boundary, an index into each run.
    private static func splits(_ runs: [[LedgerScan.Record]], parts: Int) -> [[Int]] {
        let longest = runs.max { $0.count < $1.count } ?? []
        let starts = (1..<max(parts, 1)).map { longest.isEmpty ? 0 : (longest[longest.count * $0 / parts].key >> 5) << 5 }
        let inner = starts.map { start in
            runs.map { run in
                var (low, high) = (0, run.count)   // the first record at or after `start`
                while low < high {
                    let middle = (low + high) / 2
                    if run[middle].key < start { low = middle + 1 } else { high = middle }
                }
                return low
            }
        }
        return [runs.map { _ in 0 }] + inner + [runs.map(\.count)]
    }

    /// Puts the pair-months of `other` (all after this one's in key order) after this one's.
    private mutating func append(_ other: LedgerFold) {
        let dayOffset = Int32(dayNumbers.count), personOffset = Int32(personIds.count)
        keys += other.keys
        firstDay += other.firstDay.map { $0 + dayOffset }
        dayNumbers += other.dayNumbers
        dayCounters += other.dayCounters
        firstPerson += other.firstPerson.map { $0 + personOffset }
        personIds += other.personIds
        personDays += other.personDays
    }

    /// Every scan's contributions, once per distinct row of counters (contributions with the same counters add the
    /// same, whichever scan numbered them): the counters, and for each scan, its contributions' new numbers.
    private static func contributionsNumbered(_ scans: [LedgerScan]) -> ([UInt32], [[UInt64]]) {
        var counters: [UInt32] = [], numbered: [ArraySlice<UInt32>: UInt64] = [:]
        let numbers = scans.map { scan in
            stride(from: 0, to: scan.contributionCounters.count, by: Self.counters).map { start in
                let vector = scan.contributionCounters[start..<start + Self.counters]
                if let number = numbered[vector] { return number }
                let number = UInt64(counters.count / Self.counters)
                numbered[vector] = number
                counters.append(contentsOf: vector)
                return number
            }
        }
        return (counters, numbers)
    }

    /// Every id the interners hold, once, numbered in byte order; and for each interner, its numbers' new numbers.
    private static func unionInByteOrder(_ parts: [ByteInterner]) -> (ByteInterner, [[Int32]]) {
        var all = ByteInterner()
        for part in parts {
            for index in 0..<Int32(part.count) { part.withBytes(index) { _ = all.index(of: $0) } }
        }
        var union = ByteInterner()
        for index in (0..<Int32(all.count)).sorted(by: { all.precedes($0, $1) }) {
            all.withBytes(index) { _ = union.index(of: $0) }
        }
        let numbers = parts.map { part in (0..<Int32(part.count)).map { index in part.withBytes(index) { union.existingIndex(of: $0)! } } }
        return (union, numbers)
    }

    private static func withBuffers<R>(_ arrays: ArraySlice<ArraySlice<LedgerScan.Record>>, _ buffers: [UnsafeBufferPointer<LedgerScan.Record>],
                                       _ body: ([UnsafeBufferPointer<LedgerScan.Record>]) -> R) -> R {
        guard let first = arrays.first else { return body(buffers) }
        return first.withUnsafeBufferPointer { withBuffers(arrays.dropFirst(), buffers + [$0], body) }
    }

    /// Sums the sorted runs of records in key order: a pair-month's records, and within it a day's, come one after
    /// another. Leaves `slots` to the caller.
    private mutating func sum(merging runs: [UnsafeBufferPointer<LedgerScan.Record>], counters: [UInt32]) {
        var heads = [Int](repeating: 0, count: runs.count)
        var monthKey = UInt64.max, dayKey = UInt64.max, monthsPeople = 0, day = -1
        while true {
            // The smallest head of the runs (one per core: a handful).
            var next = -1, nextKey = UInt64.max
            for run in runs.indices where heads[run] < runs[run].count {
                let key = runs[run][heads[run]].key
                if next < 0 || key < nextKey { next = run; nextKey = key }
            }
            guard next >= 0 else { return }
            let record = runs[next][heads[next]]
            heads[next] += 1
            if record.key >> 5 != monthKey {
                monthKey = record.key >> 5
                let key = Key(lo: record.lo, hi: record.hi, month: record.month)
                keys.append(key)
                firstDay.append(Int32(dayNumbers.count))
                firstPerson.append(Int32(personIds.count))
                monthsPeople = personIds.count
            }
            if record.key != dayKey {
                dayKey = record.key
                day = dayCounters.count
                dayNumbers.append(UInt8(record.day))
                for _ in 0..<Self.counters { dayCounters.append(0) }
            }
            let source = record.contribution * Self.counters
            for counter in 0..<Self.counters { dayCounters[day + counter] &+= counters[source + counter] }
            let person = record.person
            guard person >= 0 else { continue }
            // A pair-month has a handful of people.
            var index = monthsPeople
            while index < personIds.count, personIds[index] != person { index += 1 }
            if index == personIds.count { personIds.append(person); personDays.append(0) }
            personDays[index] |= 1 << UInt32(record.day - 1)
        }
    }

    /// A key as one number: twenty-one bits each for the pair (two million organisations), twenty-two for the month.
    static func packed(_ key: Key) -> UInt64 {
        precondition(key.lo < 1 << 21 && key.hi < 1 << 21 && (0..<1 << 22).contains(key.month), "a climate key out of the fold's range")
        return UInt64(key.lo) << 43 | UInt64(key.hi) << 22 | UInt64(key.month)
    }
}
