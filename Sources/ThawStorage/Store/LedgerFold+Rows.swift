import Foundation
import ThawCore

/// The folded months as stored rows: their order, their keys and values, and
/// finding the slot of a stored row.
extension LedgerFold {
    /// The folded months' slots in key order (pair ids, then month).
    func orderedSlots() -> [Int] {
        // Organisations ranked once by id, so sorting compares integers.
        var rank = [Int32](repeating: 0, count: organizations.count)
        for (position, index) in (0..<Int32(organizations.count)).sorted(by: { organizations.precedes($0, $1) }).enumerated() {
            rank[Int(index)] = Int32(position)
        }
        return keys.indices.sorted { a, b in
            let x = keys[a], y = keys[b]
            return (rank[Int(x.lo)], rank[Int(x.hi)], x.month) < (rank[Int(y.lo)], rank[Int(y.hi)], y.month)
        }
    }

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

    /// The ids behind the fold's numbers, and each user's place in id order (the order of a month's people text).
    struct Names: Sendable { let organizations: [String], users: [String], userRanks: [Int32] }
    var names: Names {
        var ranks = [Int32](repeating: 0, count: users.count)
        for (rank, index) in (0..<Int32(users.count)).sorted(by: { users.precedes($0, $1) }).enumerated() { ranks[Int(index)] = Int32(rank) }
        return Names(organizations: (0..<Int32(organizations.count)).map { organizations.string($0) },
                     users: (0..<Int32(users.count)).map { users.string($0) }, userRanks: ranks)
    }
}

/// Reading a value out of a ledger entry's detail in place.
extension LedgerFold {
    struct DetailKey {
        let name: String
        /// `"name":"`, the bytes that open the key's value.
        let pattern: [UInt8]
        init(_ name: String) { self.name = name; pattern = Array(("\"" + name + "\":\"").utf8) }
    }
    static let response = DetailKey("response"), timeliness = DetailKey(ResponseTiming.detailKey)

    /// The number in `values` of the string value of `key` in a ledger detail, or
    /// -1 without one. Details are canonical JSON (`JSONText.encode`), where
    /// `"key":"` can only open that key's value; a value with an escape is decoded
    /// properly instead.
    static func value(of key: DetailKey, in detail: UnsafeRawBufferPointer, numberedIn values: inout ByteInterner) -> Int32 {
        guard let opening = find(key.pattern, in: detail) else { return -1 }
        let start = opening + key.pattern.count
        var end = start
        while end < detail.count, detail[end] != UInt8(ascii: "\"") {
            if detail[end] == UInt8(ascii: "\\") {
                guard var decoded = JSONText.decode(String(decoding: detail, as: UTF8.self))[key.name] else { return -1 }
                return decoded.withUTF8 { values.index(of: UnsafeRawBufferPointer($0)) }
            }
            end += 1
        }
        return values.index(of: UnsafeRawBufferPointer(rebasing: detail[start..<end]))
    }

    /// Where `pattern` (which starts with a quote) first occurs in `bytes`: each quote
    /// found by `memchr`, the rest compared by `memcmp`.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= pattern.count else { return nil }
        return pattern.withUnsafeBytes { needle in
            var from = 0
            while from + needle.count <= bytes.count, let quote = memchr(base + from, Int32(needle[0]), bytes.count - needle.count + 1 - from) {
                let at = base.distance(to: UnsafeRawPointer(quote))
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }
}
