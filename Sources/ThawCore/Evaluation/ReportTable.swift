/// One table of the evaluation report, as the page draws it, the API returns it and the
/// CSV writes it: the same cells everywhere, already suppressed.
public struct ReportTable: Codable, Sendable, Equatable {
    public enum Section: String, Codable, Sendable, CaseIterable {
        case headline
        case populationHealth = "population-health"
        case patientExperience = "patient-experience"
        case providerExperience = "provider-experience"
        case costAndEffort = "cost-and-effort"
        case loop
    }

    public struct Column: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case label  // a name: a domain, a partner, a month
            case count  // a whole number of people or events, hidden below the threshold
            case rate  // a share from 0 to 1
            case hours, days  // a median or 90th percentile of a duration
            case score  // a mean on a survey item's scale
            case money  // in the currency's main unit
        }
        public var name: String
        public var kind: Kind
        /// True for a figure of the previous period, drawn beside the current one.
        public var previous: Bool
        public init(_ name: String, _ kind: Kind, previous: Bool = false) { self.name = name; self.kind = kind; self.previous = previous }
    }

    /// A cell: a label, a number, or nothing. `hidden` is a figure withheld because too few
    /// people are behind it; `none` is one that does not exist (no referral was closed, so no median).
    public enum Cell: Codable, Sendable, Equatable {
        case label(String)
        case number(Double)
        case hidden
        case none

        public var value: Double? { if case .number(let v) = self { return v }; return nil }
        public var isHidden: Bool { self == .hidden }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .none
            } else if let v = try? c.decode(Double.self) {
                self = .number(v)
            } else {
                let text = try c.decode(String.self)
                self = text == Self.hiddenMark ? .hidden : .label(text)
            }
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .label(let text): try c.encode(text)
            case .number(let v): try c.encode(v)
            case .hidden: try c.encode(Self.hiddenMark)
            case .none: try c.encodeNil()
            }
        }
        /// How a hidden figure appears in JSON: a string where a number would be.
        public static let hiddenMark = "suppressed"
    }

    public var id: String
    public var title: String
    public var section: Section
    /// What the figures mean, in a sentence a funder reads.
    public var note: String
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(id: String, title: String, section: Section, note: String, columns: [Column], rows: [[Cell]]) {
        self.id = id; self.title = title; self.section = section; self.note = note; self.columns = columns; self.rows = rows
    }
}
