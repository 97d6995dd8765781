import Foundation
import ThawCore

/// Text Thaw refuses wherever it arrives: the NUL character. SQLite's C interface
/// would store text only up to it and PostgreSQL refuses it, so a request carrying
/// one is answered 4xx naming the field before anything is read or written.
enum TextChecks {
    static func refuseNUL(_ value: String, field: String) throws {
        if value.utf8.contains(0) {
            throw ThawError.unprocessable(field, "no-nul-character", "\(field) may not contain the NUL character (U+0000)")
        }
    }

    /// In JSON a NUL can only arrive escaped, as `\u0000`; only then is the body walked to name its field.
    static func refuseNUL(inJSON data: Data) throws {
        let escape = Array(#"\u0000"#.utf8)
        guard data.count >= escape.count, data.firstRange(of: escape) != nil,
            let tree = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        if let field = fieldContainingNUL(tree, path: "") {
            try refuseNUL("\u{0}", field: field.isEmpty ? "body" : field)
        }
    }

    private static func fieldContainingNUL(_ value: Any, path: String) -> String? {
        switch value {
        case let text as String:
            return text.utf8.contains(0) ? path : nil
        case let object as [String: Any]:
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                let here = path.isEmpty ? key : path + "." + key
                if key.utf8.contains(0) { return here }
                if let found = fieldContainingNUL(item, path: here) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, item) in array.enumerated() {
                if let found = fieldContainingNUL(item, path: path + "[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
