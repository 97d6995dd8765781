import ThawCore

/// The climate rebuild's pass over the ledger: every entry folded into its
/// pair's month in memory, by the same rules as the live path
/// (`ClimateLedger.KindRule`), reading each row in place. Ids are numbered as
/// they are met and named again only when the months are written.
struct LedgerFold {
    /// The columns `add` reads, in this order.
    static let columns = "seq, at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail"

    struct Key: Hashable {
        var lo: Int32, hi: Int32, month: Int32   // month: year * 12 + month - 1
    }

    private var organizations = ByteInterner(), users = ByteInterner(), kinds = ByteInterner(), channels = ByteInterner()
    private var rules: [ClimateLedger.KindRule] = []
    private var channelValues: [Channel?] = []
    private var slots: [Key: Int] = [:]
    private var keys: [Key] = []
    private var months: [PairMonthOf<Int32>] = []

    /// How many pair-months the fold holds.
    var count: Int { keys.count }

    /// Folds one row of `columns`.
    mutating func add(_ row: any SQLScanRow) {
        guard let actor = row.withText(3, { $0.map { organizations.index(of: $0) } }),
              let counterpart = row.withText(4, { $0.map { organizations.index(of: $0) } }), counterpart != actor,
              let kind = row.withText(5, { $0.map { kinds.index(of: $0) } }),
              let channelIndex = row.withText(6, { $0.map { channels.index(of: $0) } }) else { return }
        if Int(kind) == rules.count { rules.append(ClimateLedger.KindRule(kinds.string(kind))) }
        if Int(channelIndex) == channelValues.count { channelValues.append(Channel(rawValue: channels.string(channelIndex))) }
        let rule = rules[Int(kind)]
        guard let channel = channelValues[Int(channelIndex)], rule.isOverdue || channel != .system else { return }
        let (response, timeliness) = row.withText(7) { detail -> (String?, String?) in
            guard let detail else { return (nil, nil) }
            return (rule.readsResponse ? Self.value(of: Self.response, in: detail) : nil, Self.value(of: Self.timeliness, in: detail))
        }
        let actorIsLo = organizations.precedes(actor, counterpart)
        guard let counts = rule.counts(channel: channel, actorIsLo: actorIsLo, response: response, timeliness: timeliness),
              let at = row.int64(1) else { return }
        let day = CalendarDate(Timestamp(millis: at))
        let key = Key(lo: actorIsLo ? actor : counterpart, hi: actorIsLo ? counterpart : actor, month: Int32(day.year * 12 + day.month - 1))
        let person = row.withText(2) { $0.map { users.index(of: $0) } }
        if let slot = slots[key] {
            months[slot].add(day: day.day, counts: counts, person: person)
        } else {
            slots[key] = months.count
            keys.append(key)
            var month = PairMonthOf<Int32>()
            month.add(day: day.day, counts: counts, person: person)
            months.append(month)
        }
    }

    /// Adds what another fold (of other entries) holds, naming its ids in this one's numbering.
    mutating func merge(_ other: LedgerFold) {
        let orgs = (0..<Int32(other.organizations.count)).map { index in other.organizations.withBytes(index) { organizations.index(of: $0) } }
        let people = (0..<Int32(other.users.count)).map { index in other.users.withBytes(index) { users.index(of: $0) } }
        for (slot, key) in other.keys.enumerated() {
            // Both folds order a pair by the ids' bytes, so lo and hi stay as they are.
            let mapped = Key(lo: orgs[Int(key.lo)], hi: orgs[Int(key.hi)], month: key.month)
            let month = other.months[slot].mapPeople { people[Int($0)] }
            if let mine = slots[mapped] {
                months[mine].merge(month)
            } else {
                slots[mapped] = months.count
                keys.append(mapped)
                months.append(month)
            }
        }
    }

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
        slots.map { slot in
            key(slot, names: names).binds + values(slot, names: names)
        }
    }

    /// The stored key of the month in `slot`.
    func key(_ slot: Int, names: Names) -> ClimateMonthRows.Key {
        let key = keys[slot]
        return ClimateMonthRows.Key(lo: names.organizations[Int(key.lo)], hi: names.organizations[Int(key.hi)], month: Self.date(key.month))
    }

    /// The stored values (`ClimateMonthRows.values`) of the month in `slot`.
    func values(_ slot: Int, names: Names) -> [SQLValue] {
        ClimateMonthRows.values(months[slot], of: Self.date(keys[slot].month)) { names.users[Int($0)] }
    }

    /// The slot of a stored row's pair and month (its key columns as stored), if the fold has it.
    func slot(lo: UnsafeRawBufferPointer, hi: UnsafeRawBufferPointer, month: UnsafeRawBufferPointer) -> Int? {
        // The stored month is the first day of the month, YYYY-MM-01.
        guard month.count == 10, let year = Self.digits(month, 0..<4), let number = Self.digits(month, 5..<7),
              let lo = organizations.existingIndex(of: lo), let hi = organizations.existingIndex(of: hi) else { return nil }
        return slots[Key(lo: lo, hi: hi, month: Int32(year * 12 + number - 1))]
    }

    private static func digits(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            guard (48...57).contains(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 48)
        }
        return value
    }

    private static func date(_ month: Int32) -> CalendarDate {
        CalendarDate(year: Int(month) / 12, month: Int(month) % 12 + 1, day: 1)!
    }

    /// The ids behind the fold's numbers.
    struct Names: Sendable { let organizations: [String], users: [String] }
    var names: Names {
        Names(organizations: (0..<Int32(organizations.count)).map { organizations.string($0) },
              users: (0..<Int32(users.count)).map { users.string($0) })
    }

    /// The string value of `key` in a ledger detail, read in place. Details are
    /// canonical JSON (`JSONText.encode`), where `"key":"` can only open that key's
    /// value; a value with an escape is decoded properly instead.
    static func value(of key: DetailKey, in detail: UnsafeRawBufferPointer) -> String? {
        let pattern = key.pattern
        guard detail.count > pattern.count else { return nil }
        var start = 0
        search: while start + pattern.count <= detail.count {
            for offset in 0..<pattern.count where detail[start + offset] != pattern[offset] {
                start += 1
                continue search
            }
            var end = start + pattern.count
            while end < detail.count, detail[end] != UInt8(ascii: "\"") {
                if detail[end] == UInt8(ascii: "\\") {
                    return JSONText.decode(String(decoding: detail, as: UTF8.self))[key.name]
                }
                end += 1
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: detail[(start + pattern.count)..<end]), as: UTF8.self)
        }
        return nil
    }

    struct DetailKey {
        let name: String
        /// `"name":"`, the bytes that open the key's value.
        let pattern: [UInt8]
        init(_ name: String) { self.name = name; pattern = Array(("\"" + name + "\":\"").utf8) }
    }
    static let response = DetailKey("response"), timeliness = DetailKey(ResponseTiming.detailKey)
}
