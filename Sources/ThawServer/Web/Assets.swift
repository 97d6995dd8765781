import Hummingbird

/// The style sheet and script, served from memory with a version in the ETag.
enum Assets {
    static func register(on router: Router<ThawRequestContext>) {
        router.get(RouterPath(stringLiteral: WebPath.css)) { _, _ in response(style, type: "text/css; charset=utf-8") }
        router.get(RouterPath(stringLiteral: WebPath.script)) { _, _ in response(script, type: "text/javascript; charset=utf-8") }
    }

    private static func response(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=300"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
