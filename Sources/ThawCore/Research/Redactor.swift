/// Removes what would identify a client from free text before it leaves Thaw for research:
/// any word that is the given or family name of a client on the register, email addresses, and
/// runs of seven or more digits (phone and health numbers). People write in minutes and
/// messages what they should not; the export does not count on them.
public struct Redactor: Sendable {
    let names: Set<String>
    public init(clientNames: some Sequence<String>) {
        names = Set(clientNames.map { $0.lowercased() }.filter { $0.count >= 2 })
    }

    public static let mark = "[removed]"

    public func redact(_ text: String) -> String { redactWords(Self.redactNumbers(text)) }

    /// Runs of seven or more digits, also when written with spaces, dashes, dots or brackets
    /// between them ("(555) 010-1234", "555 0101 2222").
    static func redactNumbers(_ text: String) -> String {
        let characters = Array(text)
        var out = "", index = 0
        let joiners: Set<Character> = [" ", "-", ".", "(", ")", "+", "/"]
        while index < characters.count {
            // A number starts at a digit or a leading "+"; brackets around it stay.
            guard characters[index].isNumber || characters[index] == "+" else {
                out.append(characters[index])
                index += 1
                continue
            }
            var end = index, digits = 0, lastDigit = index
            while end < characters.count, characters[end].isNumber || joiners.contains(characters[end]) {
                if characters[end].isNumber {
                    digits += 1
                    lastDigit = end
                }
                end += 1
            }
            if digits >= 7 {
                out += mark
                index = lastDigit + 1
            } else {
                out.append(characters[index])
                index += 1
            }
        }
        return out
    }

    func redactWords(_ text: String) -> String {
        var out = "", word = ""
        func flush() {
            guard !word.isEmpty else { return }
            out += isIdentifying(word) ? Self.mark : word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || "@.-_+'’".contains(character) {
                word.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }

    func isIdentifying(_ word: String) -> Bool {
        let trimmed = word.trimmingCharacters(in: ".-_'’")
        if trimmed.contains("@") { return true }
        if trimmed.filter(\.isNumber).count >= 7 { return true }
        let lower = trimmed.lowercased()
        if names.contains(lower) { return true }
        // Possessives and hyphenated names: "Okafor's", "Smith-Jones".
        let parts = lower.split(whereSeparator: { "'’-".contains($0) }).map(String.init)
        return parts.contains(where: names.contains)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
