/// How Thaw's own directory fields are said in HSDS 3.0, as its documented extensions:
///
/// - Thaw's ten need domains are a taxonomy (`Thaw need domains`), and a service's need
///   categories are attributes linking it to their terms;
/// - a service's capacity is an attribute linking it to a term of `Thaw service capacity`
///   (accepting, waitlist, closed), its value the estimated wait where there is one;
/// - an HSDS organisation that is a member of the Thaw network names the Thaw organisation in an
///   organization identifier whose scheme is `organizationScheme`.
///
/// The ids are fixed, so every Thaw directory says these the same way and an export from one
/// imports into another.
public enum DirectoryVocabulary {
    public static let needTaxonomyId = "7a6e1e0d-0000-4000-8000-000000000100"
    public static let capacityTaxonomyId = "7a6e1e0d-0000-4000-8000-000000000200"
    public static let organizationScheme = "https://thaw.health/organization"

    public static func needTermId(_ category: NeedCategory) -> String {
        let index = NeedCategory.allCases.firstIndex(of: category) ?? 0
        return "7a6e1e0d-0000-4000-8000-0000000001" + hex2(index + 1)
    }

    public static func capacityTermId(_ capacity: Capacity) -> String {
        let index = Capacity.allCases.firstIndex(of: capacity) ?? 0
        return "7a6e1e0d-0000-4000-8000-0000000002" + hex2(index + 1)
    }

    public static func need(termId: String) -> NeedCategory? { NeedCategory.allCases.first { needTermId($0) == termId } }
    public static func capacity(termId: String) -> Capacity? { Capacity.allCases.first { capacityTermId($0) == termId } }

    private static func hex2(_ n: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[(n / 16) % 16], digits[n % 16]])
    }

    /// The taxonomies and their terms, as records every Thaw directory holds.
    public static var records: [HSDSRecord] {
        var records = [
            HSDSRecord(
                entity: "taxonomy", id: needTaxonomyId,
                fields: [
                    "name": .text("Thaw need domains"),
                    "description": .text("The ten social-need domains Thaw screens for and services address"),
                    "uri": .text("https://thaw.health/taxonomy/need-domains"), "version": .text("1")
                ]),
            HSDSRecord(
                entity: "taxonomy", id: capacityTaxonomyId,
                fields: [
                    "name": .text("Thaw service capacity"), "description": .text("Whether a service takes new referrals now"),
                    "uri": .text("https://thaw.health/taxonomy/capacity"), "version": .text("1")
                ])
        ]
        for category in NeedCategory.allCases {
            records.append(
                HSDSRecord(
                    entity: "taxonomy_term", id: needTermId(category),
                    fields: [
                        "code": .text(category.rawValue), "name": .text(category.title), "description": .text(category.title),
                        "taxonomy": .text("Thaw need domains"), "taxonomy_id": .text(needTaxonomyId), "language": .text("en")
                    ]))
        }
        for capacity in Capacity.allCases {
            records.append(
                HSDSRecord(
                    entity: "taxonomy_term", id: capacityTermId(capacity),
                    fields: [
                        "code": .text(capacity.rawValue), "name": .text(capacity.title),
                        "description": .text(capacity.meaning), "taxonomy": .text("Thaw service capacity"),
                        "taxonomy_id": .text(capacityTaxonomyId), "language": .text("en")
                    ]))
        }
        return records
    }
}

extension Capacity {
    public var title: String {
        switch self {
        case .accepting: "Accepting"
        case .waitlist: "Waitlist"
        case .closed: "Closed"
        }
    }

    public var meaning: String {
        switch self {
        case .accepting: "Taking new referrals now"
        case .waitlist: "Taking referrals onto a waiting list"
        case .closed: "Not taking new referrals"
        }
    }
}

/// A name made into an id: the same name, the same UUID (FNV-1a, twice over). For the records
/// Thaw derives from its own (a service's attributes), so writing them again changes nothing.
public enum DerivedUUID {
    public static func make(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
        let high = fnv(0xcbf2_9ce4_8422_2325), low = fnv(0x8422_2325_cbf2_9ce4)
        let digits = Array("0123456789abcdef")
        var hex = ""
        for value in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) { hex.append(digits[Int((value >> UInt64(shift)) & 0xf)]) }
        }
        var chars = Array(hex)
        chars[12] = "5"  // the version nibble: a name-based id
        chars[16] = digits[(Int(String(chars[16]), radix: 16) ?? 0) & 0x3 | 0x8]  // the variant
        let s = String(chars)
        func part(_ from: Int, _ to: Int) -> String { String(s[s.index(s.startIndex, offsetBy: from)..<s.index(s.startIndex, offsetBy: to)]) }
        return [part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32)].joined(separator: "-")
    }
}
