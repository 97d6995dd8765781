import Foundation
import Hummingbird
import NIOCore

/// How a handler's answer becomes the response body: JSON in Thaw's form
/// (`ThawJSON`), written by the type's own `FastJSONEncodable` writer where it has
/// one (the referral lists and pages the caseloads read; BENCHMARKS.md measures
/// it), by `JSONEncoder` otherwise. Handlers return typed values (`ResponseEncodable`,
/// or `EditedResponse` for a status or headers of their own) and every context
/// names this encoder.
public struct ThawResponseEncoder: ResponseEncoder {
    private static let encoder = ThawJSON.makeEncoder()

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let buffer: ByteBuffer
        if let fast = value as? any FastJSONEncodable {
            var out = JSONOutput(capacity: fast.estimatedJSONSize)
            fast.write(to: &out)
            buffer = ByteBuffer(bytes: out.bytes)
        } else {
            buffer = ByteBuffer(bytes: try Self.encoder.encode(value))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
