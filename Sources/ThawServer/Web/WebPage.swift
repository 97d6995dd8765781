import HTTPTypes
import Hummingbird
import Logging
import ThawCore

/// Turning markup into responses.
enum WebPage {
    static func response(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }

    /// 303 See Other: after a form post, the browser fetches the next page with GET.
    static func redirect(to path: String, notice: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.location] = notice.map { path + (path.contains("?") ? "&" : "?") + "done=" + $0 } ?? path
        return Response(status: .seeOther, headers: headers)
    }
}

/// The error page: what went wrong in words, with the status code the API would use.
enum ErrorPage {
    static func response(for error: any Error, context: ThawRequestContext, logger: Logger) -> Response {
        let status: Int, title: String, detail: String
        if let (problem, _) = ProblemDetails.from(error) {
            status = problem.status
            title = sayIfKnown(problem.title)
            detail = sayIfKnown(problem.detail)
        } else {
            logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
            status = 500
            title = say("Something went wrong on our side")
            detail = say("Nothing you did caused this. The request id %1 helps us find it.", context.requestId)
        }
        let layout = Layout(title: Phrase(said: title), principal: context.principal, csrf: context.csrfToken)
        let back: HTML =
            context.principal == nil
            ? "<p><a href=\"\(WebPath.signIn)\">Sign in</a></p>"
            : "<p><a href=\"\(WebPath.home)\">Go to your start page</a></p>"
        let html = layout.render(
            """
            <h1>\(title)</h1>
            <div class="notice notice-error" role="alert"><p>\(detail)</p></div>
            \(back)
            """)
        return WebPage.response(html, status: HTTPResponse.Status(code: status))
    }
}
