extension KeyedEncodingContainer {
    /// A set written as an array in its values' order. A `Set`'s own order changes from one
    /// process to the next (Swift seeds its hashing per process), so without this the same
    /// record would read differently from two server processes, or before and after a restart.
    public mutating func encodeSorted<T: RawRepresentable & Encodable>(_ set: Set<T>, forKey key: Key) throws where T.RawValue: Comparable {
        try encode(set.sorted { $0.rawValue < $1.rawValue }, forKey: key)
    }

    public mutating func encodeSortedIfPresent<T: RawRepresentable & Encodable>(_ set: Set<T>?, forKey key: Key) throws
    where T.RawValue: Comparable {
        if let set { try encodeSorted(set, forKey: key) }
    }
}
