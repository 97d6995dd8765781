import Foundation
import ThawCore

/// The climate rebuild's pass over the ledger: every entry folded into its
/// pair's month in memory, by the same rules as the live path
/// (`ClimateLedger.KindRule`), reading each row in place. Ids are numbered as
/// they are met and named again only when the months are written.
///
/// Flat, for speed: a pair-month is a slot number (an `IntegerTable` of keys);
/// each of its days a row of counters, each of its people a day mask, in arrays
/// shared by all slots; `encode(_:names:into:)` writes one as the stored values
/// the live path's `PairMonthOf` gives.
struct LedgerFold {
    /// The columns `add` reads, in this order.
    static let columns = "seq, at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail"

    struct Key {
        var lo: Int32, hi: Int32, month: Int32   // month: year * 12 + month - 1
    }

    private(set) var organizations = ByteInterner(), users = ByteInterner()
    private var kinds = ByteInterner(), channels = ByteInterner(), responses = ByteInterner(), timings = ByteInterner()
    private var rules: [ClimateLedger.KindRule] = []
    private var channelValues: [Channel?] = []
    /// What an entry adds (`counters` values, or none), by its kind, channel,
    /// direction and detail values: worked out by the kind's rule once per combination.
    private var contributions = IntegerTable()
    /// Per combination: whether it adds anything, and its counters (`counters` each).
    private var contributionAdds: [Bool] = []
    private var contributionCounters: [UInt32] = []

    private(set) var slots = IntegerTable()
    private(set) var keys: [Key] = []
    /// Per slot, 31 positions in `dayCounters` (over `counters`), one per day of the month, -1 for a day without entries.
    /// Blocks, counters and people are appended as first met, so the months of the weeks being read lie close together;
    /// `layOutBySlot` then puts each month's together for the passes that read months whole.
    private(set) var slotDays: [Int32] = []
    /// Per day with entries, its counters in `PairCounts.counterValues` order.
    private(set) var dayCounters: [UInt32] = []
    /// Per slot, its first person in the lists below (-1: none); per person of a slot, their number, the days
    /// they took part (bit d-1 for day d) and the slot's next person. A pair-month has a handful of people.
    private(set) var firstPerson: [Int32] = []
    private(set) var personIds: [Int32] = [], personDays: [UInt32] = [], nextPerson: [Int32] = []

    /// Per (actor, counterpart) pair met, numbered by `pairs`: whether the actor's id is the lower, and the
    /// month and slot of the pair's last entry.
    private var pairs = IntegerTable()
    private var pairActorIsLo: [Bool] = [], pairMonth: [Int32] = [], pairSlot: [Int32] = []
    /// The day of the last entry: when it starts (ms), its month number and its day of the month.
    private var lastDay: (start: Int64, month: Int32, day: Int) = (.max, 0, 0)

    static let counters = PairCounts.counterCount

    /// How many pair-months the fold holds.
    var count: Int { keys.count }

    /// Folds one row of `columns`.
    mutating func add(_ row: any SQLScanRow) {
        guard let actor = row.withText(3, { $0.map { organizations.index(of: $0) } }),
              let counterpart = row.withText(4, { $0.map { organizations.index(of: $0) } }), counterpart != actor,
              let kind = row.withText(5, { $0.map { kinds.index(of: $0) } }),
              let channel = row.withText(6, { $0.map { channels.index(of: $0) } }) else { return }
        if Int(kind) == rules.count { rules.append(ClimateLedger.KindRule(kinds.string(kind))) }
        if Int(channel) == channelValues.count { channelValues.append(Channel(rawValue: channels.string(channel))) }
        let rule = rules[Int(kind)]
        guard let channelValue = channelValues[Int(channel)], rule.isOverdue || channelValue != .system else { return }
        let (response, timing) = row.withText(7) { detail -> (Int32, Int32) in
            guard let detail else { return (-1, -1) }
            return (rule.readsResponse ? Self.value(of: Self.response, in: detail, numberedIn: &responses) : -1,
                    Self.value(of: Self.timeliness, in: detail, numberedIn: &timings))
        }
        let pair = pair(actor: actor, counterpart: counterpart)
        let contribution = contribution(kind: kind, channel: channel, actorIsLo: pairActorIsLo[pair], response: response, timing: timing)
        guard contributionAdds[contribution], let at = row.int64(1) else { return }
        let (month, day) = monthAndDay(at)
        // Entries come in time order, so a pair's entry is mostly in the month of its last one: one lookup in a small
        // table (the pairs) instead of one in the large one (every pair-month) at a random place.
        let slot: Int
        if pairMonth[pair] == month {
            slot = Int(pairSlot[pair])
        } else {
            let (lo, hi) = pairActorIsLo[pair] ? (actor, counterpart) : (counterpart, actor)
            slot = self.slot(Key(lo: lo, hi: hi, month: month))
            pairMonth[pair] = month; pairSlot[pair] = Int32(slot)
        }
        let target = dayPosition(slot: slot, day: day) * Self.counters, source = contribution * Self.counters
        for counter in 0..<Self.counters { dayCounters[target + counter] &+= contributionCounters[source + counter] }
        if let person = row.withText(2, { $0.map { users.index(of: $0) } }) {
            addDays(1 << UInt32(day - 1), slot: slot, person: person)
        }
    }

