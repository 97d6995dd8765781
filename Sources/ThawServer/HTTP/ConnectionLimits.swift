/// Bounds on connections, so slow or idle clients cannot shut others out.
public struct ConnectionLimits: Sendable {
    /// A connection must deliver a whole request head within this time of opening, or of
    /// the previous response ending; a client trickling its headers byte by byte is cut off.
    public var headerTimeout: Duration = .seconds(10)
    /// While a request body is being read, a gap longer than this between its parts ends the connection.
    public var idleTimeout: Duration = .seconds(30)
    /// Open connections at most. At the limit a new connection takes the place of the
    /// one that has waited longest without a request under way; if every connection is
    /// busy, the new one is closed at once.
    public var maxConnections: Int = 2048

    public init(headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30), maxConnections: Int = 2048) {
        self.headerTimeout = headerTimeout; self.idleTimeout = idleTimeout; self.maxConnections = maxConnections
    }
}
