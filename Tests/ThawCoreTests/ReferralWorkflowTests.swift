import Testing
@testable import ThawCore

/// The state machine of DESIGN.md written out a second time, by hand, as the
/// oracle: every pair of statuses is checked against it.
private let allowed: Set<String> = [
    "draft>requested",
    "requested>accepted", "requested>rejected", "requested>cancelled",
    "accepted>in-progress", "accepted>on-hold", "accepted>cancelled", "accepted>completed", "accepted>failed",
    "in-progress>on-hold", "in-progress>completed", "in-progress>failed", "in-progress>cancelled",
    "on-hold>in-progress", "on-hold>cancelled", "on-hold>completed", "on-hold>failed"
]

private func expectedAllowed(_ from: TaskStatus, _ to: TaskStatus) -> Bool {
    if to == .enteredInError { return from != .enteredInError }
    return allowed.contains("\(from.rawValue)>\(to.rawValue)")
}

private let requesterSets: Set<TaskStatus> = [.draft, .requested, .enteredInError, .cancelled]
private let performerSets: Set<TaskStatus> = [.accepted, .rejected, .inProgress, .onHold, .completed, .failed, .cancelled]

@Suite struct ReferralWorkflowTests {
    @Test(arguments: TaskStatus.allCases)
    func everyTransitionFromStatusMatchesTheDesign(from: TaskStatus) {
        for to in TaskStatus.allCases {
            #expect(ReferralWorkflow.isAllowed(from: from, to: to) == expectedAllowed(from, to), "\(from.rawValue) -> \(to.rawValue)")
        }
    }

    @Test(arguments: TaskStatus.allCases)
    func onlyTheRightSideMaySetEachStatus(to: TaskStatus) {
        #expect(ReferralWorkflow.sides(allowedToSet: to).contains(.requester) == requesterSets.contains(to))
        #expect(ReferralWorkflow.sides(allowedToSet: to).contains(.performer) == performerSets.contains(to))
    }

    @Test func checkAcceptsEveryAllowedMoveBySideWithWhatItNeeds() throws {
        var accepted = 0
        for from in TaskStatus.allCases {
            for to in TaskStatus.allCases {
                for side in [ReferralSide.requester, .performer] {
                    let outcome = to == .completed ? ReferralOutcome(code: .needMet, summary: "Housed") : nil
                    let reason = ReferralWorkflow.requiresReason(to) ? "because" : nil
                    let ok = (try? ReferralWorkflow.check(from: from, to: to, by: side, reason: reason, outcome: outcome)) != nil
                    let expected =
                        from != to && expectedAllowed(from, to)
                        && (side == .requester ? requesterSets : performerSets).contains(to)
                    #expect(ok == expected, "\(from.rawValue) -> \(to.rawValue) by \(side.rawValue)")
                    if ok { accepted += 1 }
                }
            }
        }
        #expect(accepted > 20)
    }

    @Test(arguments: [TaskStatus.rejected, .cancelled, .onHold, .failed])
    func statusesThatNeedAReasonRefuseBlankOnes(status: TaskStatus) {
        let from: TaskStatus = status == .rejected ? .requested : .accepted
        for reason in [nil, "", "   "] as [String?] {
            #expect(throws: ThawError.self) {
                try ReferralWorkflow.check(from: from, to: status, by: .performer, reason: reason, outcome: nil)
            }
        }
        do {
            try ReferralWorkflow.check(from: from, to: status, by: .performer, reason: nil, outcome: nil)
        } catch let ThawError.unprocessable(violations) {
            #expect(violations.map(\.field) == ["reason"])
            #expect(violations.map(\.rule) == ["required"])
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func completingNeedsAnOutcomeWithASummary() {
        #expect(throws: ThawError.self) { try ReferralWorkflow.check(from: .inProgress, to: .completed, by: .performer, reason: nil, outcome: nil) }
        #expect(throws: ThawError.self) {
            try ReferralWorkflow.check(
                from: .inProgress, to: .completed, by: .performer, reason: nil,
                outcome: ReferralOutcome(code: .needMet, summary: " "))
        }
        #expect(throws: ThawError.self) {
            try ReferralWorkflow.check(
                from: .accepted, to: .inProgress, by: .performer, reason: nil,
                outcome: ReferralOutcome(code: .needMet, summary: "not now"))
        }
    }

    @Test func wrongSideIsForbiddenAndIllegalMoveIsAConflict() {
        #expect(throws: ThawError.forbidden("only the receiving organisation may set accepted", field: "status")) {
            try ReferralWorkflow.check(from: .requested, to: .accepted, by: .requester, reason: nil, outcome: nil)
        }
        #expect(
            throws: ThawError.conflict(code: "illegal-transition", message: "a referral cannot move from completed to in-progress", field: "status")
        ) {
            try ReferralWorkflow.check(from: .completed, to: .inProgress, by: .performer, reason: nil, outcome: nil)
        }
    }

    @Test func businessStepsOnlyWhileWorkingAndOnlyByTheReceiver() {
        #expect(throws: Never.self) { try BusinessStatus.check(.contacted, status: .accepted, side: .performer) }
        #expect(throws: ThawError.self) { try BusinessStatus.check(.contacted, status: .accepted, side: .requester) }
        #expect(throws: ThawError.self) { try BusinessStatus.check(.enrolled, status: .requested, side: .performer) }
        #expect(throws: ThawError.self) { try BusinessStatus.check(.enrolled, status: .completed, side: .performer) }
    }
}
