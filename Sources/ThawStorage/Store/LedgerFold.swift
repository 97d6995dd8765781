import Foundation
import ThawCore

/// The climate rebuild's pass over the ledger: every entry folded into its
/// pair's month in memory, by the same rules as the live path
/// (`ClimateLedger.KindRule`), reading each row in place. Ids are numbered as
/// they are met and named again only when the months are written.
///
/// Flat, for speed: a pair-month is a slot number (an `IntegerTable` of keys);
/// each of its days a row of counters, each of its people a day mask, in arrays
/// shared by all slots; `month(_:)` gives one back as the live path's
/// `PairMonthOf`, so both store the same text.
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
    /// Blocks, counters and people are appended as first met, so the months of the weeks being read lie close together.
    private var slotDays: [Int32] = []
    /// Per day with entries, its counters in `PairCounts.counterValues` order.
    private var dayCounters: [UInt32] = []
    /// Per slot, its first person in the lists below (-1: none); per person of a slot, their number, the days
    /// they took part (bit d-1 for day d) and the slot's next person. A pair-month has a handful of people.
    private var firstPerson: [Int32] = []
    private var personIds: [Int32] = [], personDays: [UInt32] = [], nextPerson: [Int32] = []

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
        let actorIsLo = organizations.precedes(actor, counterpart)
        let contribution = contribution(kind: kind, channel: channel, actorIsLo: actorIsLo, response: response, timing: timing)
        guard contributionAdds[contribution], let at = row.int64(1) else { return }
        let day = CalendarDate(Timestamp(millis: at))
        let slot = slot(Key(lo: actorIsLo ? actor : counterpart, hi: actorIsLo ? counterpart : actor, month: Int32(day.year * 12 + day.month - 1)))
        let target = dayPosition(slot: slot, day: day.day) * Self.counters, source = contribution * Self.counters
        for counter in 0..<Self.counters { dayCounters[target + counter] &+= contributionCounters[source + counter] }
        if let person = row.withText(2, { $0.map { users.index(of: $0) } }) {
            addDays(1 << UInt32(day.day - 1), slot: slot, person: person)
        }
    }

    /// Adds what another fold (of other entries) holds, naming its ids in this one's numbering.
    mutating func merge(_ other: LedgerFold) {
        let orgs = (0..<Int32(other.organizations.count)).map { index in other.organizations.withBytes(index) { organizations.index(of: $0) } }
        let persons = (0..<Int32(other.users.count)).map { index in other.users.withBytes(index) { users.index(of: $0) } }
        // Both folds order a pair by the ids' bytes, so lo and hi stay as they are.
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

    /// The pair-month in `slot`, as the live path holds it.
    func month(_ slot: Int) -> PairMonthOf<Int32> {
        var month = PairMonthOf<Int32>()
        for day in 1...31 {
            let position = Int(slotDays[slot * 31 + day - 1])
            guard position >= 0 else { continue }
            month.add(day: day, counts: PairCounts { Int(dayCounters[position * Self.counters + $0]) }, person: nil)
        }
        var person = firstPerson[slot]
        while person >= 0 {
            month.add(person: personIds[Int(person)], days: personDays[Int(person)])
            person = nextPerson[Int(person)]
        }
        return month
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
