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
    private var kinds = ByteInterner(), channels = ByteInterner(), values = ByteInterner(), timings = ByteInterner()
    private var rules: [ClimateLedger.KindRule] = []
    /// By kind: the detail keys its rule reads (the value that decides its counts, the list of other parties).
    private var valueKeys: [DetailKey?] = [], partyKeys: [DetailKey?] = []
    private var channelValues: [Channel?] = []
    /// Lists of other parties (a committee's members, a meeting's organisations), numbered as met, each read once
    /// into this scan's numbers of the organisations.
    private var partyLists = ByteInterner()
    private var partyListMembers: [[Int32]] = []
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

    /// Reads one entry: a record for each pair it counts for (`ClimateLedger.contributions`).
    public mutating func add(_ entry: LedgerEntryBytes) {
        guard let actor = entry.actorOrganization.map({ organizations.index(of: $0) }),
            let kind = entry.kind.map({ kinds.index(of: $0) }),
            let channel = entry.channel.map({ channels.index(of: $0) }), let at = entry.at
        else { return }
        if Int(kind) == rules.count {
            let rule = ClimateLedger.KindRule(kinds.string(kind))
            rules.append(rule)
            valueKeys.append(rule.valueKey.map(DetailKey.init))
            partyKeys.append(rule.partiesKey.map(DetailKey.init))
        }
        if Int(channel) == channelValues.count { channelValues.append(Channel(rawValue: channels.string(channel))) }
        let rule = rules[Int(kind)]
        guard let channelValue = channelValues[Int(channel)], rule.countsOnSystemChannel || channelValue != .system else { return }
        let counterpart = entry.counterpartOrganization.map { organizations.index(of: $0) }
        let partyKey = partyKeys[Int(kind)]
        guard counterpart.map({ $0 != actor }) ?? false || partyKey != nil else { return }
        var (value, timing, list): (Int32, Int32, Int32) = (-1, -1, -1)
        if let detail = entry.detail {
            if let key = valueKeys[Int(kind)] { value = Self.value(of: key, in: detail, numberedIn: &values) }
            timing = Self.value(of: Self.timeliness, in: detail, numberedIn: &timings)
            if let partyKey { list = Self.value(of: partyKey, in: detail, numberedIn: &partyLists) }
        }
        let (month, day) = monthAndDay(at)
        let person = entry.actorUser.map { users.index(of: $0) } ?? -1
        /// One pair's record; `fromActor`: `a` is the entry's actor.
        func addPair(_ a: Int32, _ b: Int32, fromActor: Bool, to scan: inout LedgerScan) {
            // A pair is ordered by the ids' bytes, as the live path orders them (String order for Thaw's ASCII ids).
            let aIsLo = scan.organizations.precedes(a, b)
            let contribution = scan.contribution(
                kind: kind, channel: channel, channelValue: channelValue, actorIsLo: fromActor && aIsLo, fromActor: fromActor,
                value: value, timing: timing)
            guard scan.contributionAdds[contribution] else { return }
            let (lo, hi) = aIsLo ? (a, b) : (b, a)
            scan.records.append(
                Record(
                    key: Record.key(lo: lo, hi: hi, month: month, day: day),
                    payload: UInt64(contribution) << 32 | UInt64(UInt32((fromActor ? person : -1) + 1))))
        }
        if let counterpart, counterpart != actor { addPair(actor, counterpart, fromActor: true, to: &self) }
        guard list >= 0 else { return }
        let members = partyMembers(list)
        if rule.partiesMeet {
            for (i, a) in members.enumerated() {
                for b in members[(i + 1)...] {
                    if b == actor { addPair(b, a, fromActor: true, to: &self) } else { addPair(a, b, fromActor: a == actor, to: &self) }
                }
            }
        } else {
            for other in members where other != actor && other != counterpart { addPair(actor, other, fromActor: true, to: &self) }
        }
    }

    /// The organisations of party list `list`, each once, in order: read the first time the list is met.
    private mutating func partyMembers(_ list: Int32) -> [Int32] {
        while partyListMembers.count <= Int(list) {
            let names = ClimateLedger.Parties.names(partyLists.string(Int32(partyListMembers.count)))
            partyListMembers.append(
                names.map { name in
                    var name = name; return name.withUTF8 { organizations.index(of: UnsafeRawBufferPointer($0)) }
                })
        }
        return partyListMembers[Int(list)]
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
    private mutating func contribution(
        kind: Int32, channel: Int32, channelValue: Channel, actorIsLo: Bool, fromActor: Bool, value: Int32, timing: Int32
    ) -> Int {
        // Widths far beyond the handful of kinds, channels and detail values the ledger holds.
        precondition(kind < 1 << 20 && channel < 1 << 6 && value < 1 << 15 && timing < 1 << 15, "too many distinct ledger values")
        let key =
            UInt64(UInt32(kind)) << 40 | (fromActor ? 1 << 39 : 0) | UInt64(UInt32(channel)) << 33 | (actorIsLo ? 1 << 32 : 0)
            | UInt64(UInt32(value + 1)) << 16 | UInt64(UInt32(timing + 1))
        let (position, isNew) = contributions.position(of: key)
        if isNew {
            let counts = rules[Int(kind)].counts(
                channel: channelValue, actorIsLo: actorIsLo, fromActor: fromActor,
                value: value < 0 ? nil : values.string(value),
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
