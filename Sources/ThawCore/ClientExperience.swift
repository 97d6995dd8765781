/// The client's own view of a referral once it has closed, asked by the navigator in three
/// questions: was it easy to get help, was the need met, would they use the service again.
/// Kept for the evaluation of patient experience.
public struct ClientExperience: Codable, Sendable, Equatable {
    public enum Answer: String, Codable, Sendable, CaseIterable {
        case yes, partly, no
        case declined  // the client chose not to answer
    }

    public var referralId: ID<Referral>
    public var clientId: ID<Client>
    public var organizationId: ID<Organization>
    public var easy: Answer
    public var needMet: Answer
    public var wouldUseAgain: Answer
    /// In the client's words, if they wanted something written down.
    public var comment: String?
    public var recordedBy: ID<User>
    public var recordedAt: Timestamp

    public init(
        referralId: ID<Referral>, clientId: ID<Client>, organizationId: ID<Organization>, easy: Answer, needMet: Answer,
        wouldUseAgain: Answer, comment: String?, recordedBy: ID<User>, recordedAt: Timestamp
    ) {
        self.referralId = referralId; self.clientId = clientId; self.organizationId = organizationId
        self.easy = easy; self.needMet = needMet; self.wouldUseAgain = wouldUseAgain; self.comment = comment
        self.recordedBy = recordedBy; self.recordedAt = recordedAt
    }
}

/// The client's answers, as the navigator records them.
public struct NewClientExperience: Codable, Sendable, Equatable {
    public var easy: ClientExperience.Answer
    public var needMet: ClientExperience.Answer
    public var wouldUseAgain: ClientExperience.Answer
    public var comment: String?

    public init(easy: ClientExperience.Answer, needMet: ClientExperience.Answer, wouldUseAgain: ClientExperience.Answer, comment: String? = nil) {
        self.easy = easy; self.needMet = needMet; self.wouldUseAgain = wouldUseAgain; self.comment = comment
    }

    /// The questions, in the words the navigator reads to the client.
    public static let questions = [
        "easy": "Was it easy to get help from the service you were referred to?",
        "needMet": "Did you get what you needed?",
        "wouldUseAgain": "Would you go to this service again, or tell a friend to?"
    ]
}
