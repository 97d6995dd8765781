import Foundation
import ThawCore

/// The folded months as stored rows: their keys and values, and finding the
/// slot of a stored row.
extension LedgerFold {
    /// The stored row (key, then `ClimateMonthRows.values`) of the months in `slots`, named by `names`.
    func rows(_ slots: ArraySlice<Int>, names: Names) -> [[SQLValue]] {
        var encoded = EncodedMonth()
        return slots.map { slot in
            encode(slot, names: names, into: &encoded)
            return key(slot, names: names).binds + encoded.values
        }
    }

    /// The stored key of the month in `slot`.
    func key(_ slot: Int, names: Names) -> ClimateMonthRows.Key {
        let key = keys[slot]
        return ClimateMonthRows.Key(lo: names.organizations[Int(key.lo)], hi: names.organizations[Int(key.hi)], month: Self.date(key.month))
    }

    /// The slot of a stored row's pair and month (its key columns as stored), if the fold has it.
    func slot(lo: UnsafeRawBufferPointer, hi: UnsafeRawBufferPointer, month: UnsafeRawBufferPointer) -> Int? {
        // The stored month is the first day of the month, YYYY-MM-01.
        guard month.count == 10, let year = Self.digits(month, 0..<4), let number = Self.digits(month, 5..<7), (1...12).contains(number),
              let lo = organizations.existingIndex(of: lo), let hi = organizations.existingIndex(of: hi) else { return nil }
        return slots.existingPosition(of: Self.packed(Key(lo: lo, hi: hi, month: Int32(year * 12 + number - 1))))
    }

    private static func digits(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            guard (48...57).contains(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 48)
        }
        return value
    }

    static func date(_ month: Int32) -> CalendarDate {
        CalendarDate(year: Int(month) / 12, month: Int(month) % 12 + 1, day: 1)!
    }

    /// The ids behind the fold's numbers (numbered in byte order, so a number is also its place in id order).
    struct Names: Sendable { let organizations: [String], users: [String] }
    var names: Names {
        Names(organizations: (0..<Int32(organizations.count)).map { organizations.string($0) }, users: userNames)
    }
}
