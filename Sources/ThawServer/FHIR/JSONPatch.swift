import Foundation
import ThawCore

/// RFC 6902 JSON Patch, as FHIR's PATCH takes it (`application/json-patch+json`): `add`,
/// `remove`, `replace` and `test`, applied in order to a JSON document; any failure applies
/// nothing. Each refusal names the operation (`patch[2].path`).
struct JSONPatch: Decodable {
    struct Operation: Decodable {
        var op: String
        var path: String
        var value: JSONAny?
    }

    var operations: [Operation]

    init(from decoder: any Decoder) throws { operations = try [Operation](from: decoder) }

    func apply(to document: Any) throws -> Any {
        var result = document
        for (index, operation) in operations.enumerated() {
            let tokens = try Self.pointer(operation.path, at: index)
            switch operation.op {
            case "add", "replace":
                guard let value = operation.value else {
                    throw ThawError.invalid("patch[\(index)].value", "required", "\(operation.op) needs a value")
                }
                result = try Self.set(value.value, at: tokens[...], in: result, replacing: operation.op == "replace", index: index)
            case "remove":
                result = try Self.set(nil, at: tokens[...], in: result, replacing: true, index: index)
            case "test":
                guard let expected = operation.value, let found = Self.get(tokens[...], in: result),
                    NSDictionary(dictionary: ["v": found]).isEqual(to: ["v": expected.value])
                else {
                    throw ThawError.preconditionFailed("patch[\(index)]: the test at \(operation.path) failed")
                }
            default:
                throw ThawError.unprocessable("patch[\(index)].op", "supported-op", "Thaw applies add, remove, replace and test")
            }
        }
        return result
    }

    private static func pointer(_ path: String, at index: Int) throws -> [String] {
        guard path.hasPrefix("/") else { throw ThawError.invalid("patch[\(index)].path", "json-pointer", "a path is a JSON Pointer (/status)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ tokens: ArraySlice<String>, in node: Any) -> Any? {
        guard let token = tokens.first else { return node }
        if let object = node as? [String: Any], let child = object[token] { return get(tokens.dropFirst(), in: child) }
        if let array = node as? [Any], let i = Int(token), array.indices.contains(i) { return get(tokens.dropFirst(), in: array[i]) }
        return nil
    }

    /// `node` with `value` set at `tokens` (nil: removed). Missing parents are an error, as RFC 6902 says.
    private static func set(_ value: Any?, at tokens: ArraySlice<String>, in node: Any, replacing: Bool, index: Int) throws -> Any {
        guard let token = tokens.first else {
            guard let value else { throw ThawError.unprocessable("patch[\(index)].path", "not-root", "the whole resource cannot be removed") }
            return value
        }
        let missing = ThawError.unprocessable("patch[\(index)].path", "exists", "nothing at \(token) to change")
        if var object = node as? [String: Any] {
            if tokens.count == 1 {
                if replacing, object[token] == nil { throw missing }
                object[token] = value
            } else {
                guard let child = object[token] else { throw missing }
                object[token] = try set(value, at: tokens.dropFirst(), in: child, replacing: replacing, index: index)
            }
            return object
        }
        if var array = node as? [Any] {
            if tokens.count == 1 {
                if token == "-", !replacing, let value {
                    array.append(value)
                } else {
                    guard let i = Int(token), i >= 0, replacing ? array.indices.contains(i) : i <= array.count else { throw missing }
                    if let value {
                        if replacing { array[i] = value } else { array.insert(value, at: i) }
                    } else {
                        array.remove(at: i)
                    }
                }
            } else {
                guard let i = Int(token), array.indices.contains(i) else { throw missing }
                array[i] = try set(value, at: tokens.dropFirst(), in: array[i], replacing: replacing, index: index)
            }
            return array
        }
        throw missing
    }
}

/// Any JSON value, decoded as Foundation's JSON objects are.
struct JSONAny: Decodable {
    var value: Any

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = NSNull()
        } else if let bool = try? container.decode(Bool.self) {
            value = bool
        } else if let number = try? container.decode(Double.self) {
            value = number
        } else if let text = try? container.decode(String.self) {
            value = text
        } else if let array = try? container.decode([JSONAny].self) {
            value = array.map(\.value)
        } else {
            value = try container.decode([String: JSONAny].self).mapValues(\.value)
        }
    }
}
