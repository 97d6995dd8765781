import ThawCore

/// Derives the JSON Schema of a `Decodable` type by letting the type decode itself
/// from a decoder that records what it asks for: each key, whether it is required
/// (`decode`) or optional (`decodeIfPresent`), and the type of its value. So the
/// API's schemas come from the same Swift types the server reads and writes, and
/// cannot drift from them.
///
/// Values the type's own decoding could not take from a blank decoder are answered
/// by kind: ids, times and dates (`SchemaLeaf`), string enumerations (by their
/// cases), string-keyed dictionaries (`SchemaDictionary`). A type whose decoding
/// branches on its input (a tagged union) describes itself (`SchemaDescribed`).
/// Every other struct becomes a named component, referenced where it is used.
struct SchemaRegistry {
    /// Components by name.
    private(set) var components: [String: JSONValue] = [:]

    /// The schema of `type`: a `$ref` to its component for a struct, the schema itself otherwise.
    /// (The order of the checks matters: an enumeration of strings is also `Decodable` as a string.)
    mutating func schema(of type: any Decodable.Type) throws -> JSONValue {
        if let leaf = type as? any SchemaLeaf.Type { return leaf.schema }
        if let described = type as? any SchemaDescribed.Type {
            let name = Self.name(of: type)
            if components[name] == nil { components[name] = described.schema }
            return Self.ref(name)
        }
        if let values = Self.enumValues(type) { return .object(["type": "string", "enum": .array(values.map(JSONValue.string))]) }
        if let array = type as? any SchemaArray.Type {
            return .object(["type": "array", "items": try schema(of: array.elementType)])
        }
        if let dictionary = type as? any SchemaDictionary.Type {
            return .object(["type": "object", "additionalProperties": try schema(of: dictionary.valueType)])
        }
        if let primitive = Self.primitive(type) { return primitive }
        let recorder = SchemaRecorder()
        let decoder = RecordingDecoder(recorder: recorder)
        _ = try type.init(from: decoder)
        switch recorder.shape {
        case .object:
            let name = Self.name(of: type)
            if components[name] != nil { return Self.ref(name) }
            components[name] = .object(["type": "object"])  // a placeholder while its fields are worked out
            var properties: [String: JSONValue] = [:]
            for field in recorder.fields { properties[field.key] = try schema(of: field.type) }
            let required = recorder.fields.filter(\.required).map(\.key)
            components[name] = .object([
                "type": "object", "properties": .object(properties),
                "required": .array(required.map(JSONValue.string))
            ])
            return Self.ref(name)
        case .array(let element):
            return .object(["type": "array", "items": try schema(of: element)])
        case .single(let value):
            return try schema(of: value)
        case .unknown:
            throw SchemaError(type: type, reason: "it decoded nothing")
        }
    }

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    /// The type's name without its module: `Committee`, `FeedbackItem.Response`; anything a
    /// component's name may not hold (a generic's brackets) becomes `_`.
    static func name(of type: Any.Type) -> String {
        let full = String(reflecting: type)
        let name = full.firstIndex(of: ".").map { String(full[full.index(after: $0)...]) } ?? full
        return String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }

    private static func primitive(_ type: Any.Type) -> JSONValue? {
        switch type {
        case is String.Type: .object(["type": "string"])
        case is Bool.Type: .object(["type": "boolean"])
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt32.Type: .object(["type": "integer"])
        case is Double.Type, is Float.Type: .object(["type": "number"])
        default: nil
        }
    }

    /// The raw values of a `CaseIterable` enumeration of strings, or nil for any other type.
    static func enumValues(_ type: Any.Type) -> [String]? {
        guard let cases = type as? any CaseIterable.Type else { return nil }
        let values = allCases(of: cases).compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        return values.isEmpty ? nil : values
    }

    private static func allCases<E: CaseIterable>(of type: E.Type) -> [Any] { Array(E.allCases) }

    /// A value of `type` to hand back to the decoding type, for the kinds the registry answers itself.
    static func placeholder(_ type: Any.Type) -> Any? {
        if let leaf = type as? any SchemaLeaf.Type { return leaf.placeholder }
        if let described = type as? any SchemaDescribed.Type { return described.placeholder }
        if let cases = type as? any CaseIterable.Type { return allCases(of: cases).first }
        if let dictionary = type as? any SchemaDictionary.Type { return dictionary.empty }
        if let array = type as? any SchemaArray.Type { return array.empty }
        switch type {
        case is String.Type: return "x"
        case is Bool.Type: return false
        case is Int.Type: return 0
        case is Int64.Type: return Int64(0)
        case is Int32.Type: return Int32(0)
        case is UInt32.Type: return UInt32(0)
        case is Double.Type: return 0.0
        case is Float.Type: return Float(0)
        default: return nil
        }
    }
}

