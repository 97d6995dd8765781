import Foundation
import ThawCore
import CThawZlib

/// Reads entries of a zip that came from outside (a researcher's `.qdpx`) with every offset and
/// size checked against the bytes received, and inflates with zlib under a limit counted as it
/// goes. Stored and deflated entries only, no ZIP64: what the QDA tools write. Anything else is
/// a clear refusal, never a crash or a hang.
struct ZipReader {
    struct Entry {
        var path: String
        var method: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeader: Int
    }

    let bytes: [UInt8]
    let entries: [Entry]

    static func refuse(_ why: String) -> ThawError { ThawError.invalid("file", "qdpx", "the file is not a .qdpx (zip) archive: \(why)") }

    init(_ data: Data) throws {
        bytes = [UInt8](data)
        entries = try Self.centralDirectory(bytes)
    }

    static func u16(_ b: [UInt8], _ at: Int) throws -> Int {
        guard at >= 0, at + 2 <= b.count else { throw refuse("it ends early") }
        return Int(b[at]) | Int(b[at + 1]) << 8
    }
    static func u32(_ b: [UInt8], _ at: Int) throws -> Int {
        guard at >= 0, at + 4 <= b.count else { throw refuse("it ends early") }
        return Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
    }

    /// The entries the central directory lists, found from its end record.
    static func centralDirectory(_ b: [UInt8]) throws -> [Entry] {
        guard b.count >= 22 else { throw refuse("it is too short") }
        var end = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while end >= lowest, try u32(b, end) != 0x0605_4b50 { end -= 1 }
        guard end >= lowest else { throw refuse("it has no end of central directory") }
        let count = try u16(b, end + 10), size = try u32(b, end + 12), offset = try u32(b, end + 16)
        guard count < 0xFFFF, size < 0xFFFF_FFFF, offset < 0xFFFF_FFFF, offset + size <= end else { throw refuse("its directory is out of bounds") }
        var entries: [Entry] = [], at = offset
        for _ in 0..<count {
            guard try u32(b, at) == 0x0201_4b50 else { throw refuse("its directory is damaged") }
            let nameLength = try u16(b, at + 28), extra = try u16(b, at + 30), comment = try u16(b, at + 32)
            guard at + 46 + nameLength <= b.count else { throw refuse("its directory is damaged") }
            let entry = Entry(
                path: String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self), method: UInt16(try u16(b, at + 10)),
                compressedSize: try u32(b, at + 20), uncompressedSize: try u32(b, at + 24), localHeader: try u32(b, at + 42))
            guard entry.compressedSize < 0xFFFF_FFFF, entry.localHeader < 0xFFFF_FFFF else { throw refuse("ZIP64 archives are not read") }
            entries.append(entry)
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    /// The entry's bytes, refused past `limit` (counted while inflating: the stated sizes may lie).
    func extract(_ entry: Entry, limit: Int) throws -> Data {
        let at = entry.localHeader
        guard try Self.u32(bytes, at) == 0x0403_4b50 else { throw Self.refuse("an entry is damaged") }
        let start = at + 30 + (try Self.u16(bytes, at + 26)) + (try Self.u16(bytes, at + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else { throw Self.refuse("an entry is out of bounds") }
        let compressed = bytes[start..<(start + entry.compressedSize)]
        switch entry.method {
        case 0:
            guard compressed.count <= limit else { throw ThawError.payloadTooLarge(limit: limit) }
            return Data(compressed)
        case 8: return try Self.inflate(compressed, limit: limit)
        default: throw Self.refuse("an entry is compressed in a way Thaw does not read")
        }
    }

    /// Raw deflate, in and out in bounded steps.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw refuse("zlib failed") }
        defer { inflateEnd(&stream) }
        var output = Data(), buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var source = Array(input), tooLarge = false
        let result: Int32 = source.withUnsafeMutableBufferPointer { inputPointer in
            stream.next_in = inputPointer.baseAddress
            stream.avail_in = UInt32(inputPointer.count)
            var status: Int32 = Z_OK
            repeat {
                status = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return CThawZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = buffer.count - Int(stream.avail_out)
                guard status == Z_OK || status == Z_STREAM_END else { return status }
                guard output.count + produced <= limit else {
                    tooLarge = true
                    return status
                }
                output.append(contentsOf: buffer[0..<produced])
                // No progress possible: the input ran out before the stream's end.
                if status == Z_OK, produced == 0, stream.avail_in == 0 { return Z_BUF_ERROR }
            } while status != Z_STREAM_END
            return status
        }
        if tooLarge { throw ThawError.payloadTooLarge(limit: limit) }
        guard result == Z_STREAM_END else { throw refuse("an entry's compressed data is damaged") }
        return output
    }
}
