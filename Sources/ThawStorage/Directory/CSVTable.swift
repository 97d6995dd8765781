/// RFC 4180 CSV: fields separated by commas, quoted when they hold commas, quotes or line
/// breaks, quotes doubled inside. Reads either line ending and a leading byte-order mark.
/// (The spreadsheet exports in `ThawServer` guard against formulas; a data package must
/// keep every value exactly, so this writer does not.)
public enum CSVTable {
    /// The rows of a document, the header first. A quote left open is an error naming its row.
    public static func rows(_ text: String) throws(CSVError) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, afterQuote = false, line = 1, startedRow = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\""); continue }
                        pending = following
                    }
                    quoted = false; afterQuote = true
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true; startedRow = true
            case ",":
                row.append(field); field = ""; afterQuote = false; startedRow = true
            case "\r":
                continue
            case "\n":
                if startedRow || !field.isEmpty { row.append(field); rows.append(row) }
                row = []; field = ""; afterQuote = false; startedRow = false; line += 1
            default:
                if afterQuote { throw CSVError(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(c); startedRow = true
            }
        }
        if quoted { throw CSVError(line: line, message: "a quoted field is never closed") }
        if startedRow || !field.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// A document: the header, then each row, every field quoted only where it must be.
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(escaped).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func escaped(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || field.hasPrefix(" ") || field.hasSuffix(" ")
        else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}

public struct CSVError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String
}
