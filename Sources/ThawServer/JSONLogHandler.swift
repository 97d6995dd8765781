#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import ThawCore
import ThawStorage

/// One JSON object per line on standard error: time, level, label, message and
/// metadata (request id, route, status, duration), keys sorted: easy for a log
/// shipper to parse.
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
        var fields = metadata.mapValues(\.description)
        for (key, value) in event.metadata ?? [:] { fields[key] = value.description }
        if let error = event.error { fields["error"] = String(describing: error) }
        fields["time"] = ISO8601.format(SystemClock().now())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        var line = JSONText.encode(fields) + "\n"
        line.withUTF8 { buffer in
            _ = write(2, buffer.baseAddress, buffer.count)
        }
    }
}
