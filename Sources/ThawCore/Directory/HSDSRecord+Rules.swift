/// The rules HSDS states in words rather than in its schemas, which an import must hold to so
/// that search can use what it keeps: schedules whose hours and days parse, dates that are
/// dates, postal codes of the country's form, service areas Thaw can read when they claim a shape.
extension HSDSRecord {
    static func ruleProblems(_ record: HSDSRecord) -> [(field: String, rule: String, message: String)] {
        var problems: [(String, String, String)] = []
        switch record.entity {
        case "schedule":
            for field in ["opens_at", "closes_at"] {
                if let time = record[field], !time.isEmpty, WeeklyHours.minutes(time) == nil {
                    problems.append((field, "time", "\(field) must be a time of day as HH:MM or HH:MM:SS, not \"\(time.prefix(20))\""))
                }
            }
            if let byday = record["byday"], !byday.isEmpty, let problem = WeeklyHours.bydayProblem(byday) {
                problems.append(("byday", "byday", problem))
            }
            for field in ["valid_from", "valid_to", "dtstart", "until"] {
                if let date = record[field], !date.isEmpty, CalendarDate(String(date.prefix(10))) == nil {
                    problems.append((field, "date", "\(field) must be a date as YYYY-MM-DD, not \"\(date.prefix(20))\""))
                }
            }
            if case .number(let offset)? = record.fields["timezone"], !(-12...14).contains(offset) {
                problems.append(("timezone", "timezone", "timezone is hours from UTC, between -12 and 14"))
            }
            if record["byday"] != nil, record["opens_at"] != nil, record["closes_at"] == nil {
                problems.append(("closes_at", "required", "a schedule that opens at a time says when it closes"))
            }
        case "address":
            if let code = record["postal_code"], !code.isEmpty, let problem = PostalCode.problem(code, country: record["country"] ?? "") {
                problems.append(("postal_code", "postal-code", problem))
            }
        default: break
        }
        return problems
    }
}

/// Postal codes in Canada's form, where Thaw's networks are; elsewhere, a plausible code (2 to 10 letters and digits).
public enum PostalCode {
    public static func problem(_ code: String, country: String) -> String? {
        let compact = code.uppercased().filter { $0 != " " && $0 != "-" }
        let chars = Array(compact)
        switch country.uppercased() {
        case "CA", "CAN", "CANADA":
            let pattern: [(Character) -> Bool] = [\.isLetter, \.isNumber, \.isLetter, \.isNumber, \.isLetter, \.isNumber]
            guard chars.count == 6, zip(chars, pattern).allSatisfy({ $1($0) }), chars.allSatisfy(\.isASCII) else {
                return "postal_code must be a Canadian postal code such as T5J 0N3, not \"\(code.prefix(20))\""
            }
        default:
            guard (2...10).contains(chars.count), chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                return "postal_code must be 2 to 10 letters and digits, not \"\(code.prefix(20))\""
            }
        }
        return nil
    }
}