    /// Adds what another fold (of other entries) holds, naming its ids in this one's numbering.
    mutating func merge(_ other: LedgerFold) {
        let orgs = (0..<Int32(other.organizations.count)).map { index in other.organizations.withBytes(index) { organizations.index(of: $0) } }
        let persons = (0..<Int32(other.users.count)).map { index in other.users.withBytes(index) { users.index(of: $0) } }
        // Both folds order a pair by the ids' bytes, so lo and hi stay as they are.
        // Room for all of the other's months, days and people at once: growing these arrays step by step
        // while merging copied them again and again (hundreds of MB at ten million entries).
        keys.reserveCapacity(keys.count + other.keys.count)
        slotDays.reserveCapacity(slotDays.count + other.slotDays.count)
        firstPerson.reserveCapacity(firstPerson.count + other.firstPerson.count)
        dayCounters.reserveCapacity(dayCounters.count + other.dayCounters.count)
        personIds.reserveCapacity(personIds.count + other.personIds.count)
        personDays.reserveCapacity(personDays.count + other.personDays.count)
        nextPerson.reserveCapacity(nextPerson.count + other.nextPerson.count)
        let slotOf = other.keys.map { slot(Key(lo: orgs[Int($0.lo)], hi: orgs[Int($0.hi)], month: $0.month)) }
        for (otherSlot, slot) in slotOf.enumerated() {
            for day in 1...31 {
                let position = Int(other.slotDays[otherSlot * 31 + day - 1])
                guard position >= 0 else { continue }
                let source = position * Self.counters, target = dayPosition(slot: slot, day: day) * Self.counters
                for counter in 0..<Self.counters { dayCounters[target + counter] &+= other.dayCounters[source + counter] }
            }
            var person = other.firstPerson[otherSlot]
            while person >= 0 {
                addDays(other.personDays[Int(person)], slot: slot, person: persons[Int(other.personIds[Int(person)])])
                person = other.nextPerson[Int(person)]
            }
        }
    }

    /// Lays each pair-month's days, then its people, side by side in slot order. They were
    /// appended as entries arrived, a month's days among every other pair's of the same
    /// weeks; reading a month whole (to merge or encode it) then touched a cache line per
    /// day. One pass of scattered reads here, where the reads are independent of each
    /// other, makes the later passes read in order.
    mutating func layOutBySlot() {
        var counters = [UInt32](), ids = [Int32](), days = [UInt32](), next = [Int32]()
        counters.reserveCapacity(dayCounters.count)
        ids.reserveCapacity(personIds.count); days.reserveCapacity(personDays.count); next.reserveCapacity(nextPerson.count)
        for index in slotDays.indices where slotDays[index] >= 0 {
            let start = Int(slotDays[index]) * Self.counters
            slotDays[index] = Int32(counters.count / Self.counters)
            counters.append(contentsOf: dayCounters[start..<start + Self.counters])
        }
        for slot in firstPerson.indices {
            var person = firstPerson[slot]
            guard person >= 0 else { continue }
            firstPerson[slot] = Int32(ids.count)
            while person >= 0 {
                ids.append(personIds[Int(person)]); days.append(personDays[Int(person)]); next.append(Int32(ids.count))
                person = nextPerson[Int(person)]
            }
            next[next.count - 1] = -1
        }
        dayCounters = counters; personIds = ids; personDays = days; nextPerson = next
    }

