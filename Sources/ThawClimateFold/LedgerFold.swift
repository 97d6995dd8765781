import Foundation
import Synchronization
import ThawCore

/// Every pair-month of the ledger, summed from the records its scans kept
/// (`LedgerScan`), by the same rules as the live path, and numbered in the stored
/// rows' key order: slot n is the n-th pair-month by (lower organisation id,
/// higher id, month). Organisations and people are numbered in their ids' byte
/// order, which is `String` order for the ASCII ids Thaw makes.
///
/// Flat, for speed: the months sit in a few ranges (`Months`), one per core that
/// summed them; `encode(_:names:into:)` writes one as the stored values the live
/// path's `PairMonthOf` gives.
public struct LedgerFold: Sendable {
    public struct Key: Sendable, Comparable {
        public var lo: Int32, hi: Int32, month: Int32  // month: year * 12 + month - 1

        /// The stored rows' order: by pair (numbers in id order), then month.
        public static func < (a: Key, b: Key) -> Bool { (a.lo, a.hi, a.month) < (b.lo, b.hi, b.month) }
    }

    private(set) var organizations = ByteInterner()
    private(set) var userNames: [String] = []
    /// The months in key order, in ranges; and the slot of each range's first month.
    private(set) var ranges: [Months] = []
    private var rangeStarts: [Int] = []

    static let counters = PairCounts.counterCount

    /// How many pair-months the fold holds.
    public private(set) var count = 0

    /// The range holding `slot` and the slot's place in it.
    func locate(_ slot: Int) -> (range: Int, index: Int) {
        precondition((0..<count).contains(slot), "no such slot in the fold")
        var range = rangeStarts.count - 1  // a handful of ranges
        while rangeStarts[range] > slot { range -= 1 }
        return (range, slot - rangeStarts[range])
    }

    /// The slot of `key`, if the fold has it: a binary search, the slots being in key order.
    public func slot(of key: Key) -> Int? {
        var (low, high) = (0, count)  // the first slot whose key is not below `key`
        while low < high {
            let middle = (low + high) / 2
            if self.key(middle) < key { low = middle + 1 } else { high = middle }
        }
        return low < count && self.key(low) == key ? low : nil
    }

    /// The key of the month in `slot`.
    public func key(_ slot: Int) -> Key {
        let (range, index) = locate(slot)
        return ranges[range].keys[index]
    }

    /// Sums what `scans` (each of other entries) kept. Each scan's records are renumbered
    /// into the whole's numbering and sorted on a core of their own; the sorted runs are
    /// then merged, in one range of keys per core, and each pair-month summed as it goes by.
    public static func build(_ scans: consuming [LedgerScan]) async -> LedgerFold {
        let (organizations, organizationNumbers) = unionInByteOrder(scans.map(\.organizations))
        let (users, userNumbers) = unionInByteOrder(scans.map(\.users))
        let (counters, contributionNumbers) = contributionsNumbered(scans)
        let runs = await withTaskGroup(of: (Int, [LedgerScan.Record]).self) { group in
            for index in scans.indices {
                // Handed over, not shared, so the task renumbers the records in place (the only other choice, a
                // renumbered copy, is another 16 bytes an entry of fresh memory for the kernel to find).
                let records = Handoff(scans[index].takeRecords())
                let (orgs, people, contributions) = (organizationNumbers[index], userNumbers[index], contributionNumbers[index])
                // Not on the caller's executor (the SQLite writer's one thread), which child tasks would inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var run = records.take()
                    run.withUnsafeMutableBufferPointer { run in
                        for index in run.indices {
                            let record = run[index]
                            run[index] = LedgerScan.Record(
                                key: LedgerScan.Record.key(lo: orgs[Int(record.lo)], hi: orgs[Int(record.hi)], month: record.month, day: record.day),
                                payload: contributions[record.contribution] << 32
                                    | UInt64(record.person < 0 ? 0 : UInt32(people[Int(record.person)] + 1)))
                        }
                    }
                    run.radixSortByKey()
                    return (index, run)
                }
            }
            var runs: [(Int, [LedgerScan.Record])] = []
            for await run in group { runs.append(run) }
            return runs.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Summed in one range of keys per core, each range starting a pair-month.
        let bounds = splits(runs, parts: runs.count)
        let ranges = await withTaskGroup(of: (Int, Months).self) { group in
            for part in runs.indices {
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    let slices = runs.indices.map { runs[$0][bounds[part][$0]..<bounds[part + 1][$0]] }
                    return (part, withBuffers(slices[...], []) { Months.summing($0, counters: counters) })
                }
            }
            var ranges: [(Int, Months)] = []
            for await range in group { ranges.append(range) }
            return ranges.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var fold = LedgerFold()
        for range in ranges where range.count > 0 {
            fold.rangeStarts.append(fold.count)
            fold.ranges.append(range)
            fold.count += range.count
        }
        fold.organizations = organizations
        fold.userNames = (0..<Int32(users.count)).map { users.string($0) }
        return fold
    }

    /// Where each sorted run splits into `parts` ranges of keys, each starting at a pair-month's first possible key
    /// (day 0, which no record has), so that no pair-month spans two ranges: per boundary, an index into each run.
    private static func splits(_ runs: [[LedgerScan.Record]], parts: Int) -> [[Int]] {
        let longest = runs.max { $0.count < $1.count } ?? []
        let starts = (1..<max(parts, 1)).map { longest.isEmpty ? 0 : (longest[longest.count * $0 / parts].key >> 5) << 5 }
        let inner = starts.map { start in
            runs.map { run in
                var (low, high) = (0, run.count)  // the first record at or after `start`
                while low < high {
                    let middle = (low + high) / 2
                    if run[middle].key < start { low = middle + 1 } else { high = middle }
                }
                return low
            }
        }
        return [runs.map { _ in 0 }] + inner + [runs.map(\.count)]
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

    private static func withBuffers<R>(
        _ arrays: ArraySlice<ArraySlice<LedgerScan.Record>>, _ buffers: [UnsafeBufferPointer<LedgerScan.Record>],
        _ body: ([UnsafeBufferPointer<LedgerScan.Record>]) -> R
    ) -> R {
        guard let first = arrays.first else { return body(buffers) }
        return first.withUnsafeBufferPointer { withBuffers(arrays.dropFirst(), buffers + [$0], body) }
    }
}

/// Hands a value to the one task that takes it, leaving none behind: the taker's copy is then the only one, so an
/// array it changes is changed in place rather than copied.
final class Handoff<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: consuming Value) { self.value = Mutex(value) }

    /// The value; a second take is a programming error.
    func take() -> Value {
        value.withLock { slot in
            guard let taken = slot else { preconditionFailure("a handoff taken twice") }
            slot = nil
            return taken
        }
    }
}
