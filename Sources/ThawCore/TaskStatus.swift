/// FHIR Task.status as the SDOH Clinical Care IG uses it for a referral's `fulfill` Task.
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case requested
    case accepted
    case rejected
    case cancelled
    case inProgress = "in-progress"
    case onHold = "on-hold"
    case completed
    case failed
    case enteredInError = "entered-in-error"

    public var isTerminal: Bool {
        switch self {
        case .rejected, .cancelled, .completed, .failed, .enteredInError: return true
        default: return false
        }
    }

    /// Active work on the partner's side: the loop is open and someone owns it.
    public var isActive: Bool { self == .accepted || self == .inProgress || self == .onHold }
    /// Ended in a way the client lived through (not entered in error): the client can be asked about it.
    public var isClosedForTheClient: Bool { isTerminal && self != .enteredInError }
    /// Being worked by the partner, or completed by it: a partner may refer the client on from here.
    public var isWorkedByPartner: Bool { isActive || self == .completed }
}

/// The two parties to a referral.
public enum ReferralSide: String, Codable, Sendable, CaseIterable {
    case requester  // the referring organisation (ServiceRequest.requester)
    case performer  // the receiving organisation (Task.owner)

    public var other: ReferralSide { self == .requester ? .performer : .requester }
}
