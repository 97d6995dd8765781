/// Where "now" comes from. Passed in as configuration so tests control time.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}
