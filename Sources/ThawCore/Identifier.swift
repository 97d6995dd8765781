/// A typed identifier: `ID<Referral>` and `ID<Client>` cannot be mixed up,
/// yet both travel as plain strings in JSON and SQL.
public struct ID<Entity>: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let raw: String
    public init(_ raw: String) { self.raw = raw }

    public init(from decoder: any Decoder) throws {
        raw = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
    public var description: String { raw }
    public static func < (lhs: ID, rhs: ID) -> Bool { lhs.raw < rhs.raw }
}

/// Makes new identifiers: a short prefix naming the kind, then 128 random bits
/// in lowercase hex, so ids never reveal counts or creation order.
public enum IDGenerator {
    public static func make<Entity>(_ prefix: String, as _: Entity.Type = Entity.self) -> ID<Entity> {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return ID(prefix + "_" + hex(high) + hex(low))
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
