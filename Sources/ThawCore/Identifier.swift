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

    /// For records written in volume whose ids key busy indexes, their own and
    /// those of the rows that cite them (a referral's messages and ledger
    /// entries): the creation time in milliseconds (12 hex digits) leads, then 80
    /// random bits. New ids then sort after older ones, so each index takes
    /// them at its end instead of on a random page: a batch of new referrals
    /// dirties a few pages instead of one each (the idea of UUIDv7, RFC 9562).
    /// Such an id tells the creation time to whoever can see it, which the
    /// record's own timestamp already tells them; it still reveals no count.
    public static func make<Entity>(_ prefix: String, createdAt: Timestamp, as _: Entity.Type = Entity.self) -> ID<Entity> {
        var generator = SystemRandomNumberGenerator()
        let time = UInt64(max(0, min(createdAt.millis, 0xFFFF_FFFF_FFFF)))
        let random = generator.next() as UInt64
        // 12 digits of time, 4 from the top of one random word, 16 from another.
        let high = time << 16 | random >> 48
        return ID(prefix + "_" + hex(high) + hex(generator.next() as UInt64))
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
