/// Numbers distinct 64-bit keys 0, 1, 2, ... in the order they are first added:
/// the climate scan's combinations of what an entry adds, looked up once per
/// ledger entry, tens of millions of times. Open addressing over
/// one array of key and number side by side, so a lookup touches one cache line
/// and needs neither `Hasher` nor a generic dictionary.
struct IntegerTable: Sendable {
    private struct Entry { var key: UInt64; var position: Int32 }
    private var entries: [Entry]
    private var bits: Int
    /// The keys, in the order they were added: key `keys[n]` is number n.
    private(set) var keys: [UInt64] = []

    init() {
        bits = 10
        entries = Array(repeating: Entry(key: 0, position: -1), count: 1 << bits)
    }

    var count: Int { keys.count }

    /// The number of `key`, given the next one if it is new.
    mutating func position(of key: UInt64) -> (position: Int, isNew: Bool) {
        let (found, index) = probe(key)
        if let found { return (found, false) }
        let position = keys.count
        entries[index] = Entry(key: key, position: Int32(position))
        keys.append(key)
        if keys.count * 2 > entries.count { grow() }
        return (position, true)
    }

    /// The number of `key`, if it has been added.
    func existingPosition(of key: UInt64) -> Int? { probe(key).found }

    /// Where `key` is, or the empty entry where it would go.
    private func probe(_ key: UInt64) -> (found: Int?, index: Int) {
        var index = home(key)
        let mask = entries.count - 1
        while true {
            let entry = entries[index]
            if entry.position < 0 { return (nil, index) }
            if entry.key == key { return (Int(entry.position), index) }
            index = (index + 1) & mask
        }
    }

    /// Fibonacci hashing: the top bits of the key times 2^64 / φ.
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    private mutating func grow() {
        bits += 1
        entries = Array(repeating: Entry(key: 0, position: -1), count: 1 << bits)
        let mask = entries.count - 1
        for (position, key) in keys.enumerated() {
            var index = home(key)
            while entries[index].position >= 0 { index = (index + 1) & mask }
            entries[index] = Entry(key: key, position: Int32(position))
        }
    }
}
