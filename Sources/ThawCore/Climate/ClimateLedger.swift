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
    /// Policy moves that affect the other organisation: told with the agreed notice, and told late or after the fact.
    public var noticed = 0, surprised = 0
    public init() {}

    public static func + (a: PairCounts, b: PairCounts) -> PairCounts {
        var c = a
        c.loToHi += b.loToHi; c.hiToLo += b.hiToLo; c.formal += b.formal; c.informal += b.informal; c.referral += b.referral
        c.kept += b.kept; c.missed += b.missed; c.adopted += b.adopted; c.answered += b.answered
        c.onTime += b.onTime; c.late += b.late; c.noticed += b.noticed; c.surprised += b.surprised
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
    /// Written by the deadline sweep when an accepted referral passes its follow-up date without an outcome.
    public static let loopLapsedKind = "referral.loop-lapsed"
    public static let keptKind = "commitment.kept", missedKind = "commitment.missed", answeredKind = "consultation.answered"
    /// A referral's status change; the one to `completed` (which needs an outcome) closes the loop.
    public static let statusChangedKind = "referral.status-changed"
    /// An organisation leaving a committee in protest: a group commitment broken with every member left at the table.
    public static let walkOutKind = "committee.walked-out"
    /// A policy move announced to the organisations it affects; its detail says whether with notice.
    public static let policyMoveKind = "policy.move"
    /// Committee work: a motion put, a vote cast, a motion decided. Each reaches the committee's other
    /// current members (named in the entry's `with`).
    public static let committeeKinds: Set<String> = ["decision.proposed", "decision.vote", "decision.passed", "decision.failed", revivedKind]
    /// A motion that failed before, brought back (perseverance): reaches the members like any motion.
    public static let revivedKind = "decision.revived"
    /// A meeting: the organisations that attended (its `organizations`) met one another.
    public static let meetingKind = "meeting.held"
    /// Answers to consultation feedback that count as open to it.
    public static let takenUp = ["adopted", "adapted"]

    /// One pair's share of an entry: the pair (ordered by id so each pair has one row), the day, and the counts.
    public struct PairContribution: Equatable, Sendable {
        public var lo: String, hi: String, day: CalendarDate, counts: PairCounts
        /// Whether the entry's author belongs to one of the two (so counts among the pair's people).
        public var byMember: Bool
    }

    /// The pairs an entry counts for and what it adds to each; empty for entries inside one
    /// organisation, without another party, or of a kind the climate does not count.
    ///
    /// Most entries have one counterpart. Committee work reaches several: a vote or a motion
    /// addresses every other member named in its `with`, a walk-out breaks with each of them, a
    /// policy move reaches each organisation it affects, and at a meeting every two organisations
    /// that attended (its `organizations`) met each other.
    public static func contributions(
        kind: String, channel: Channel, detail: [String: String], actor: String, counterpart: String?,
        at: Timestamp
    ) -> [PairContribution] {
        let rule = KindRule(kind)
        let value = rule.valueKey.flatMap { detail[$0] }, timeliness = detail[ResponseTiming.detailKey]
        let parties = Parties(rule: rule, actor: actor, counterpart: counterpart, listed: rule.partiesKey.flatMap { detail[$0] })
        let day = CalendarDate(at)
        return parties.pairs.compactMap { a, b in
            let (lo, hi) = a < b ? (a, b) : (b, a)
            let fromActor = a == actor
            guard
                let counts = rule.counts(
                    channel: channel, actorIsLo: actor == lo, fromActor: fromActor, value: value, timeliness: timeliness)
            else { return nil }
            return PairContribution(lo: lo, hi: hi, day: day, counts: counts, byMember: fromActor)
        }
    }

    /// The pairs an entry brings into contact, each named with the actor first when it is one of them.
    public struct Parties {
        public var pairs: [(String, String)] = []

        public init(rule: KindRule, actor: String, counterpart: String?, listed: String?) {
            let counterpart = counterpart == actor ? nil : counterpart
            if let counterpart { pairs.append((actor, counterpart)) }
            let names = listed.map { Self.names($0) } ?? []
            if rule.partiesMeet {
                // Every two organisations present met; the actor (who recorded it) only if present.
                for (i, a) in names.enumerated() {
                    for b in names[(i + 1)...] { pairs.append(b == actor ? (b, a) : (a, b)) }
                }
            } else {
                for name in names where name != actor && name != counterpart { pairs.append((actor, name)) }
            }
        }

        /// A comma-separated list of organisation ids, each once, in order.
        public static func names(_ list: String) -> [String] {
            var seen: Set<Substring> = [], out: [String] = []
            for name in list.split(separator: ",") where seen.insert(name).inserted { out.append(String(name)) }
            return out
        }
    }

    /// What an entry's kind means for the climate, decided once per kind (the
    /// rebuild meets a handful of kinds ten million times).
    public struct KindRule: Sendable {
        public let isOverdue: Bool, isExchange: Bool, isKept: Bool, isMissed: Bool, isAnswered: Bool
        public let isLoopLapsed: Bool, isStatusChange: Bool, isWalkOut: Bool, isPolicyMove: Bool
        /// The detail key whose value decides the counts (`response` of an answer, `to` of a status change, `notice` of a policy move).
        public let valueKey: String?
        /// The detail key listing the other organisations involved, and whether they all met one another (a meeting)
        /// rather than each being addressed by the actor.
        public let partiesKey: String?, partiesMeet: Bool

        public init(_ kind: String) {
            isOverdue = kind == ClimateLedger.overdueKind
            isExchange = ClimateLedger.exchanges.contains(kind)
            isKept = kind == ClimateLedger.keptKind
            isMissed = kind == ClimateLedger.missedKind
            isAnswered = kind == ClimateLedger.answeredKind
            isLoopLapsed = kind == ClimateLedger.loopLapsedKind
            isStatusChange = kind == ClimateLedger.statusChangedKind
            isWalkOut = kind == ClimateLedger.walkOutKind
            isPolicyMove = kind == ClimateLedger.policyMoveKind
            valueKey = isAnswered ? "response" : isStatusChange ? "to" : isPolicyMove ? PolicyNotice.detailKey : nil
            partiesMeet = kind == ClimateLedger.meetingKind
            partiesKey =
                partiesMeet ? "organizations" : (ClimateLedger.committeeKinds.contains(kind) || isWalkOut || isPolicyMove) ? "with" : nil
        }

        /// Entries of this kind count though written on the system channel (the deadline sweep's records).
        public var countsOnSystemChannel: Bool { isOverdue || isLoopLapsed }

        /// The counts an entry of this kind adds to one pair it involves, given the detail values that matter;
        /// nil when it adds nothing (system entries other than the sweep's). `fromActor`: the pair includes the
        /// entry's actor (at a meeting, two other organisations present are a pair too).
        public func counts(channel: Channel, actorIsLo: Bool, fromActor: Bool = true, value: String?, timeliness: String?) -> PairCounts? {
            var counts = PairCounts()
            // The sweep's records of an unanswered item or a lapsed loop are not contact between the two: they
            // only count against responsiveness and follow-through. A walk-out ends contact, it is not contact.
            if isOverdue {
                counts.late = 1
                return counts
            }
            if isLoopLapsed {
                counts.missed = 1
                return counts
            }
            switch channel {
            case .formal: counts.formal = 1
            case .informal: counts.informal = 1
            case .referral: counts.referral = 1
            case .system: return nil
            }
            if isWalkOut {
                counts = PairCounts()
                counts.missed = 1
                return counts
            }
            if isExchange, fromActor {
                if actorIsLo { counts.loToHi = 1 } else { counts.hiToLo = 1 }
            }
            if isKept { counts.kept = 1 }
            if isMissed { counts.missed = 1 }
            if isAnswered {
                counts.answered = 1
                if let value, takenUp.contains(value) { counts.adopted = 1 }
            }
            // A referral completed (with its outcome) is the loop closed: a promise kept to the referring organisation.
            if isStatusChange, value == "completed" { counts.kept = 1 }
            if isPolicyMove {
                if value == PolicyNotice.advance { counts.noticed = 1 } else { counts.surprised = 1 }
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
