import Foundation
import Hummingbird
import ThawCore

/// A `multipart/form-data` body, as a browser sends a form with a file: its text fields and its
/// files, read within a size limit, with the form's CSRF token checked as for any other form.
struct MultipartForm {
    var fields: [String: String] = [:]
    var files: [String: Data] = [:]

    static func read(_ request: Request, context: ThawRequestContext, limit: Int) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = type.components(separatedBy: ";").map({ $0.trimmingWhitespace }).first(where: { $0.lowercased().hasPrefix("boundary=") })
                .map({ String($0.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }),
            !boundary.isEmpty, boundary.count <= 200
        else { throw ThawError.invalid("file", "multipart", "send the form as multipart/form-data") }
        let body = Data(buffer: try await JSONBody.collect(request, limit: limit))
        let form = try parse(body, boundary: boundary)
        guard let expected = context.csrfToken, let sent = form.fields["_csrf"], Authenticator.constantTimeEquals(sent, expected) else {
            throw ThawError.forbidden("this form is out of date or did not come from Thaw; reload the page and try again")
        }
        return form
    }

    static func parse(_ body: Data, boundary: String) throws -> MultipartForm {
        let delimiter = Data(("--" + boundary).utf8), headerEnd = Data("\r\n\r\n".utf8)
        var form = MultipartForm(), cursor = body.startIndex
        guard let first = body.range(of: delimiter, in: cursor..<body.endIndex) else {
            throw ThawError.invalid("file", "multipart", "the form's parts could not be found")
        }
        cursor = first.upperBound
        while let next = body.range(of: delimiter, in: cursor..<body.endIndex) {
            var part = body[cursor..<next.lowerBound]
            // Each part starts after the delimiter's line break and ends before the next one's.
            if part.starts(with: Data("\r\n".utf8)) { part = part.dropFirst(2) }
            if part.suffix(2) == Data("\r\n".utf8) { part = part.dropLast(2) }
            if let split = part.range(of: headerEnd) {
                let headers = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
                let content = Data(part[split.upperBound...])
                if let name = value(of: "name", in: headers) {
                    if value(of: "filename", in: headers) != nil {
                        form.files[name] = content
                    } else {
                        form.fields[name] = String(decoding: content, as: UTF8.self)
                    }
                }
            }
            cursor = next.upperBound
            if body[cursor...].starts(with: Data("--".utf8)) { break }
        }
        return form
    }

    /// `name="…"` in a part's Content-Disposition.
    static func value(of key: String, in headers: String) -> String? {
        for piece in headers.components(separatedBy: ";").map({ $0.trimmingWhitespace }) where piece.lowercased().hasPrefix(key + "=") {
            return String(piece.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
