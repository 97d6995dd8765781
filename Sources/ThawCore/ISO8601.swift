/// RFC 3339 date-times: parsing demands an explicit offset (`Z` or `±hh:mm`),
/// because a time without a zone is ambiguous across the organisations we serve.
public enum ISO8601 {
    public static func parse(_ text: String) -> Timestamp? {
        let chars = Array(text.utf8)
        guard chars.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= chars.count else { return nil }
            var value = 0
            for c in chars[from..<from + len] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = num(0, 4), chars[4] == 45, let month = num(5, 2), chars[7] == 45,
            let day = num(8, 2), chars[10] == 84 || chars[10] == 116,
            let hour = num(11, 2), chars[13] == 58, let minute = num(14, 2), chars[16] == 58,
            let second = num(17, 2),
            let date = CalendarDate(year: year, month: month, day: day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < chars.count, chars[index] == 46 {  // fractional seconds
            index += 1
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(chars[index] - 48) }
                digits += 1; index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard index < chars.count else { return nil }
        var offsetMinutes = 0
        switch chars[index] {
        case 90, 122:  // Z
            guard index + 1 == chars.count else { return nil }
        case 43, 45:  // + or -
            guard index + 6 == chars.count, let oh = num(index + 1, 2), chars[index + 3] == 58,
                let om = num(index + 4, 2), oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (chars[index] == 45 ? -1 : 1)
        default:
            return nil
        }
        let seconds =
            Int64(CalendarMath.days(year: date.year, month: date.month, day: date.day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetMinutes * 60)
        return Timestamp(millis: seconds * 1000 + Int64(millis))
    }

    /// Formats as UTC with milliseconds, e.g. `2026-03-01T09:30:00.000Z`.
    public static func format(_ t: Timestamp) -> String {
        let date = CalendarDate(t)
        let msOfDay = Int(t.millis - date.startOfDay.millis)
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: n - s.count) + s }
        let h = msOfDay / 3_600_000, m = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        return "\(date)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
