import ThawCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millis: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}

/// A clock that moves only when told: tests and the demo's history use it.
public final class ManualClock: TimeSource {
    private let current: Mutex<Timestamp>
    public init(_ start: Timestamp) { current = Mutex(start) }
    public func now() -> Timestamp { current.withLock { $0 } }
    public func advance(seconds: Int64) { current.withLock { $0 = $0.adding(seconds: seconds) } }
    public func set(_ time: Timestamp) { current.withLock { $0 = time } }
}
