/// What one ledger entry adds to the climate of a pair of organisations on
/// one day. Pure and per entry, so the stored aggregates can be updated at a
/// constant cost as entries arrive and rebuilt from the ledger exactly.
public struct PairCounts: Codable, Sendable, Equatable {
    /// Exchanges (referrals, messages, feedback) from the pair's first organisation to its second, and back.
    public var loToHi = 0, hiToLo = 0
    public var formal = 0, informal = 0, referral = 0
    public var kept = 0, missed = 0
    public var adopted = 0, answered = 0
    /// Items that needed an answer: answered in time, and answered late or left overdue.
    public var onTime = 0, late = 0
    public init() {}

    public static func + (a: PairCounts, b: PairCounts) -> PairCounts {
        var c = a
        c.loToHi += b.loToHi; c.hiToLo += b.hiToLo; c.formal += b.formal; c.informal += b.informal; c.referral += b.referral
        c.kept += b.kept; c.missed += b.missed; c.adopted += b.adopted; c.answered += b.answered
        c.onTime += b.onTime; c.late += b.late
        return c
    }
    public var interactions: Int { formal + informal + referral }
}

public enum ClimateLedger {
    /// Kinds that count as one organisation addressing the other, for reciprocity.
    public static let exchanges: Set<String> = [
        "referral.created", "referral.message-sent", "thread.message", "consultation.feedback",
        "consultation.answered", "signal.sent", "signal.acknowledged"
    ]

    /// Written by the deadline sweep when a referral's first response is overdue.
    public static let overdueKind = "referral.response-overdue"
    public static let keptKind = "commitment.kept", missedKind = "commitment.missed", answeredKind = "consultation.answered"
    /// Answers to consultation feedback that count as open to it.
    public static let takenUp = ["adopted", "adapted"]

    /// The pair (ordered by id so each pair has one row), the day, and the counts an entry adds;
    /// nil for entries inside one organisation or without a counterpart.
    public static func contribution(
        kind: String, channel: Channel, detail: [String: String], actor: String, counterpart: String?,
        at: Timestamp
    ) -> (lo: String, hi: String, day: CalendarDate, counts: PairCounts)? {
        guard let counterpart, counterpart != actor else { return nil }
        let (lo, hi) = actor < counterpart ? (actor, counterpart) : (counterpart, actor)
        guard
            let counts = KindRule(kind).counts(
                channel: channel, actorIsLo: actor == lo, response: detail["response"],
                timeliness: detail[ResponseTiming.detailKey])
        else { return nil }
        return (lo, hi, CalendarDate(at), counts)
    }

    /// What an entry's kind means for the climate, decided once per kind (the
    /// rebuild meets a handful of kinds ten million times).
    public struct KindRule: Sendable {
        public let isOverdue: Bool, isExchange: Bool, isKept: Bool, isMissed: Bool, isAnswered: Bool

        public init(_ kind: String) {
            isOverdue = kind == ClimateLedger.overdueKind
            isExchange = ClimateLedger.exchanges.contains(kind)
            isKept = kind == ClimateLedger.keptKind
            isMissed = kind == ClimateLedger.missedKind
            isAnswered = kind == ClimateLedger.answeredKind
        }

        /// Whether the entry's detail matters: its `response` (answers) or `timeliness`.
        public var readsResponse: Bool { isAnswered }

        /// The counts an entry of this kind adds to its pair, given the detail values that matter;
        /// nil when it adds nothing (system entries other than the sweep's).
        public func counts(channel: Channel, actorIsLo: Bool, response: String?, timeliness: String?) -> PairCounts? {
            var counts = PairCounts()
            // The sweep's record of an unanswered item is not contact between the two: it only counts against responsiveness.
            if isOverdue {
                counts.late = 1
                return counts
            }
            switch channel {
            case .formal: counts.formal = 1
            case .informal: counts.informal = 1
            case .referral: counts.referral = 1
            case .system: return nil
            }
            if isExchange {
                if actorIsLo { counts.loToHi = 1 } else { counts.hiToLo = 1 }
            }
            if isKept { counts.kept = 1 }
            if isMissed { counts.missed = 1 }
            if isAnswered {
                counts.answered = 1
                if let response, takenUp.contains(response) { counts.adopted = 1 }
            }
            switch timeliness {
            case ResponseTiming.onTime?: counts.onTime = 1
            case ResponseTiming.late?: counts.late = 1
            default: break
            }
            return counts
        }
    }
}
