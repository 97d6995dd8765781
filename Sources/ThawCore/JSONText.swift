/// A flat JSON object of strings, written by hand (keys sorted): the TEXT columns
/// that hold maps (ledger details, screening answers) and the server's log lines.
/// Both run on every request, where JSONEncoder's generic path was a visible share
/// of the time.
public enum JSONText {
    public static func encode(_ map: [String: String]) -> String {
        var out = "{"
        for (index, (key, value)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out += "," }
            out += quoted(key) + ":" + quoted(value)
        }
        return out + "}"
    }

    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
