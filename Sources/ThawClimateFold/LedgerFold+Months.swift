import Foundation

extension LedgerFold {
    /// One range of the fold's pair-months, in key order, summed on one core: each
    /// of a month's days its nonzero counts and each of its people a day mask, in
    /// arrays shared by the range's months and laid out in their order.
    ///
    /// The fold keeps its ranges as they were summed rather than copying them into
    /// one set of arrays: at ten million entries that copy was a few hundred megabytes
    /// written on one core while the other waited.
    struct Months: Sendable {
        private(set) var keys: [Key] = []
        /// Per month, its first day with entries in the lists below, and its first value; a month's days run to the
        /// next month's first, in order. Per day with entries, its day of the month and which of its counters are not
        /// 0 (bit n: counter n, in `PairCounts.counterValues` order), whose values follow one another in `values`:
        /// at ten million entries, 7.9 million days of twelve counters were 380 MB, nearly all zeros, every page of
        /// it fresh memory for the kernel to find.
        private(set) var firstDay: [Int32] = []
        private(set) var firstValue: [Int] = []  // up to twelve values a record: past 32 bits sooner than the rest
        private(set) var dayNumbers: [UInt8] = []
        private(set) var dayMasks: [UInt16] = []
        private(set) var values: [UInt32] = []
        /// Per month, its first person in the lists below; a month's people run to the next month's first.
        /// Per person of a month, their number and the days they took part (bit d-1 for day d).
        private(set) var firstPerson: [Int32] = []
        private(set) var personIds: [Int32] = [], personDays: [UInt32] = []

        var count: Int { keys.count }

        /// The days with entries of the month at `index`, in order: positions in `dayNumbers` and `dayMasks`.
        func days(of index: Int) -> Range<Int> {
            Int(firstDay[index])..<(index + 1 < firstDay.count ? Int(firstDay[index + 1]) : dayNumbers.count)
        }

        /// The people of the month at `index`: positions in `personIds` and `personDays`.
        func people(of index: Int) -> Range<Int> {
            Int(firstPerson[index])..<(index + 1 < firstPerson.count ? Int(firstPerson[index + 1]) : personIds.count)
        }

        /// Sums sorted runs of records in key order: a pair-month's records, and within it a day's, come one after
        /// another.
        static func summing(_ runs: [UnsafeBufferPointer<LedgerScan.Record>], counters: [UInt32]) -> Months {
            var months = Months()
            // Room for the most the records can make (a month, a day and a person each): the arrays are then never
            // copied as they grow, and the pages left untouched cost nothing.
            let records = runs.reduce(0) { $0 + $1.count }
            months.keys.reserveCapacity(records)
            months.firstDay.reserveCapacity(records)
            months.firstPerson.reserveCapacity(records)
            months.dayNumbers.reserveCapacity(records)
            months.dayMasks.reserveCapacity(records)
            months.firstValue.reserveCapacity(records)
            months.values.reserveCapacity(records * LedgerFold.counters)
            months.personIds.reserveCapacity(records)
            months.personDays.reserveCapacity(records)
            months.sum(merging: runs, counters: counters)
            return months
        }

        private mutating func sum(merging runs: [UnsafeBufferPointer<LedgerScan.Record>], counters: [UInt32]) {
            let width = LedgerFold.counters
            precondition(width <= UInt16.bitWidth, "a day's counters are marked in sixteen bits")
            var heads = [Int](repeating: 0, count: runs.count)
            var monthKey = UInt64.max, dayKey = UInt64.max, monthsPeople = 0
            // The day being summed; written out when the next day (or the end) comes.
            var day = [UInt32](repeating: 0, count: width), dayOpen = false
            func closeDay() {
                guard dayOpen else { return }
                var mask: UInt16 = 0
                for counter in 0..<width where day[counter] != 0 {
                    mask |= 1 << UInt16(counter)
                    values.append(day[counter])
                    day[counter] = 0
                }
                dayMasks.append(mask)
                dayOpen = false
            }
            while true {
                // The smallest head of the runs (one per core: a handful).
                var next = -1, nextKey = UInt64.max
                for run in runs.indices where heads[run] < runs[run].count {
                    let key = runs[run][heads[run]].key
                    if next < 0 || key < nextKey { next = run; nextKey = key }
                }
                guard next >= 0 else { return closeDay() }
                let record = runs[next][heads[next]]
                heads[next] += 1
                if record.key != dayKey {
                    closeDay()
                    if record.key >> 5 != monthKey {
                        monthKey = record.key >> 5
                        keys.append(Key(lo: record.lo, hi: record.hi, month: record.month))
                        firstDay.append(Int32(dayNumbers.count))
                        firstValue.append(values.count)
                        firstPerson.append(Int32(personIds.count))
                        monthsPeople = personIds.count
                    }
                    dayKey = record.key
                    dayNumbers.append(UInt8(record.day))
                    dayOpen = true
                }
                let source = record.contribution * width
                for counter in 0..<width { day[counter] &+= counters[source + counter] }
                let person = record.person
                guard person >= 0 else { continue }
                // A pair-month has a handful of people.
                var index = monthsPeople
                while index < personIds.count, personIds[index] != person { index += 1 }
                if index == personIds.count { personIds.append(person); personDays.append(0) }
                personDays[index] |= 1 << UInt32(record.day - 1)
            }
        }
    }
}
