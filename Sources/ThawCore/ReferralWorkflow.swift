/// The referral state machine of DESIGN.md, exactly: which status may follow
/// which, which side may set it, and what must accompany it.
public enum ReferralWorkflow {
    /// Every allowed move, apart from "any → entered-in-error".
    static let moves: [TaskStatus: Set<TaskStatus>] = [
        .draft: [.requested],
        .requested: [.accepted, .rejected, .cancelled],
        .accepted: [.inProgress, .onHold, .cancelled, .completed, .failed],
        .inProgress: [.onHold, .completed, .failed, .cancelled],
        .onHold: [.inProgress, .cancelled, .completed, .failed]
    ]

    /// The shortest run of moves from one status to another (empty when there is none, or none is
    /// needed): how a referral here follows one whose steps were taken elsewhere several at a time.
    public static func path(from start: TaskStatus, to goal: TaskStatus) -> [TaskStatus] {
        guard start != goal else { return [] }
        if isAllowed(from: start, to: goal) { return [goal] }
        var previous: [TaskStatus: TaskStatus] = [:]
        var frontier = [start]
        while !frontier.isEmpty {
            var next: [TaskStatus] = []
            for status in frontier {
                for step in (moves[status] ?? []).sorted(by: { $0.rawValue < $1.rawValue }) where step != start && previous[step] == nil {
                    previous[step] = status
                    if step == goal {
                        var route = [goal]
                        while let before = previous[route[0]], before != start { route.insert(before, at: 0) }
                        return route
                    }
                    next.append(step)
                }
            }
            frontier = next
        }
        return []
    }

    public static func isAllowed(from: TaskStatus, to: TaskStatus) -> Bool {
        if to == .enteredInError { return from != .enteredInError }
        return moves[from]?.contains(to) ?? false
    }

    /// The statuses a side may set; `cancelled` belongs to both.
    public static func sides(allowedToSet status: TaskStatus) -> Set<ReferralSide> {
        switch status {
        case .draft, .requested, .enteredInError: return [.requester]
        case .accepted, .rejected, .inProgress, .onHold, .completed, .failed: return [.performer]
        case .cancelled: return [.requester, .performer]
        }
    }

    public static func requiresReason(_ status: TaskStatus) -> Bool {
        [.rejected, .cancelled, .onHold, .failed].contains(status)
    }

    /// Checks a proposed move and throws the domain error that names what is wrong.
    public static func check(
        from: TaskStatus, to: TaskStatus, by side: ReferralSide,
        reason: String?, outcome: ReferralOutcome?
    ) throws {
        guard from != to else {
            throw ThawError.conflict(code: "illegal-transition", message: "the referral is already \(to.rawValue)", field: "status")
        }
        guard isAllowed(from: from, to: to) else {
            throw ThawError.conflict(
                code: "illegal-transition",
                message: "a referral cannot move from \(from.rawValue) to \(to.rawValue)", field: "status")
        }
        guard sides(allowedToSet: to).contains(side) else {
            let owner = to == .requested || to == .draft || to == .enteredInError ? "referring" : "receiving"
            throw ThawError.forbidden("only the \(owner) organisation may set \(to.rawValue)", field: "status")
        }
        var v = Validator()
        if requiresReason(to) {
            v.requireText(reason, "reason")
        } else {
            v.limitText(reason, "reason")
        }
        if to == .completed {
            v.require(outcome != nil, "outcome", "required", "completing a referral requires an outcome")
            if let outcome { v.requireText(outcome.summary, "outcome.summary") }
        } else {
            v.require(outcome == nil, "outcome", "not-allowed", "an outcome is given only when completing")
        }
        try v.check()
    }
}

/// What came of a completed referral (closing the loop).
public struct ReferralOutcome: Codable, Sendable, Equatable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        case needMet = "need-met"
        case needPartiallyMet = "need-partially-met"
        case serviceProvided = "service-provided"
        case needNotMet = "need-not-met"
    }
    public var code: Code
    public var summary: String
    public init(code: Code, summary: String) { self.code = code; self.summary = summary }
}

/// Our own finer steps within a status (Task.businessStatus).
public enum BusinessStatus: String, Codable, Sendable, CaseIterable {
    case contacted
    case unableToContact = "unable-to-contact"
    case eligibilityConfirmed = "eligibility-confirmed"
    case waitlisted
    case appointmentScheduled = "appointment-scheduled"
    case enrolled
    case serviceStarted = "service-started"

    /// A business step is reported by the receiving side while it is working the referral.
    public static func check(_ step: BusinessStatus, status: TaskStatus, side: ReferralSide) throws {
        guard side == .performer else {
            throw ThawError.forbidden("only the receiving organisation reports business steps", field: "step")
        }
        guard status.isActive else {
            throw ThawError.conflict(
                code: "illegal-business-status",
                message: "business steps are reported while a referral is accepted, in progress or on hold, not \(status.rawValue)",
                field: "step")
        }
    }
}

public enum Priority: String, Codable, Sendable, CaseIterable {
    case routine, urgent, asap, stat

    /// How long the receiving side has to first respond, if the referrer sets no date.
    public var defaultFirstResponseSeconds: Int64 {
        switch self {
        case .stat: return 4 * 3600
        case .asap: return 24 * 3600
        case .urgent: return 2 * 86_400
        case .routine: return 5 * 86_400
        }
    }
}
