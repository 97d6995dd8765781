#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Logging
import ThawCore
import ThawStorage

/// One JSON object per line on standard error: time, level, label, message and
/// metadata (request id, route, status, duration). Cheaper than the default
/// handler and easy for a log shipper to parse.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level, message = event.message
        var out = JSONOutput(capacity: 256)
        var merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        if let error = event.error { merged["error"] = .string(String(describing: error)) }
        out.object { o in
            o.field("time", SystemClock().now())
            o.field("level", level.rawValue)
            o.field("label", label)
            o.field("message", message.description)
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
                o.key(dynamic: key); o.string(value.description)
            }
        }
        var bytes = out.bytes
        bytes.append(0x0A)
        bytes.withUnsafeBufferPointer { buffer in
            _ = write(2, buffer.baseAddress, buffer.count)
        }
    }
}
