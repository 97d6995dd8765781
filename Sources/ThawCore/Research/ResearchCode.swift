/// The research's practices of integration, as a codebook a qualitative researcher starts
/// from: the practices the Alberta and Ontario interviews found warming or cooling a
/// partnership, grouped as the research groups them.
public enum ResearchCode: String, Codable, Sendable, CaseIterable {
    case signalsStaffing = "signals-staffing"
    case signalsResources = "signals-resources"
    case personalCommitment = "personal-commitment"
    case groupCommitment = "group-commitment"
    case followingThrough = "following-through"
    case persevering
    case bidirectionalCommunication = "bidirectional-communication"
    case formalChannel = "formal-channel"
    case informalChannel = "informal-channel"
    case removingIntermediaries = "removing-intermediaries"
    case surprise
    case freeze
    case thaw

    public var title: String {
        switch self {
        case .signalsStaffing: "Signals through staffing"
        case .signalsResources: "Signals through resources"
        case .personalCommitment: "Personal commitment"
        case .groupCommitment: "Group commitment"
        case .followingThrough: "Following through"
        case .persevering: "Persevering"
        case .bidirectionalCommunication: "Bi-directional communication"
        case .formalChannel: "Formal channel"
        case .informalChannel: "Informal channel"
        case .removingIntermediaries: "Removing intermediaries"
        case .surprise: "Surprise"
        case .freeze: "Freeze"
        case .thaw: "Thaw"
        }
    }

    /// The practice as the research describes it, for the codebook's description.
    public var meaning: String {
        switch self {
        case .signalsStaffing: "An organisation creates, fills or lends a position for the partnership's work, showing it values the partnership."
        case .signalsResources: "An organisation puts money, equipment or space into the shared work."
        case .personalCommitment: "A named person undertakes to do something for a partner."
        case .groupCommitment: "A committee or organisation undertakes something together, on the record."
        case .followingThrough: "What was undertaken is done, and the partner confirms it."
        case .persevering: "A proposal that failed or stalled is brought back rather than dropped."
        case .bidirectionalCommunication: "A partner's input is answered, point by point, rather than only received."
        case .formalChannel: "Committees, meetings, motions and consultations under shared governance."
        case .informalChannel: "Direct conversation between people of partner organisations, outside meetings."
        case .removingIntermediaries: "People of partner organisations deal with each other directly instead of through a third party."
        case .surprise: "A change that affects partners, announced with less notice than they expect, or after it took effect."
        case .freeze: "A period in which the partnership's climate fell and stayed low."
        case .thaw: "A period in which the partnership's climate rose again."
        }
    }

    /// The group the code sits under in the codebook.
    public var group: String {
        switch self {
        case .signalsStaffing, .signalsResources: "Signalling value"
        case .personalCommitment, .groupCommitment, .followingThrough, .persevering: "Commitment"
        case .bidirectionalCommunication, .formalChannel, .informalChannel, .removingIntermediaries: "Communication"
        case .surprise, .freeze, .thaw: "Climate"
        }
    }

    /// A colour per group, as RGB, so the codes read apart in the researcher's tool.
    public var colour: String {
        switch group {
        case "Signalling value": "#2B6CB0"
        case "Commitment": "#2F855A"
        case "Communication": "#B7791F"
        default: "#6B46C1"
        }
    }

    public static let groups = ["Signalling value", "Commitment", "Communication", "Climate"]
}

/// One piece of the partnership's qualitative record as a researcher receives it: a text with
/// its date, the organisations involved and the channel, and the practices the record already
/// says it enacts.
public struct ResearchSource: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case minutes, motion, consultation, feedback, signal, commitment
        case outsideEvent = "outside-event"
        case policyMove = "policy-move"
        case message
        /// A freeze or thaw the climate found in a pair's record.
        case climateChange = "climate-change"
    }
    /// `kind/id` of the record in Thaw: what an imported coding is attached to.
    public var subject: String
    public var kind: Kind
    public var name: String
    public var text: String
    public var day: CalendarDate
    /// The organisations involved, by id, and by name as the export writes them.
    public var organizationIds: [String]
    public var organizations: [String] = []
    public var channel: Channel
    public var codes: [ResearchCode]
    /// Committee the record belongs to, if any (for the committee's timeline).
    public var committeeId: String?

    public init(
        subject: String, kind: Kind, name: String, text: String, day: CalendarDate, organizationIds: [String], channel: Channel,
        codes: [ResearchCode], committeeId: String? = nil
    ) {
        self.subject = subject; self.kind = kind; self.name = name; self.text = text; self.day = day; self.organizationIds = organizationIds
        self.channel = channel; self.codes = codes; self.committeeId = committeeId
    }
}

extension ResearchSource {
    /// A freeze or thaw's subject, `climate/<lo>|<hi>|<start>|<direction>`. It names everything a
    /// coding on it needs: the climate finds its changes afresh for each period it reads, so a later
    /// reading over other months may not find this one again.
    public static func climateSubject(_ lo: String, _ hi: String, start: CalendarDate, direction: FreezeThaw.Direction) -> String {
        "climate/\(lo)|\(hi)|\(start)|\(direction.rawValue)"
    }

    /// The freeze or thaw a climate subject names, with the text it was exported with; nil for any
    /// other subject.
    public init?(climateSubject subject: String, text: String) {
        guard subject.hasPrefix("climate/") else { return nil }
        let parts = subject.dropFirst("climate/".count).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, let start = CalendarDate(parts[2]), let direction = FreezeThaw.Direction(rawValue: parts[3]),
            parts[..<2].allSatisfy({ $0.hasPrefix("org_") && $0.count <= 64 })
        else { return nil }
        self.init(
            subject: subject, kind: .climateChange, name: subject, text: text, day: start, organizationIds: [parts[0], parts[1]], channel: .system,
            codes: [direction == .freeze ? .freeze : .thaw])
    }
}
