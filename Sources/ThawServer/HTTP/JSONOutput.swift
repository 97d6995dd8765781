import ThawCore

/// A small JSON writer for the responses on the hot path (referrals, worklists,
/// messages) and the log lines. Alternated with JSONEncoder on one seeded file it
/// halves the server's CPU per request in the referral life cycle (BENCHMARKS.md):
/// JSONEncoder's generic path for a 50-row worklist and for every log line was
/// most of the difference. Its output is byte-for-byte what `ThawJSON.makeEncoder()`
/// writes (sorted keys, nil fields left out); a test holds the two together.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func object(_ body: (inout JSONOutput) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<S: Sequence>(_ items: S, _ body: (inout JSONOutput, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items { body(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the value call that follows must not add a comma.
    /// Our own keys are ASCII literals with nothing to escape, so they are copied whole.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// A key made at run time (a log's metadata), escaped like any string.
    mutating func key(dynamic name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) { separate(); writeString(value); needsComma = true }
    mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8); needsComma = true }

    // Field helpers that leave out nil values, as synthesized Codable does.
    mutating func field(_ name: StaticString, _ value: String?) { if let value { key(name); string(value) } }
    mutating func field(_ name: StaticString, _ value: Int?) { if let value { key(name); int(value) } }
    mutating func field(_ name: StaticString, _ value: Timestamp?) { if let value { key(name); timestamp(value) } }
    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name); separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8); needsComma = true
    }

    /// The same text as `ISO8601.format`, written digit by digit without building a String.
    mutating func timestamp(_ value: Timestamp) {
        separate()
        let date = CalendarDate(value)
        guard (0...9999).contains(date.year) else {
            writeString(ISO8601.format(value)); needsComma = true; return
        }
        let ms = Int(value.millis - date.startOfDay.millis)
        bytes.append(34)
        twoDigits(date.year / 100); twoDigits(date.year % 100); bytes.append(45)
        twoDigits(date.month); bytes.append(45); twoDigits(date.day); bytes.append(84)
        twoDigits(ms / 3_600_000); bytes.append(58); twoDigits(ms / 60_000 % 60); bytes.append(58)
        twoDigits(ms / 1000 % 60); bytes.append(46)
        bytes.append(UInt8(48 + ms % 1000 / 100)); twoDigits(ms % 100)
        bytes.append(90); bytes.append(34)
        needsComma = true
    }

    /// `value` (0...99) as two ASCII digits.
    private mutating func twoDigits(_ value: Int) {
        bytes.append(UInt8(48 + value / 10)); bytes.append(UInt8(48 + value % 10))
    }

    mutating func field<T>(_ name: StaticString, _ value: ThawCore.ID<T>?) { if let value { key(name); string(value.raw) } }
    mutating func field<E: RawRepresentable>(_ name: StaticString, _ value: E?) where E.RawValue == String {
        if let value { key(name); string(value.rawValue) }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Escapes as JSONEncoder does: quote, backslash, control characters, and `/` as `\/`.
    private mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            // Most strings (ids, codes, names) need no escaping: copy them whole.
            var clean = true
            for byte in utf8 where byte < 0x20 || byte == 34 || byte == 92 || byte == 47 { clean = false; break }
            if clean {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { appendEscaped(byte) }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Escapes as JSONEncoder does: quote, backslash, control characters, and `/` as `\/`.
    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
        case UInt8(ascii: "/"): bytes.append(contentsOf: [92, 47])
        case 0x0A: bytes.append(contentsOf: [92, 110])
        case 0x0D: bytes.append(contentsOf: [92, 114])
        case 0x09: bytes.append(contentsOf: [92, 116])
        case 0x08: bytes.append(contentsOf: [92, 98])
        case 0x0C: bytes.append(contentsOf: [92, 102])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }
}

/// A value that can write itself with `JSONOutput`.
protocol FastJSONEncodable: Encodable {
    func write(to out: inout JSONOutput)
    /// Bytes to reserve up front, so a large answer is not copied as its buffer grows.
    var estimatedJSONSize: Int { get }
}

extension FastJSONEncodable {
    var estimatedJSONSize: Int { 1024 }
}

extension Referral: FastJSONEncodable {
    func write(to out: inout JSONOutput) {
        out.object { o in
            o.field("businessStatus", businessStatus)
            o.field("clientId", clientId)
            o.field("createdAt", createdAt)
            o.field("firstRespondedAt", firstRespondedAt)
            o.field("firstResponseDue", firstResponseDue)
            o.field("followUpDue", followUpDue)
            o.field("id", id)
            o.field("lastMessageAt", lastMessageAt)
            o.field("lastMessageSide", lastMessageSide)
            o.field("needCategory", needCategory)
            o.key("needIds")
            o.array(needIds) { o, id in o.string(id.raw) }
            o.field("note", note)
            if let outcome {
                o.key("outcome")
                o.object { o in
                    o.field("code", outcome.code); o.field("summary", outcome.summary)
                }
            }
            o.field("ownerOrganizationId", ownerOrganizationId)
            o.field("partOf", partOf)
            o.field("priority", priority)
            o.field("requesterOrganizationId", requesterOrganizationId)
            o.field("requesterUserId", requesterUserId)
            o.field("serviceId", serviceId)
            o.field("status", status)
            o.field("statusReason", statusReason)
            o.field("statusReasonSide", statusReasonSide)
            o.field("updatedAt", updatedAt)
            o.field("version", version)
        }
    }
}

extension WorklistItem: FastJSONEncodable {
    func write(to out: inout JSONOutput) {
        out.object { o in
            o.field("clientName", clientName)
            o.field("counterpartName", counterpartName)
            o.key("referral")
            referral.write(to: &o)
        }
    }
}

extension ReferralMessage: FastJSONEncodable {
    func write(to out: inout JSONOutput) {
        out.object { o in
            o.field("authorOrganizationId", authorOrganizationId)
            o.field("authorUserId", authorUserId)
            o.field("body", body)
            o.field("id", id)
            o.field("readAt", readAt)
            o.field("readBy", readBy)
            o.field("referralId", referralId)
            o.field("sentAt", sentAt)
            o.field("side", side)
            o.field("withheld", withheld)
        }
    }
}

/// A list of fast items is written fast too.
extension ItemList: FastJSONEncodable where Item: FastJSONEncodable {
    /// A worklist row is about 700 bytes, a message about 300.
    var estimatedJSONSize: Int { 64 + items.count * 768 }

    func write(to out: inout JSONOutput) {
        out.object { o in
            o.key("items")
            o.array(items) { o, item in item.write(to: &o) }
            o.field("nextCursor", nextCursor)
        }
    }
}
