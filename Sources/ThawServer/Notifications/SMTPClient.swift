import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// An email as Thaw sends it: plain text, to one person.
struct EmailMessage: Sendable {
    var to: String
    var subject: String
    var body: String
    /// The one-click link that changes what this person is emailed (RFC 8058); none for a client's
    /// reminder, which the client stops by telling their navigator.
    var preferencesURL: String?
}

/// A small SMTP client (RFC 5321): EHLO, STARTTLS (RFC 3207), AUTH PLAIN (RFC 4954), one
/// message per connection. Every reply is checked; anything unexpected fails the send, which
/// the email queue then tries again.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    var timeout: Duration = .seconds(30)

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func send(_ message: EmailMessage) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await session(message) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "the SMTP server did not finish within \(timeout)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func session(_ message: EmailMessage) async throws {
        let configuration = configuration
        let tls = configuration.security == .none ? nil : try configuration.tlsContext()
        let (replies, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if configuration.security == .implicitTLS, let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: configuration.serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(continuation: continuation))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        defer { channel.close(promise: nil) }
        var reader = replies.makeAsyncIterator()

        func reply(_ expected: Set<Int>, after what: String) async throws -> SMTPReply {
            guard let reply = try await reader.next() else { throw Failure(description: "the SMTP server closed the connection after \(what)") }
            guard expected.contains(reply.code) else {
                throw Failure(description: "the SMTP server answered \(what) with \(reply.code) \(reply.lines.joined(separator: " "))")
            }
            return reply
        }
        func command(_ line: String, _ expected: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
            try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n"))
            return try await reply(expected, after: shown ?? line)
        }

        _ = try await reply([220], after: "connecting")
        var hello = try await command("EHLO thaw", [250])
        if configuration.security == .startTLS, let tls {
            guard hello.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw Failure(description: "the SMTP server does not offer STARTTLS; Thaw does not send email in the clear (tls=none allows it)")
            }
            _ = try await command("STARTTLS", [220])
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    try NIOSSLClientHandler(context: tls, serverHostname: configuration.serverName), position: .first)
            }.get()
            hello = try await command("EHLO thaw", [250])
        }
        if let username = configuration.username {
            let secret = Data(("\0" + username + "\0" + (configuration.password ?? "")).utf8).base64EncodedString()
            _ = try await command("AUTH PLAIN " + secret, [235], shown: "AUTH PLAIN")
        }
        _ = try await command("MAIL FROM:<\(configuration.from)>", [250])
        _ = try await command("RCPT TO:<\(message.to)>", [250, 251])
        _ = try await command("DATA", [354])
        try await channel.writeAndFlush(ByteBuffer(string: EmailFormat.data(message, from: configuration.from)))
        _ = try await reply([250], after: "the message")
        _ = try? await command("QUIT", [221])
    }
}

/// One SMTP reply: its code and the text of each of its lines.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
}

/// Gathers reply lines (`250-…` continues, `250 …` ends) into replies.
private final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var lines: [String] = []

    init(continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = String(buffer: unwrapInboundIn(data))
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
            continuation.finish(throwing: SMTPClient.Failure(description: "the SMTP server sent something that is not a reply"))
            return
        }
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") {
            continuation.yield(SMTPReply(code: code, lines: lines))
            lines = []
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
    }
}

/// The message as it goes after DATA (RFC 5322 with a base64 MIME body), dot-stuffing included.
enum EmailFormat {
    static func data(_ message: EmailMessage, from: String) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let headers =
            [
                "From: Thaw <\(from)>",
                "To: <\(message.to)>",
                "Subject: " + encodedHeader(message.subject),
                "Date: " + date.string(from: Date()),
                "Message-ID: <\(UUID().uuidString.lowercased())@\(from.split(separator: "@").last ?? "thaw")>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: base64",
                "Auto-Submitted: auto-generated"
            ] + (message.preferencesURL.map { ["List-Unsubscribe: <\($0)/off>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"] } ?? [])
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        // Base64 lines never start with a dot, so no line needs stuffing; the terminator ends DATA.
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n.\r\n"
    }

    /// A header value: as it is when plain ASCII on one line, else RFC 2047's encoded word.
    static func encodedHeader(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if oneLine.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) { return oneLine }
        return "=?utf-8?B?" + Data(oneLine.utf8).base64EncodedString() + "?="
    }
}
