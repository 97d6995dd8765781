import Foundation
import ThawCore

/// One range of the ledger, read for a climate rebuild: every entry that counts,
/// by the same rules as the live path (`ClimateLedger.KindRule`), kept as one
/// 16-byte record of its pair, month and day, what it adds and who made it. Each
/// entry is read in place (`LedgerEntryBytes`); ids are numbered as they are met.
///
/// Why records, not counters: adding each entry straight into its pair-month's
/// day counters and people waits on memory at a random place four or five times
/// per entry, among hundreds of megabytes; that was most of a rebuild's time at ten
/// million entries. Appending a record writes memory in order, and
/// `LedgerFold.build` then sorts the records into key order and sums each
/// pair-month's in one pass.
public struct LedgerScan: Sendable {
    /// An entry that counts. `key`: its pair (this scan's numbers of the two organisations, the lower id first), its
    /// month and its day (`Record.key(lo:hi:month:day:)`). `payload`: its contribution (in `contributionCounters`) in
    /// the high half, its person's number + 1 in the low half (0: no person).
    struct Record: Sendable {
        var key: UInt64, payload: UInt64

        /// Twenty-one bits for each organisation (two million), seventeen for the month (year * 12 + month - 1,
        /// to the year 10922), five for the day: keys sort by pair, then month, then day.
        static func key(lo: Int32, hi: Int32, month: Int32, day: Int) -> UInt64 {
            precondition(lo < 1 << 21 && hi < 1 << 21 && (0..<1 << 17).contains(month), "a climate key out of the rebuild's range")
            return UInt64(lo) << 43 | UInt64(hi) << 22 | UInt64(month) << 5 | UInt64(day)
        }
        var lo: Int32 { Int32(truncatingIfNeeded: key >> 43) }
        var hi: Int32 { Int32(truncatingIfNeeded: key >> 22 & (1 << 21 - 1)) }
        var month: Int32 { Int32(truncatingIfNeeded: key >> 5 & (1 << 17 - 1)) }
        var day: Int { Int(key & 31) }
        var contribution: Int { Int(payload >> 32) }
        /// The person's number, or -1.
        var person: Int32 { Int32(truncatingIfNeeded: payload & 0xFFFF_FFFF) - 1 }
    }

    private(set) var organizations = ByteInterner(), users = ByteInterner()
    private var kinds = ByteInterner(), channels = ByteInterner(), responses = ByteInterner(), timings = ByteInterner()
    private var rules: [ClimateLedger.KindRule] = []
    private var channelValues: [Channel?] = []
    /// What an entry adds, by its kind, channel, direction and detail values: worked out by the kind's rule once per
    /// combination met. Per combination: whether it adds anything, and its counters (`LedgerFold.counters` each,
    /// in `PairCounts.counterValues` order).
    private var contributions = IntegerTable()
    private var contributionAdds: [Bool] = []
    private(set) var contributionCounters: [UInt32] = []
    private(set) var records: [Record] = []
    /// The day of the last entry: when it starts (ms), its month number and its day of the month.
    private var lastDay: (start: Int64, month: Int32, day: Int) = (.max, 0, 0)

    /// Room for `entries` records at once: growing the array step by step copies it again and again.
    public init(expecting entries: Int = 0) { records.reserveCapacity(entries) }