struct SchemaError: Error, CustomStringConvertible {
    let type: Any.Type
    let reason: String
    var description: String { "cannot derive the schema of \(type): \(reason)" }
}

/// A type the registry describes whole, without decoding it: ids, times, dates.
protocol SchemaLeaf: Decodable {
    static var schema: JSONValue { get }
    static var placeholder: Self { get }
}

/// A type whose decoding depends on its input (a tagged union, exactly one of two
/// keys), which therefore states its schema itself.
protocol SchemaDescribed: Decodable {
    static var schema: JSONValue { get }
    /// Any value, for a type that contains this one to carry on decoding with.
    static var placeholder: Self { get }
}

/// A dictionary written as a JSON object: its values all have one schema.
protocol SchemaDictionary {
    static var valueType: any Decodable.Type { get }
    static var empty: Self { get }
}

/// An array or a set: its elements all have one schema.
protocol SchemaArray {
    static var elementType: any Decodable.Type { get }
    static var empty: Self { get }
}

extension Array: SchemaArray where Element: Decodable {
    static var elementType: any Decodable.Type { Element.self }
    static var empty: Self { [] }
}

extension Set: SchemaArray where Element: Decodable {
    static var elementType: any Decodable.Type { Element.self }
    static var empty: Self { [] }
}

/// Keyed by strings, or by an enumeration written as its strings (`CodingKeyRepresentable`).
extension Dictionary: SchemaDictionary where Key: CodingKeyRepresentable, Value: Decodable {
    static var valueType: any Decodable.Type { Value.self }
    static var empty: Self { [:] }
}

extension ThawCore.ID: SchemaLeaf {
    static var schema: JSONValue { .object(["type": "string"]) }
    static var placeholder: Self { Self("x") }
}

extension Timestamp: SchemaLeaf {
    static var schema: JSONValue { .object(["type": "string", "format": "date-time"]) }
    static var placeholder: Self { Timestamp(millis: 0) }
}

extension CalendarDate: SchemaLeaf {
    static var schema: JSONValue { .object(["type": "string", "format": "date"]) }
    static var placeholder: Self { CalendarDate(Timestamp(millis: 0)) }
}

/// What the decoding type asked for.
private final class SchemaRecorder {
    enum Shape {
        case unknown, object
        case array(any Decodable.Type)
        case single(any Decodable.Type)
    }
    struct Field { var key: String; var type: any Decodable.Type; var required: Bool }

    var shape = Shape.unknown
    private(set) var fields: [Field] = []
    /// Keys asked whether they hold null: the standard library's `decodeIfPresent` for a
    /// String or a number asks that, then decodes, so such a field is optional.
    var nullableKeys: Set<String> = []

    func record(_ key: String, _ type: any Decodable.Type, required: Bool) {
        shape = .object
        let required = required && !nullableKeys.contains(key)
        if let index = fields.firstIndex(where: { $0.key == key }) {
            // Asked twice (a custom decoder checking a key, then reading it): required if either was.
            fields[index].required = fields[index].required || required
        } else {
            fields.append(Field(key: key, type: type, required: required))
        }
    }
}

/// Answers the decoding type's questions with placeholders, and records them.
private struct RecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        recorder.shape = .object
        return KeyedDecodingContainer(RecordingKeyedContainer<Key>(recorder: recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(recorder: recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValue(recorder: recorder)
    }

    /// A value of `type` for the decoding type to carry on with: a placeholder, or the type decoded blank.
    static func value<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = SchemaRegistry.placeholder(type) as? T { return value }
        return try T(from: RecordingDecoder(recorder: SchemaRecorder()))
    }
}

private struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool {
        recorder.nullableKeys.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        recorder.record(key.stringValue, type, required: true)
        return try RecordingDecoder.value(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        recorder.record(key.stringValue, type, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaError(type: NestedKey.self, reason: "nested containers are not described")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaError(type: Key.self, reason: "nested containers are not described")
    }

    func superDecoder() throws -> any Decoder { RecordingDecoder(recorder: recorder) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RecordingDecoder(recorder: recorder) }
}

/// An array: its one element type is recorded, and it holds no elements.
private struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] = []
    var count: Int? { 0 }
    var isAtEnd: Bool { true }
    var currentIndex: Int { 0 }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        recorder.shape = .array(type)
        return try RecordingDecoder.value(type)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaError(type: NestedKey.self, reason: "nested containers are not described")
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw SchemaError(type: [Any].self, reason: "nested containers are not described")
    }
    mutating func superDecoder() throws -> any Decoder { RecordingDecoder(recorder: recorder) }
}

private struct RecordingSingleValue: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] = []

    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        recorder.shape = .single(type)
        return try RecordingDecoder.value(type)
    }
}
