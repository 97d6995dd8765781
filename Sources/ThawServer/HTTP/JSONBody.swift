import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ThawCore

/// Reading request bodies and writing JSON responses the same way everywhere.
enum JSONBody {
    static let encoder = ThawJSON.makeEncoder()

    /// Decodes a JSON body, refusing bodies over the limit (413) and anything
    /// that is not JSON of the right shape (400 naming the field).
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, limit: Int, mediaTypes: [String] = ["application/json", "application/merge-patch+json"]
    ) async throws -> T {
        let buffer = try await collect(request, limit: limit)
        if let contentType = request.headers[.contentType]?.lowercased(), !mediaTypes.contains(where: { contentType.hasPrefix($0) }) {
            throw ThawError.invalid("Content-Type", "media-type", "send the body as \(mediaTypes[0])")
        }
        guard buffer.readableBytes > 0 else {
            throw ThawError.invalid("body", "required", "a JSON body is required")
        }
        let data = Data(buffer: buffer)
        try TextChecks.refuseNUL(inJSON: data)
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// The whole body, refusing one over `limit` bytes (413) before or while reading it.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ThawError.payloadTooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ThawError.payloadTooLarge(limit: limit)
        }
    }

    static func problem(_ problem: ProblemDetails, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/problem+json"
        let data = (try? encoder.encode(problem)) ?? Data()
        return Response(status: .init(code: problem.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    static let requestId = Self("X-Request-Id")!
    static let csrfToken = Self("X-CSRF-Token")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let prefer = Self("Prefer")!
}

extension Request {
    /// The version an `If-Match` header names (`"7"` or `W/"7"`); 428 if absent.
    func expectedVersion() throws -> Int {
        guard let raw = headers[.ifMatch] else {
            throw ThawError.preconditionRequired("send If-Match with the ETag you last read, so concurrent edits are not lost")
        }
        var text = raw.trimmingWhitespace
        if text.hasPrefix("W/") { text.removeFirst(2) }
        guard text.count >= 3, text.first == "\"", text.last == "\"", let version = Int(text.dropFirst().dropLast()) else {
            throw ThawError.invalid("If-Match", "etag", "If-Match must be an ETag as sent by the server, e.g. \"3\"")
        }
        return version
    }

    /// A query parameter; an empty one counts as absent.
    func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole-number query parameter within `range`, or nil when absent. The one rule for
    /// every such parameter: anything else (a word, a fraction, out of range) is a 400 naming it.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = query(name) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw ThawError.invalid(name, "range", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A query parameter that must be one of an enumeration's values, or nil when absent; any other is a 400 naming it.
    func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws -> E? where E.RawValue == String {
        guard let raw = query(name) else { return nil }
        guard let value = E(rawValue: raw) else {
            throw ThawError.invalid(name, "enum", "\(name) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension RequestContext {
    /// A path parameter naming a record: ids are short and plain, anything else is a 404.
    func id<T>(_ name: String, as: T.Type = T.self) throws -> ThawCore.ID<T> {
        let raw = try parameters.require(name)
        guard !raw.isEmpty, raw.count <= 80, raw.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw ThawError.notFound("\(name) \(raw.prefix(80))")
        }
        return ThawCore.ID(raw)
    }
}

/// How Thaw writes JSON everywhere (API, exports): property names are the API's
/// names, so no key strategy is needed; keys are sorted, so equal data gives equal
/// bytes and `JSONOutput` can match it exactly.
public enum ThawJSON {
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// A list answer, `{"items": [...]}`, with the cursor of the next page where there is one.
struct ItemList<Item: Encodable>: ResponseEncodable {
    var items: [Item]
    var nextCursor: String?
    init(_ items: [Item], nextCursor: String? = nil) { self.items = items; self.nextCursor = nextCursor }
}
