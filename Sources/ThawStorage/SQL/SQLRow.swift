import ThawCore

/// One result row. Column lookups are by name; a missing column or a value of
/// the wrong kind is a programming error in our SQL and reported as such.
public struct SQLRow: Sendable {
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns; self.values = values
    }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.position(of: name) else {
            preconditionFailure("query has no column \(name); it has \(columns.names)")
        }
        return values[index]
    }

    public func string(_ name: String) -> String {
        guard let value = optionalString(name) else { preconditionFailure("column \(name) is NULL") }
        return value
    }
    public func optionalString(_ name: String) -> String? {
        switch self[name] {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .null: return nil
        }
    }
    public func int64(_ name: String) -> Int64 {
        guard let value = optionalInt64(name) else { preconditionFailure("column \(name) is NULL") }
        return value
    }
    public func optionalInt64(_ name: String) -> Int64? {
        switch self[name] {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d.rounded(.towardZero))
        case .text(let s): return Int64(s)
        case .null: return nil
        }
    }
    public func int(_ name: String) -> Int { Int(int64(name)) }
    public func bool(_ name: String) -> Bool { int64(name) != 0 }
    public func timestamp(_ name: String) -> Timestamp { Timestamp(millis: int64(name)) }
    public func optionalTimestamp(_ name: String) -> Timestamp? { optionalInt64(name).map(Timestamp.init(millis:)) }
    public func id<T>(_ name: String, as: T.Type = T.self) -> ThawCore.ID<T> { ThawCore.ID(string(name)) }
    public func optionalId<T>(_ name: String, as: T.Type = T.self) -> ThawCore.ID<T>? { optionalString(name).map { ThawCore.ID($0) } }
    public func date(_ name: String) -> CalendarDate? { optionalString(name).flatMap(CalendarDate.init) }
    /// A stored calendar date; one that does not parse is damage, reported as an error (not a trap).
    public func calendarDate(_ name: String) throws -> CalendarDate {
        guard let date = date(name) else { throw SQLError(.other, "column \(name) does not hold a calendar date") }
        return date
    }
    public func enumValue<E: RawRepresentable>(_ name: String, as: E.Type = E.self) -> E where E.RawValue == String {
        guard let value = E(rawValue: string(name)) else { preconditionFailure("column \(name) holds an unknown \(E.self)") }
        return value
    }
    public func optionalEnum<E: RawRepresentable>(_ name: String, as: E.Type = E.self) -> E? where E.RawValue == String {
        optionalString(name).flatMap(E.init(rawValue:))
    }
    /// A list stored as comma-separated TEXT.
    public func list(_ name: String) -> [String] {
        (optionalString(name) ?? "").split(separator: ",").map(String.init)
    }
}

/// The column names of one result, with a lookup table built once and shared
/// by all its rows.
///
/// Every value read from a row looks its column up by name (a worklist page reads
/// about 1,300), so the table is our own: FNV-1a over the name's bytes and linear
/// probing. For a referral's column names that is about 25 ns a lookup against 60 ns
/// for a `Dictionary` with its seeded SipHash (measured here, optimised build).
public final class SQLColumns: Sendable {
    public let names: [String]
    /// Column positions by hash slot; -1 marks an empty slot. At most half full.
    private let slots: [Int32]
    private let mask: Int

    public init(_ names: [String]) {
        self.names = names
        var capacity = 8
        while capacity < names.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (i, name) in names.enumerated() {
            var slot = Self.hash(name) & (capacity - 1)
            while slots[slot] >= 0 && names[Int(slots[slot])] != name { slot = (slot + 1) & (capacity - 1) }
            if slots[slot] < 0 { slots[slot] = Int32(i) }   // a repeated name keeps its first position
        }
        self.slots = slots
        mask = capacity - 1
    }

    /// The first column with this name, or nil.
    public func position(of name: String) -> Int? {
        var slot = Self.hash(name) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { return nil }
            if names[i] == name { return i }
            slot = (slot + 1) & mask
        }
    }

    private static func hash(_ name: String) -> Int {
        // Straight over the bytes when the string has them in one piece (ours always do);
        // the UTF-8 view's iterator checks each step for the other layouts.
        name.utf8.withContiguousStorageIfAvailable(hash(bytes:)) ?? hash(bytes: Array(name.utf8))
    }

    private static func hash<C: Collection<UInt8>>(bytes: C) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
