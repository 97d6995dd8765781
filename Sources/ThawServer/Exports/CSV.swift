/// CSV as spreadsheets read it: every cell quoted, quotes doubled, a leading
/// =, +, - or @ neutralised so a cell is never taken for a formula, CRLF lines.
enum CSV {
    static func cell(_ s: String) -> String {
        let safe = ["=", "+", "-", "@"].contains(where: s.hasPrefix) ? "'" + s : s
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A header line (our own column names, quoted only where they hold a comma) and the rows.
    static func document(header: [String], rows: [[String]]) -> String {
        let names = header.map { $0.contains(",") ? cell($0) : $0 }
        return ([names.joined(separator: ",")] + rows.map { $0.map(cell).joined(separator: ",") }).joined(separator: "\r\n") + "\r\n"
    }
}
