import Foundation

/// Numbers distinct byte strings 0, 1, 2, ... as they are first seen, looking
/// them up without making a String: the climate rebuild meets the same few
/// thousand organisation and user ids tens of millions of times.
struct ByteInterner {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing. Each slot holds what a lookup needs to decide without going
    /// elsewhere but to the bytes: the hash, where the bytes are and their number
    /// (-1: empty). A lookup then waits on memory twice (the slot, the bytes), not
    /// four times, which mattered at three ids an entry.
    private struct Slot { var hash: UInt64; var start: Int32; var length: Int32; var index: Int32 }
    private static let empty = Slot(hash: 0, start: 0, length: 0, index: -1)
    private var slots = [Slot](repeating: ByteInterner.empty, count: 1024)

    var count: Int { starts.count - 1 }

    mutating func index(of key: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(key)
        let (found, slot) = probe(key, hash: hash)
        if let found { return found }
        precondition(bytes.count + key.count < Int32.max, "more id bytes than a rebuild can hold")
        let index = Int32(count)
        slots[slot] = Slot(hash: hash, start: Int32(bytes.count), length: Int32(key.count), index: index)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        if count * 2 > slots.count { grow() }
        return index
    }

    /// The number of `key` if it has been seen, without numbering it otherwise.
    func existingIndex(of key: UnsafeRawBufferPointer) -> Int32? {
        probe(key, hash: Self.hash(key)).found
    }

    /// Where `key` is, or the empty slot where it would go.
    private func probe(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (found: Int32?, slot: Int) {
        slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBytes { stored in
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry.index < 0 { return (nil, slot) }
                    if entry.hash == hash, Int(entry.length) == key.count,
                        Self.same(UnsafeRawBufferPointer(rebasing: stored[Int(entry.start)..<Int(entry.start) + key.count]), key)
                    {
                        return (entry.index, slot)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    func withBytes<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[starts[Int(index)]..<starts[Int(index) + 1]])) }
    }

    func string(_ index: Int32) -> String {
        String(decoding: bytes[starts[Int(index)]..<starts[Int(index) + 1]], as: UTF8.self)
    }

    /// Byte order, which is String order for the ASCII ids Thaw makes.
    func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let (startA, countA) = (starts[Int(a)], starts[Int(a) + 1] - starts[Int(a)])
        let (startB, countB) = (starts[Int(b)], starts[Int(b) + 1] - starts[Int(b)])
        let shared = min(countA, countB)
        let order = shared == 0 ? 0 : bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + startA, $0.baseAddress! + startB, shared) }
        return order != 0 ? order < 0 : countA < countB
    }

    /// Eight bytes at a time, inline (a call to `memcmp` for each of the tens of millions of 36-byte ids a rebuild
    /// meets cost more than the comparing): whether two byte strings of the same length are equal.
    static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count >= 8 else { return count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0 }
        var offset = 0
        while offset + 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset += 8
        }
        // The last few bytes, as the last eight (overlapping ones already compared).
        return offset == count
            || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Self.empty, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.index >= 0 {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot].index >= 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// Eight bytes at a time, each word multiplied in (not cryptographic: the keys are our own ids); the last few
    /// bytes of a key of eight or more as its last eight.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        var offset = 0
        while offset + 8 <= key.count {
            mix(key.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < key.count, key.count >= 8 {
            mix(key.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self))
        } else {
            while offset < key.count {
                h = (h ^ UInt64(key[offset])) &* 0xC4CE_B9FE_1A85_EC53
                offset += 1
            }
        }
        return h ^ (h >> 29)
    }
}
