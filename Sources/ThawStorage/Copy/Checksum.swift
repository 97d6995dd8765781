import Crypto

extension DatabaseCopy {
    /// A table's rows, counted and summed in a way that does not depend on the order a database
    /// returns them in: each row's values are hashed (SHA-256, each value with its type and
    /// length), and the first 128 bits of the hashes are added up. Two tables with the same rows
    /// have the same sum; a changed, lost or extra row changes it.
    enum Checksum {
        static func of(_ table: String, columns: [String], in database: any SQLDatabase) async throws -> (rows: Int, checksum: String) {
            let list = columns.joined(separator: ", ")
            var sum = Sum()
            switch database.dialect {
            case .sqlite:
                // By rowid, a few thousand rows at a time.
                var after: Int64 = .min
                while true {
                    let from = after
                    let batch = try await database.read { db in
                        try await db.query(
                            "SELECT rowid AS copy_rowid, \(list) FROM \(table) WHERE rowid > ? ORDER BY rowid \(SQLText.limit)",
                            [.int(from), .int(5_000)])
                    }
                    guard let last = batch.last else { break }
                    after = last.int64("copy_rowid")
                    for row in batch { sum.add(Array(row.values.dropFirst())) }
                }
            case .postgres:
                // Through a cursor, a few thousand rows at a time.
                sum = try await database.write { db in
                    var sum = Sum()
                    try await db.execute("DECLARE thaw_checksum NO SCROLL CURSOR FOR SELECT \(list) FROM \(table)", [])
                    while case let batch = try await db.query("FETCH 5000 FROM thaw_checksum", []), !batch.isEmpty {
                        for row in batch { sum.add(row.values) }
                    }
                    try await db.execute("CLOSE thaw_checksum", [])
                    return sum
                }
            }
            return (sum.rows, hex(sum.high) + hex(sum.low))
        }

        struct Sum: Sendable {
            var high: UInt64 = 0, low: UInt64 = 0, rows = 0

            mutating func add(_ values: [SQLValue]) {
                let digest = Array(SHA256.hash(data: encoded(values)))
                high = high &+ word(digest, 0)
                low = low &+ word(digest, 8)
                rows += 1
            }
        }

        static func encoded(_ values: [SQLValue]) -> [UInt8] {
            var bytes: [UInt8] = []
            for value in values {
                switch value {
                case .null: bytes.append(0x6E)
                case .int(let i):
                    bytes.append(0x69)
                    withUnsafeBytes(of: i.littleEndian) { bytes.append(contentsOf: $0) }
                case .double(let d):
                    bytes.append(0x64)
                    withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .text(let s):
                    bytes.append(0x74)
                    withUnsafeBytes(of: UInt64(s.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
                    bytes.append(contentsOf: s.utf8)
                }
            }
            return bytes
        }

        private static func word(_ bytes: [UInt8], _ start: Int) -> UInt64 {
            bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }

        private static func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
    }
}
