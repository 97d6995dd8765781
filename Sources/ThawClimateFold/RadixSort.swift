extension Array where Element == LedgerScan.Record {
    /// Sorts the records by key, least significant byte first: one counting pass
    /// per byte of the key, skipping a byte every key shares (the upper bytes of
    /// organisation numbers, when there are a few thousand organisations). Stable.
    /// Millions of records a core sort several times faster this way than by
    /// comparisons (`sort` merges runs of the records, a compare per step).
    mutating func radixSortByKey() {
        let count = self.count
        guard count > 1 else { return }
        var histograms = [Int](repeating: 0, count: 8 * 256)
        for record in self {
            var key = record.key
            for byte in 0..<8 {
                histograms[byte << 8 | Int(key & 0xFF)] += 1
                key >>= 8
            }
        }
        // Left unwritten: each pass writes every place in it before anything reads it back (the records are plain words).
        var other = [LedgerScan.Record](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var sortedIntoOther = false
        for byte in 0..<8 where !histograms[byte << 8..<(byte + 1) << 8].contains(count) {
            var next = [Int](repeating: 0, count: 256), total = 0
            for bucket in 0..<256 {
                next[bucket] = total
                total += histograms[byte << 8 | bucket]
            }
            let shift = UInt64(byte * 8)
            func scatter(_ source: UnsafeBufferPointer<LedgerScan.Record>, _ target: UnsafeMutableBufferPointer<LedgerScan.Record>) {
                next.withUnsafeMutableBufferPointer { next in
                    for record in source {
                        let bucket = Int(record.key >> shift & 0xFF)
                        target[next[bucket]] = record
                        next[bucket] += 1
                    }
                }
            }
            if sortedIntoOther {
                other.withUnsafeBufferPointer { source in withUnsafeMutableBufferPointer { scatter(source, $0) } }
            } else {
                withUnsafeBufferPointer { source in other.withUnsafeMutableBufferPointer { scatter(source, $0) } }
            }
            sortedIntoOther.toggle()
        }
        if sortedIntoOther { swap(&self, &other) }
    }
}