    /// Reads one entry.
    public mutating func add(_ entry: LedgerEntryBytes) {
        guard let actor = entry.actorOrganization.map({ organizations.index(of: $0) }),
            let counterpart = entry.counterpartOrganization.map({ organizations.index(of: $0) }), counterpart != actor,
            let kind = entry.kind.map({ kinds.index(of: $0) }),
            let channel = entry.channel.map({ channels.index(of: $0) })
        else { return }
        if Int(kind) == rules.count { rules.append(ClimateLedger.KindRule(kinds.string(kind))) }
        if Int(channel) == channelValues.count { channelValues.append(Channel(rawValue: channels.string(channel))) }
        let rule = rules[Int(kind)]
        guard let channelValue = channelValues[Int(channel)], rule.isOverdue || channelValue != .system else { return }
        var (response, timing): (Int32, Int32) = (-1, -1)
        if let detail = entry.detail {
            response = rule.readsResponse ? Self.value(of: Self.response, in: detail, numberedIn: &responses) : -1
            timing = Self.value(of: Self.timeliness, in: detail, numberedIn: &timings)
        }
        // A pair is ordered by the ids' bytes, as the live path orders them (String order for Thaw's ASCII ids).
        let actorIsLo = organizations.precedes(actor, counterpart)
        let contribution = contribution(
            kind: kind, channel: channel, channelValue: channelValue, actorIsLo: actorIsLo, response: response, timing: timing)
        guard contributionAdds[contribution], let at = entry.at else { return }
        let (month, day) = monthAndDay(at)
        let person = entry.actorUser.map { users.index(of: $0) } ?? -1
        let (lo, hi) = actorIsLo ? (actor, counterpart) : (counterpart, actor)
        records.append(
            Record(
                key: Record.key(lo: lo, hi: hi, month: month, day: day),
                payload: UInt64(contribution) << 32 | UInt64(UInt32(person + 1))))
    }

    /// Hands over the records, leaving none: the caller's copy is then the only one.
    mutating func takeRecords() -> [Record] {
        defer { records = [] }
        return records
    }

    /// The month number (year * 12 + month - 1) and day of the month of a time in ms, worked out once per day met.
    private mutating func monthAndDay(_ at: Int64) -> (month: Int32, day: Int) {
        if at < lastDay.start || at - lastDay.start >= 86_400_000 {
            let date = CalendarDate(Timestamp(millis: at))
            lastDay = (date.startOfDay.millis, Int32(date.year * 12 + date.month - 1), date.day)
        }
        return (lastDay.month, lastDay.day)
    }

    /// The combination of an entry's kind, channel, direction and detail values,
    /// whose counters the kind's rule works out the first time it is met.
    private mutating func contribution(kind: Int32, channel: Int32, channelValue: Channel, actorIsLo: Bool, response: Int32, timing: Int32) -> Int {
        // Widths far beyond the handful of kinds, channels and detail values the ledger holds.
        precondition(kind < 1 << 20 && channel < 1 << 7 && response < 1 << 15 && timing < 1 << 15, "too many distinct ledger values")
        let key =
            UInt64(UInt32(kind)) << 40 | UInt64(UInt32(channel)) << 33 | (actorIsLo ? 1 << 32 : 0)
            | UInt64(UInt32(response + 1)) << 16 | UInt64(UInt32(timing + 1))
        let (position, isNew) = contributions.position(of: key)
        if isNew {
            let counts = rules[Int(kind)].counts(
                channel: channelValue, actorIsLo: actorIsLo,
                response: response < 0 ? nil : responses.string(response),
                timeliness: timing < 0 ? nil : timings.string(timing))
            contributionAdds.append(counts != nil)
            contributionCounters.append(contentsOf: (counts ?? PairCounts()).counterValues.map { UInt32($0) })
        }
        return position
    }
}

/// A ledger entry's columns as their bytes, valid only while the row they are read from is (nil: NULL).
public struct LedgerEntryBytes {
    /// When, in milliseconds since 1970.
    public var at: Int64?
    public var actorUser: UnsafeRawBufferPointer?
    public var actorOrganization: UnsafeRawBufferPointer?
    public var counterpartOrganization: UnsafeRawBufferPointer?
    public var kind: UnsafeRawBufferPointer?
    public var channel: UnsafeRawBufferPointer?
    /// The entry's detail, canonical JSON.
    public var detail: UnsafeRawBufferPointer?

    public init(
        at: Int64?, actorUser: UnsafeRawBufferPointer?, actorOrganization: UnsafeRawBufferPointer?,
        counterpartOrganization: UnsafeRawBufferPointer?, kind: UnsafeRawBufferPointer?, channel: UnsafeRawBufferPointer?,
        detail: UnsafeRawBufferPointer?
    ) {
        self.at = at; self.actorUser = actorUser; self.actorOrganization = actorOrganization
        self.counterpartOrganization = counterpartOrganization; self.kind = kind; self.channel = channel; self.detail = detail
    }
}
