import Hummingbird
import ThawCore
import ThawStorage

/// A search's query parameters, each read once: an unknown parameter, a modifier
/// not supported or a malformed value is refused (400 naming it) rather than
/// ignored, so a client never takes an unfiltered answer for a filtered one.
struct FHIRSearchParameters {
    private var values: [String: [String]] = [:]

    /// Parameters every search takes; `_format` is accepted for JSON only.
    static let common: Set<String> = ["_count", "_cursor", "_format", "_include"]

    init(_ request: Request, allowed: Set<String>) throws {
        for (name, value) in request.uri.queryParameters {
            let (name, value) = (String(name), String(value))
            guard allowed.contains(name) || Self.common.contains(name) else {
                throw ThawError.invalid(name, "supported-parameter", "\(name) is not a search parameter Thaw supports here (see /fhir/metadata)")
            }
            values[name, default: []].append(value)
        }
        if let format = values["_format"]?.first, !["json", "application/fhir+json", "application/json"].contains(format) {
            throw ThawError.invalid("_format", "json", "Thaw answers in JSON only")
        }
    }

    /// Every value of a parameter, comma lists split (FHIR's OR).
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingWhitespace } }.filter { !$0.isEmpty }
    }

    /// A parameter given at most once.
    func single(_ name: String) throws -> String? {
        let all = list(name)
        guard all.count <= 1 else { throw ThawError.invalid(name, "single", "give \(name) once, with one value") }
        return all.first
    }

    /// A reference parameter's id: `Type/id` or a bare id.
    func reference(_ name: String, to type: FHIRResourceType) throws -> String? {
        guard let raw = try single(name) else { return nil }
        let id = raw.hasPrefix(type.rawValue + "/") ? String(raw.dropFirst(type.rawValue.count + 1)) : raw
        guard !id.isEmpty, !id.contains("/"), id.count <= 80 else {
            throw ThawError.invalid(name, "reference", "\(name) must be a \(type.rawValue) id or \(type.rawValue)/id")
        }
        return id
    }

    /// A `:missing` modifier's value.
    func missing(_ name: String) throws -> Bool? {
        guard let raw = try single(name + ":missing") else { return nil }
        guard let value = Bool(raw) else { throw ThawError.invalid(name + ":missing", "boolean", "\(name):missing must be true or false") }
        return value
    }

    /// `_count`: 1 to 200, default 50.
    func count() throws -> Int {
        guard let raw = try single("_count") else { return 50 }
        guard let value = Int(raw), (1...200).contains(value) else { throw ThawError.invalid("_count", "range", "_count must be from 1 to 200") }
        return value
    }

    /// `_lastUpdated` with FHIR's prefixes (ge, gt, le, lt, eq; none is eq), as [from, before) in milliseconds.
    func lastUpdated() throws -> (from: Timestamp?, before: Timestamp?) {
        var from: Timestamp?, before: Timestamp?
        for raw in values["_lastUpdated"] ?? [] {
            let prefixes = ["ge", "gt", "le", "lt", "eq"]
            let prefix = prefixes.first { raw.hasPrefix($0) } ?? "eq"
            let text = raw.hasPrefix(prefix) ? String(raw.dropFirst(2)) : raw
            guard let (start, end) = Self.instantRange(text) else {
                throw ThawError.invalid("_lastUpdated", "date", "_lastUpdated must be a date or instant, optionally after ge, gt, le, lt or eq")
            }
            func raise(_ t: Timestamp) { from = max(from ?? t, t) }
            func lower(_ t: Timestamp) { before = min(before ?? t, t) }
            switch prefix {
            case "ge": raise(start)
            case "gt": raise(end)
            case "le": lower(end)
            case "lt": lower(start)
            default: raise(start); lower(end)
            }
        }
        return (from, before)
    }

    /// The span a date (a whole day) or an instant (one millisecond) stands for.
    private static func instantRange(_ text: String) -> (Timestamp, Timestamp)? {
        if text.count == 10, let day = CalendarDate(text) { return (day.startOfDay, day.adding(days: 1).startOfDay) }
        guard let instant = ISO8601.parse(text) else { return nil }
        return (instant, Timestamp(millis: instant.millis + 1))
    }

    /// The cursor of a next link: the last row's change time and id.
    func cursor() throws -> WorklistCursor? {
        guard let raw = try single("_cursor") else { return nil }
        let parts = raw.split(separator: "~", maxSplits: 1)
        guard parts.count == 2, let key = Int64(parts[0]) else {
            throw ThawError.invalid("_cursor", "cursor", "_cursor must be as a next link gave it")
        }
        return WorklistCursor(key: key, id: String(parts[1]))
    }

    /// A one-page search's `_cursor`: how many matches earlier pages gave.
    func offset() throws -> Int {
        guard let raw = try single("_cursor") else { return 0 }
        guard let value = Int(raw), (0...1_000_000).contains(value) else {
            throw ThawError.invalid("_cursor", "cursor", "_cursor must be as a next link gave it")
        }
        return value
    }

    /// The `_include` values, each one of `supported`.
    func includes(_ supported: Set<String>) throws -> Set<String> {
        let asked = Set(list("_include"))
        if let unknown = asked.subtracting(supported).sorted().first {
            throw ThawError.invalid(
                "_include", "supported-include", "\(unknown) is not an _include Thaw supports here (\(supported.sorted().joined(separator: ", ")))")
        }
        return asked
    }
}
