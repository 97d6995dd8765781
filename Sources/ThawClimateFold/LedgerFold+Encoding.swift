import ThawCore

/// A folded month's stored values (the climate month row's sums, weeks with
/// contact, people, days text and people text), written straight from the fold's
/// arrays into buffers reused from month to month. The rebuild encodes all of its
/// 800,000 months at ten million entries, once to compare and again for each row it
/// writes; building each as a `PairMonthOf` first (a dictionary of people, an array
/// per day) took a fifth of its CPU in a profile. `LedgerFoldTests` holds the two
/// encodings equal. The people text is ordered by the ids' bytes, which is `String`
/// order for the ASCII ids Thaw makes.
public struct EncodedMonth {
    /// The month's counters, in `PairCounts.counterValues` order.
    public internal(set) var sums = [Int](repeating: 0, count: LedgerFold.counters)
    public internal(set) var contactWeeks = 0, people = 0
    /// `PairMonthOf.daysText` and `peopleText`, as UTF-8.
    public internal(set) var days: [UInt8] = [], members: [UInt8] = []
    /// The counters of the day being written.
    fileprivate var dayValues = [Int](repeating: 0, count: LedgerFold.counters)
    /// The month's people (their number, their days), sorted by number (id order) for the people text.
    fileprivate var persons: [(person: Int32, days: UInt32)] = []

    public init() {}
}

extension LedgerFold {
    /// Writes the stored values of the month in `slot` into `out`, by the rules of
    /// `PairMonthOf.daysText`, `peopleText` and `contactWeeks`.
    public func encode(_ slot: Int, names: Names, into out: inout EncodedMonth) {
        let (range, index) = locate(slot)
        ranges[range].encode(index, names: names, into: &out)
    }
}

extension LedgerFold.Months {
    /// Writes the stored values of the month at `slot` into `out` (`LedgerFold.encode`).
    func encode(_ slot: Int, names: LedgerFold.Names, into out: inout EncodedMonth) {
        out.days.removeAll(keepingCapacity: true)
        out.members.removeAll(keepingCapacity: true)
        out.persons.removeAll(keepingCapacity: true)
        for counter in out.sums.indices { out.sums[counter] = 0 }
        // Weeks are Monday-based: day d of the month is in the month's week (weekday of the 1st + d - 1) / 7.
        let firstWeekday = LedgerFold.date(keys[slot].month).weekday
        var weeks = 0, lastWeek = -1, value = firstValue[slot]
        for position in days(of: slot) {
            let day = Int(dayNumbers[position]), mask = dayMasks[position]
            if !out.days.isEmpty { out.days.append(UInt8(ascii: ",")) }
            out.days.appendDecimal(day)
            for counter in 0..<LedgerFold.counters {
                guard mask & 1 << UInt16(counter) != 0 else { out.dayValues[counter] = 0; continue }
                let count = Int(values[value])
                value += 1
                out.dayValues[counter] = count
                out.days.append(UInt8(ascii: "a") + UInt8(counter))
                out.days.appendDecimal(count)
                out.sums[counter] += count
            }
            let week = (firstWeekday + day - 1) / 7
            if PairCounts({ out.dayValues[$0] }).interactions > 0, week != lastWeek {
                weeks += 1; lastWeek = week
            }
        }
        out.contactWeeks = weeks

        for person in people(of: slot) { out.persons.append((personIds[person], personDays[person])) }
        out.people = out.persons.count
        out.persons.sort { $0.person < $1.person }
        for (index, entry) in out.persons.enumerated() {
            if index > 0 { out.members.append(UInt8(ascii: "\n")) }
            out.members.appendDecimal(Int(entry.days))
            out.members.append(UInt8(ascii: " "))
            out.members.append(contentsOf: names.users[Int(entry.person)].utf8)
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a non-negative number's decimal digits, as `String(value)` writes them: the
    /// numbers of a pair-month's stored text (`PairMonthOf.daysText`), written here without a
    /// String each, for the tens of millions a rebuild writes.
    mutating func appendDecimal(_ value: Int) {
        precondition(value >= 0, "a negative count")
        guard value >= 10 else { return append(UInt8(ascii: "0") + UInt8(value)) }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        Swift.withUnsafeMutableBytes(of: &buffer) { digits in
            var start = digits.count, rest = value
            while rest > 0 {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]).assumingMemoryBound(to: UInt8.self))
        }
    }
}
