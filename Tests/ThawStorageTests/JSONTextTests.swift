import Foundation
import Testing
@testable import ThawStorage

@Suite struct JSONTextTests {
    @Test func encodesMapsThatJSONDecoderReadsBackExactly() throws {
        let samples: [[String: String]] = [
            [:], ["a": "b"], ["reason": "Client \"moved\" away\n\tback\\slash", "z": "✓ é", "ctl": "\u{01}\u{1f}"],
            Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", String(repeating: "x", count: $0)) })
        ]
        for map in samples {
            let text = JSONText.encode(map)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == map)
            #expect(JSONText.decode(text) == map)
        }
        #expect(JSONText.encode(["b": "1", "a": "2"]) == #"{"a":"2","b":"1"}"#)
    }
}
