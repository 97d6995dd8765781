import ThawCore

/// A value crossing the SQL boundary. Both dialects store the same four kinds:
/// times as BIGINT milliseconds, booleans as INTEGER 0/1, lists as delimited TEXT.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
}

extension SQLValue {
    /// The last guard against storing other text than was acknowledged: SQLite's C
    /// interface would cut text at a NUL character and PostgreSQL refuses it, so a NUL
    /// that got past the request checks is refused here, before anything is written.
    static func refuseNUL(_ text: String) throws {
        if text.utf8.contains(0) {
            throw ThawError.unprocessable("body", "no-nul-character", "text may not contain the NUL character (U+0000)")
        }
    }
}

/// Anything that can be bound as a parameter.
public protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .double(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension Timestamp: SQLBindable { public var sqlValue: SQLValue { .int(millis) } }
extension CalendarDate: SQLBindable { public var sqlValue: SQLValue { .text(description) } }
extension ID: SQLBindable { public var sqlValue: SQLValue { .text(raw) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
extension RawRepresentable where RawValue == String, Self: Sendable {
    public var sqlValue: SQLValue { .text(rawValue) }
}
extension Sector: SQLBindable {}
extension Alignment: SQLBindable {}
extension Capacity: SQLBindable {}
extension ClientTask.Kind: SQLBindable {}
extension ClientTask.Status: SQLBindable {}
extension TaskStatus: SQLBindable {}
extension Priority: SQLBindable {}
extension FollowUp.Method: SQLBindable {}
extension FollowUp.Party: SQLBindable {}
extension FollowUp.Result: SQLBindable {}
extension IdentifiedNeed.Status: SQLBindable {}
extension ClientExperience.Answer: SQLBindable {}
extension ReminderChannel: SQLBindable {}
extension ClientLink.Basis: SQLBindable {}
extension NeedCategory: SQLBindable {}
extension BusinessStatus: SQLBindable {}
extension ReferralSide: SQLBindable {}
extension ConsentPurpose: SQLBindable {}
extension ReferralOutcome.Code: SQLBindable {}
