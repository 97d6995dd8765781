import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import ThawCore

/// Gives each request an id (echoed as X-Request-Id), logs one structured line
/// per request, records metrics, and turns every error into a problem document.
/// Logs carry the route pattern, never the concrete path, so no ids or client
/// data end up in them.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ThawRequestContext
    let metrics: ThawMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestId = request.headers[.requestId].flatMap { $0.count <= 64 ? $0 : nil } ?? RequestIDs.next()
        context.requestId = requestId
        context.logger[metadataKey: "request_id"] = .string(requestId)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.problemResponse(for: error, request: request, logger: context.logger)
        }
        let elapsed = ContinuousClock.now - started
        let route = context.endpointPath ?? "unmatched"
        response.headers[.requestId] = requestId
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "ms": .string(Self.milliseconds(elapsed))
            ])
        return response
    }

    /// "12.34": the request's time to the hundredth of a millisecond (String(format:) was a visible share of each request).
    static func milliseconds(_ duration: Duration) -> String {
        let hundredths = duration.components.seconds * 100_000 + duration.components.attoseconds / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Errors that mean the client stopped sending (or sent what HTTP cannot parse) while we read its request.
    static func isClientAbort(_ error: any Error) -> Bool {
        switch error {
        case is HTTPParserError, is CancellationError: return true
        case let error as ChannelError:
            switch error {
            case .ioOnClosedChannel, .eof, .inputClosed, .outputClosed, .alreadyClosed: return true
            default: return false
            }
        case let error as IOError: return [ECONNRESET, EPIPE].contains(error.errnoCode)
        default: return false
        }
    }

    static func problemResponse(for error: any Error, request: Request, logger: Logger) -> Response {
        if let (problem, headers) = ProblemDetails.from(error) {
            var problem = problem
            problem.type = "urn:thaw:problem:" + problem.type
            problem.instance = request.uri.path
            return JSONBody.problem(problem, headers: headers)
        }
        if isClientAbort(error) {
            // The client went away, or sent a body HTTP cannot parse: its doing, not ours.
            logger.info("client aborted the request", metadata: ["error": .string(String(describing: error))])
            let detail = "the request did not arrive whole: the connection closed or the body was malformed"
            return JSONBody.problem(
                ProblemDetails(
                    type: "urn:thaw:problem:incomplete-request", title: "Incomplete request", status: 400,
                    detail: detail, instance: request.uri.path,
                    errors: [Violation(field: "body", rule: "complete", message: detail)]))
        }
        // Anything unexpected is our fault: log it, and tell the client nothing internal.
        logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
        let detail = "something went wrong on our side; the request id helps us find it"
        return JSONBody.problem(
            ProblemDetails(
                type: "urn:thaw:problem:internal", title: "Internal error", status: 500,
                detail: detail, instance: request.uri.path,
                errors: [Violation(field: "request", rule: "internal", message: detail)]))
    }
}

/// Request ids unique within this process (and, by a random prefix drawn once, all but surely
/// across restarts): the prefix, then a counter (one random draw per request was a system call each).
enum RequestIDs {
    private static let prefix = "req_" + String(UInt32.random(in: 0...UInt32.max), radix: 16) + "_"
    private static let counter = Atomic<UInt64>(0)
    static func next() -> String {
        prefix + String(counter.add(1, ordering: .relaxed).newValue, radix: 16)
    }
}
