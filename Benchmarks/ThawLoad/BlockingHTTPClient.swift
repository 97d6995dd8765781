#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// A minimal HTTP/1.1 keep-alive client on a blocking socket, one per load
/// thread. The load generator shares the server's two cores, so every
/// microsecond it spends is taken from the server it measures: this client
/// does one `send` and usually one `recv` per request and parses only what the
/// life cycle needs (status, headers, body), where a full async client spent
/// about 200 µs of CPU per request here.
final class BlockingHTTPClient {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let socket: Int32
    private let hostHeader: String
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 65_536)

    init(host: String, port: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "not an IPv4 address: \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(socket); throw Failure(description: "connect to \(host):\(port): errno \(errno)") }
        var on: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        self.socket = socket
        hostHeader = "\(host):\(port)"
    }

    deinit { close(socket) }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        head += "\r\n"
        if let body { head += body }
        try sendAll(Array(head.utf8))
        return try readResponse()
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(socket, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += n
        }
    }

    /// Reads more bytes into `buffer`; the server closing the connection is an error here.
    private func fill() throws {
        let n = scratch.withUnsafeMutableBytes { recv(socket, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { throw Failure(description: n == 0 ? "the server closed the connection" : "recv: errno \(errno)") }
        buffer.append(contentsOf: scratch[0..<n])
    }

    private func readResponse() throws -> Response {
        var headerEnd: Int?
        while true {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headerEnd != nil { break }
            try fill()
        }
        let headText = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line: \(headText.prefix(80))") }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headerEnd! + 4)
        var body: [UInt8] = []
        if let length = headers.first(where: { $0.name == "content-length" }).flatMap({ Int($0.value) }) {
            while buffer.count < length { try fill() }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else if headers.contains(where: { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            body = try readChunks()
        }
        return Response(status: status, headers: headers, body: body)
    }

    private func readChunks() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            var lineEnd = Self.find([13, 10], in: buffer)
            while lineEnd == nil { try fill(); lineEnd = Self.find([13, 10], in: buffer) }
            let sizeText = String(decoding: buffer[0..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "bad chunk size \(sizeText)")
            }
            buffer.removeFirst(lineEnd! + 2)
            while buffer.count < size + 2 { try fill() }  // the chunk and its CRLF (after the last chunk: the final CRLF)
            body.append(contentsOf: buffer[0..<size])
            buffer.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if zip(needle.indices, needle).allSatisfy({ haystack[start + $0] == $1 }) { return start }
        }
        return nil
    }
}