    // MARK: - The tables

    /// A key as one number: twenty-one bits each for the pair (two million organisations), twenty-two for the month.
    static func packed(_ key: Key) -> UInt64 {
        precondition(key.lo < 1 << 21 && key.hi < 1 << 21 && (0..<1 << 22).contains(key.month), "a climate key out of the fold's range")
        return UInt64(key.lo) << 43 | UInt64(key.hi) << 22 | UInt64(key.month)
    }

    private mutating func slot(_ key: Key) -> Int {
        let (slot, isNew) = slots.position(of: Self.packed(key))
        if isNew {
            keys.append(key)
            slotDays.append(contentsOf: repeatElement(-1, count: 31))
            firstPerson.append(-1)
        }
        return slot
    }

    /// The number of an (actor, counterpart) pair of organisations as met, in that direction.
    private mutating func pair(actor: Int32, counterpart: Int32) -> Int {
        let (pair, isNew) = pairs.position(of: UInt64(UInt32(actor)) << 32 | UInt64(UInt32(counterpart)))
        if isNew {
            pairActorIsLo.append(organizations.precedes(actor, counterpart))
            pairMonth.append(-1); pairSlot.append(-1)
        }
        return pair
    }

    /// The month number (year * 12 + month - 1) and day of the month of a time in ms, worked out once per day met.
    private mutating func monthAndDay(_ at: Int64) -> (month: Int32, day: Int) {
        if at < lastDay.start || at - lastDay.start >= 86_400_000 {
            let date = CalendarDate(Timestamp(millis: at))
            lastDay = (date.startOfDay.millis, Int32(date.year * 12 + date.month - 1), date.day)
        }
        return (lastDay.month, lastDay.day)
    }

    /// The position in `dayCounters` (over `counters`) of a slot's day, zeroed if new.
    private mutating func dayPosition(slot: Int, day: Int) -> Int {
        let index = slot * 31 + day - 1
        if slotDays[index] < 0 {
            slotDays[index] = Int32(dayCounters.count / Self.counters)
            dayCounters.append(contentsOf: repeatElement(0, count: Self.counters))
        }
        return Int(slotDays[index])
    }

    private mutating func addDays(_ mask: UInt32, slot: Int, person: Int32) {
        var index = firstPerson[slot]
        while index >= 0, personIds[Int(index)] != person { index = nextPerson[Int(index)] }
        if index < 0 {
            index = Int32(personIds.count)
            personIds.append(person); personDays.append(0); nextPerson.append(firstPerson[slot])
            firstPerson[slot] = index
        }
        personDays[Int(index)] |= mask
    }

    /// The combination of an entry's kind, channel, direction and detail values,
    /// whose counters the kind's rule works out the first time it is met.
    private mutating func contribution(kind: Int32, channel: Int32, actorIsLo: Bool, response: Int32, timing: Int32) -> Int {
        // Widths far beyond the handful of kinds, channels and detail values the ledger holds.
        precondition(kind < 1 << 20 && channel < 1 << 7 && response < 1 << 15 && timing < 1 << 15, "too many distinct ledger values")
        let key = UInt64(UInt32(kind)) << 40 | UInt64(UInt32(channel)) << 33 | (actorIsLo ? 1 << 32 : 0)
            | UInt64(UInt32(response + 1)) << 16 | UInt64(UInt32(timing + 1))
        let (position, isNew) = contributions.position(of: key)
        if isNew {
            let counts = rules[Int(kind)].counts(channel: channelValues[Int(channel)]!, actorIsLo: actorIsLo,
                                                 response: response < 0 ? nil : responses.string(response),
                                                 timeliness: timing < 0 ? nil : timings.string(timing))
            contributionAdds.append(counts != nil)
            contributionCounters.append(contentsOf: (counts ?? PairCounts()).counterValues.map { UInt32($0) })
        }
        return position
    }
}
