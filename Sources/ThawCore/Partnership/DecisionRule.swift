/// How a committee decides. Each member organisation has one vote.
public enum DecisionRule: String, Codable, Sendable, CaseIterable {
    /// Passes if at least one member approves and none rejects (abstaining is standing aside).
    case consensus
    /// Passes if more member organisations approve than reject, of those voting; a tie fails.
    case simpleMajority = "simple-majority"
    /// Shared governance with equal authority: passes only if, in every sector on the
    /// committee, a majority of that sector's member organisations approve. A sector
    /// whose members are absent or split evenly blocks the decision.
    case sectorParity = "sector-parity"
}

public enum VoteChoice: String, Codable, Sendable, CaseIterable {
    case approve, reject, abstain
}

/// The count behind a decision, kept with it in the decision log.
public struct DecisionTally: Codable, Sendable, Equatable {
    public var passed: Bool
    public var approve: Int
    public var reject: Int
    public var abstain: Int
    /// Member organisations that cast no vote.
    public var absent: Int
    /// Per sector, for sector parity: approvals out of the sector's members.
    public var sectors: [String: SectorCount]
    /// Why it passed or failed, in words for the decision log.
    public var explanation: String

    public struct SectorCount: Codable, Sendable, Equatable {
        public var members: Int
        public var approve: Int
        public init(members: Int, approve: Int) { self.members = members; self.approve = approve }
    }

    /// Counts the votes of `members` (organisation → sector) under `rule`.
    /// A vote from outside the membership is the caller's error, checked before.
    /// Quorum is the number of member organisations that must have voted
    /// (abstentions count as present).
    public static func count<Org: Hashable>(
        rule: DecisionRule, members: [Org: Sector], votes: [Org: VoteChoice],
        quorum: Int
    ) throws -> DecisionTally {
        let cast = votes.filter { members[$0.key] != nil }
        guard cast.count >= quorum else {
            throw ThawError.unprocessable(
                "quorum", "not-met",
                "\(cast.count) of the \(members.count) member organisations voted; this committee's quorum is \(quorum)")
        }
        let approve = cast.values.filter { $0 == .approve }.count
        let reject = cast.values.filter { $0 == .reject }.count
        let abstain = cast.values.filter { $0 == .abstain }.count
        var tally = DecisionTally(
            passed: false, approve: approve, reject: reject, abstain: abstain,
            absent: members.count - cast.count, sectors: [:], explanation: "")
        switch rule {
        case .consensus:
            tally.passed = reject == 0 && approve > 0
            tally.explanation =
                reject > 0
                ? "no consensus: \(reject) member organisation(s) rejected"
                : approve == 0 ? "no consensus: nobody approved" : "consensus: \(approve) approved, none rejected"
        case .simpleMajority:
            tally.passed = approve > reject
            tally.explanation =
                approve > reject
                ? "majority: \(approve) for, \(reject) against"
                : approve == reject ? "tie: \(approve) for, \(reject) against" : "rejected: \(approve) for, \(reject) against"
        case .sectorParity:
            var bySector: [Sector: SectorCount] = [:]
            for (org, sector) in members {
                bySector[sector, default: SectorCount(members: 0, approve: 0)].members += 1
                if cast[org] == .approve { bySector[sector]!.approve += 1 }
            }
            tally.sectors = Dictionary(uniqueKeysWithValues: bySector.map { ($0.key.rawValue, $0.value) })
            let blocking = bySector.filter { $0.value.approve * 2 <= $0.value.members }.keys.map(\.rawValue).sorted()
            tally.passed = !bySector.isEmpty && blocking.isEmpty
            tally.explanation =
                blocking.isEmpty
                ? "a majority of the members of every sector approved"
                : "no majority of members approved in: " + blocking.joined(separator: ", ")
        }
        return tally
    }
}
