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
    public func optionalDouble(_ name: String) -> Double? {
        switch self[name] {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .text(let s): return Double(s)
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

/// The column names of one result, with their positions looked up once and
/// shared by all its rows.
public final class SQLColumns: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        // A repeated name keeps its first position.
        positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first column with this name, or nil.
    public func position(of name: String) -> Int? { positions[name] }
}
