import Foundation
import HTTPTypes
import Hummingbird
import Logging
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
        let requestID = request.headers[.requestID].flatMap { $0.count <= 64 ? $0 : nil } ?? IDGenerator.make("req", as: Request.self).raw
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.problemResponse(for: error, request: request, logger: context.logger)
        }
        let elapsed = ContinuousClock.now - started
        let route = context.endpointPath ?? "unmatched"
        response.headers[.requestID] = requestID
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.2f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)),
        ])
        return response
    }

    static func problemResponse(for error: any Error, request: Request, logger: Logger) -> Response {
        if let (problem, headers) = ProblemDetails.from(error) {
            var problem = problem
            problem.type = "urn:thaw:problem:" + problem.type
            problem.instance = request.uri.path
            return JSONBody.problem(problem, headers: headers)
        }
        // Anything unexpected is our fault: log it, and tell the client nothing internal.
        logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
        return JSONBody.problem(ProblemDetails(type: "urn:thaw:problem:internal", title: "Internal error", status: 500,
                                               detail: "something went wrong on our side; the request id helps us find it",
                                               instance: request.uri.path))
    }
}
