import Foundation
import ThawCore

extension HSDSRecord {
    /// The fields as stored: a JSON object with sorted keys, so the same record is the same text.
    var storedFields: String {
        "{"
            + fields.sorted { $0.key < $1.key }.map { key, value in
                let encoded: String
                switch value {
                case .text(let s): encoded = JSONText.quoted(s)
                case .number(let n): encoded = n.isFinite ? value.text : "null"
                }
                return JSONText.quoted(key) + ":" + encoded
            }.joined(separator: ",") + "}"
    }

    init?(entity: String, id: String, stored: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String: Any] else { return nil }
        var fields: [String: Value] = [:]
        for (key, value) in object {
            if let text = value as? String {
                fields[key] = .text(text)
            } else if let number = value as? NSNumber {
                fields[key] = .number(number.doubleValue)
            }
        }
        self.init(entity: entity, id: id, fields: fields)
    }

    /// The links this record makes: each of its `*_id` fields with a value.
    var links: [(field: String, target: String)] {
        guard let entity = HSDS.entity(entity) else { return [] }
        return entity.links.compactMap { field in self[field.name].map { (field.name, $0) } }
    }
}
