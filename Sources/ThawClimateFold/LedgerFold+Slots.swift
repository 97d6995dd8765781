import ThawCore

/// Finding a folded month by the key of a stored row.
extension LedgerFold {
    /// The slot of a stored row's pair and month (its key columns as stored), if the fold has it.
    public func slot(lo: UnsafeRawBufferPointer, hi: UnsafeRawBufferPointer, month: UnsafeRawBufferPointer) -> Int? {
        guard let month = Self.monthNumber(month), let lo = organizations.existingIndex(of: lo),
            let hi = organizations.existingIndex(of: hi)
        else { return nil }
        return slot(of: Key(lo: lo, hi: hi, month: month))
    }

    /// A stored month, the first day of the month (YYYY-MM-01), as year * 12 + month - 1.
    private static func monthNumber(_ month: UnsafeRawBufferPointer) -> Int32? {
        guard month.count == 10, let year = digits(month, 0..<4), let number = digits(month, 5..<7), (1...12).contains(number) else { return nil }
        return Int32(year * 12 + number - 1)
    }

    /// Finds the slots of stored rows as `slot(lo:hi:month:)` does, faster when they come in key order (as a scan
    /// of the table gives them): a row's ids are most often the last row's, and its month the slot after the last.
    public struct SlotFinder {
        /// The last row's ids and their numbers (nil: not in the fold).
        private var lo: (bytes: [UInt8], number: Int32?)?, hi: (bytes: [UInt8], number: Int32?)?
        private var last = -1

        public init() {}

        public mutating func slot(in fold: LedgerFold, lo: UnsafeRawBufferPointer, hi: UnsafeRawBufferPointer, month: UnsafeRawBufferPointer) -> Int?
        {
            guard let month = LedgerFold.monthNumber(month), let lo = Self.number(of: lo, in: fold, remembered: &self.lo),
                let hi = Self.number(of: hi, in: fold, remembered: &self.hi)
            else { return nil }
            let key = Key(lo: lo, hi: hi, month: month)
            if last + 1 < fold.count, fold.key(last + 1) == key {
                last += 1
            } else if let found = fold.slot(of: key) {
                last = found
            } else {
                return nil
            }
            return last
        }

        private static func number(of id: UnsafeRawBufferPointer, in fold: LedgerFold, remembered: inout (bytes: [UInt8], number: Int32?)?) -> Int32?
        {
            if let last = remembered, last.bytes.count == id.count, last.bytes.withUnsafeBytes({ ByteInterner.same($0, id) }) {
                return last.number
            }
            let number = fold.organizations.existingIndex(of: id)
            remembered = (Array(id), number)
            return number
        }
    }

    private static func digits(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            guard (48...57).contains(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 48)
        }
        return value
    }

    /// The first day of a month numbered year * 12 + month - 1.
    public static func date(_ month: Int32) -> CalendarDate {
        CalendarDate(year: Int(month) / 12, month: Int(month) % 12 + 1, day: 1)!
    }

    /// The ids behind the fold's numbers (numbered in byte order, so a number is also its place in id order).
    public struct Names: Sendable { public let organizations: [String], users: [String] }
    public var names: Names {
        Names(organizations: (0..<Int32(organizations.count)).map { organizations.string($0) }, users: userNames)
    }
}
