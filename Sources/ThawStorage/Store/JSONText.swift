import Foundation

/// Small JSON helpers for the TEXT columns that hold flat maps (ledger details,
/// screening answers), keys sorted. Encoding is by hand: it runs on every write,
/// where JSONEncoder was a visible share of the writer's time.
enum JSONText {
    static func encode(_ map: [String: String]) -> String {
        var out = "{"
        for (index, (key, value)) in map.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out += "," }
            out += quoted(key) + ":" + quoted(value)
        }
        return out + "}"
    }

    static func quoted(_ text: String) -> String {
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

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let map = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return [:] }
        return map
    }
}
