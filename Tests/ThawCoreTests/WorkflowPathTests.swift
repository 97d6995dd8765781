import Testing
@testable import ThawCore

/// The moves a referral here takes to follow one moved elsewhere several steps at a time.
@Suite struct WorkflowPathTests {
    @Test func followsTheShortestRunOfAllowedMoves() {
        #expect(ReferralWorkflow.path(from: .requested, to: .accepted) == [.accepted])
        #expect(ReferralWorkflow.path(from: .requested, to: .completed) == [.accepted, .completed])
        #expect(ReferralWorkflow.path(from: .requested, to: .inProgress) == [.accepted, .inProgress])
        #expect(ReferralWorkflow.path(from: .onHold, to: .inProgress) == [.inProgress])
        #expect(ReferralWorkflow.path(from: .completed, to: .inProgress).isEmpty)
        #expect(ReferralWorkflow.path(from: .accepted, to: .accepted).isEmpty)
        for (from, to) in [(TaskStatus.requested, TaskStatus.failed), (.draft, .completed), (.accepted, .onHold)] {
            let route = ReferralWorkflow.path(from: from, to: to)
            #expect(route.last == to)
            var at = from
            for step in route {
                #expect(ReferralWorkflow.isAllowed(from: at, to: step), "\(at) → \(step)")
                at = step
            }
        }
    }
}
