import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The server's open connections, shared by every channel, so that slow or idle
/// clients cannot take all of them: at the limit a new connection takes the place
/// of the one that has waited longest without a request under way (a request head
/// still trickling in counts as waiting), and only when every connection is busy
/// is the newcomer turned away.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When it last became free of requests; nil while one is under way.
        var waitingSince: NIODeadline?
    }

    private enum Admission {
        case admitted(evicting: (any Channel)?)
        case refused
    }

    let limit: Int
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(limit: Int) { self.limit = max(1, limit) }

    /// Registers a new connection; false if it must be closed at once.
    func admit(_ channel: any Channel) -> Bool {
        let admission = entries.withLock { entries -> Admission in
            var evicted: (any Channel)?
            if entries.count >= limit {
                let waiting = entries.values.compactMap { entry in entry.waitingSince.map { (entry.channel, $0) } }
                guard let oldest = waiting.min(by: { $0.1 < $1.1 })?.0 else { return .refused }
                entries[ObjectIdentifier(oldest)] = nil
                evicted = oldest
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: .now())
            return .admitted(evicting: evicted)
        }
        switch admission {
        case .refused:
            return false
        case .admitted(let evicted):
            evicted?.close(promise: nil)
            return true
        }
    }

    func setBusy(_ channel: any Channel, _ busy: Bool) {
        entries.withLock { $0[ObjectIdentifier(channel)]?.waitingSince = busy ? nil : .now() }
    }

    func remove(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// One per connection, after the HTTP codec: keeps the registry current, ends a
/// connection whose request body stalls for longer than the idle timeout, and
/// answers `CONNECT` (which HTTP's parser would otherwise leave waiting for a
/// tunnel) with 405 and a close. The header timeout is Hummingbird's idle
/// timeout: a whole head must arrive within it of the connection being free.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: ConnectionRegistry
    private let bodyTimeout: TimeAmount
    private var bodyTimer: Scheduled<Void>?
    private var refusing = false
    private var registered = false

    init(registry: ConnectionRegistry, bodyTimeout: TimeAmount) {
        self.registry = registry; self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { register(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        register(context)
        context.fireChannelActive()
    }

    private func register(_ context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        if !registry.admit(context.channel) { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopBodyTimer()
        registry.remove(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopBodyTimer()
        registry.remove(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refusing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.method == .connect {
                refuseConnect(context)
                return
            }
            registry.setBusy(context.channel, true)
            startBodyTimer(context)
        case .body:
            startBodyTimer(context)
        case .end:
            stopBodyTimer()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { registry.setBusy(context.channel, false) }
        context.write(data, promise: promise)
    }

    private func refuseConnect(_ context: ChannelHandlerContext) {
        refusing = true
        var fields = HTTPFields()
        fields[.allow] = "DELETE, GET, HEAD, PATCH, POST"
        fields[.contentLength] = "0"
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .methodNotAllowed, headerFields: fields))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private func startBodyTimer(_ context: ChannelHandlerContext) {
        bodyTimer?.cancel()
        let channel = context.channel
        bodyTimer = context.eventLoop.scheduleTask(in: bodyTimeout) { channel.close(promise: nil) }
    }

    private func stopBodyTimer() {
        bodyTimer?.cancel()
        bodyTimer = nil
    }
}
