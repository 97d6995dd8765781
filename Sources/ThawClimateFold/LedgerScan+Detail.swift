import Foundation
import ThawCore

/// Reading a value out of a ledger entry's detail in place.
extension LedgerScan {
    struct DetailKey {
        let name: String
        /// `"name":"`, the bytes that open the key's value.
        let pattern: [UInt8]
        init(_ name: String) { self.name = name; pattern = Array(("\"" + name + "\":\"").utf8) }
    }
    static let timeliness = DetailKey(ResponseTiming.detailKey)

    /// The number in `values` of the string value of `key` in a ledger detail, or
    /// -1 without one. Details are canonical JSON (sorted keys, no spaces), where
    /// `"key":"` can only open that key's value; a value with an escape is decoded
    /// properly instead.
    static func value(of key: DetailKey, in detail: UnsafeRawBufferPointer, numberedIn values: inout ByteInterner) -> Int32 {
        guard let opening = find(key.pattern, in: detail) else { return -1 }
        let start = opening + key.pattern.count
        var end = start
        while end < detail.count, detail[end] != UInt8(ascii: "\"") {
            if detail[end] == UInt8(ascii: "\\") {
                let object = try? JSONSerialization.jsonObject(with: Data(detail)) as? [String: Any]
                guard var decoded = object?[key.name] as? String else { return -1 }
                return decoded.withUTF8 { values.index(of: UnsafeRawBufferPointer($0)) }
            }
            end += 1
        }
        return values.index(of: UnsafeRawBufferPointer(rebasing: detail[start..<end]))
    }

    /// Where `pattern` (which starts with a quote) first occurs in `bytes`: each quote
    /// found by `memchr`, the rest compared by `memcmp`.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, bytes.count >= pattern.count else { return nil }
        return pattern.withUnsafeBytes { needle in
            var from = 0
            while from + needle.count <= bytes.count, let quote = memchr(base + from, Int32(needle[0]), bytes.count - needle.count + 1 - from) {
                let at = base.distance(to: UnsafeRawPointer(quote))
                if memcmp(base + at, needle.baseAddress!, needle.count) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }
}
