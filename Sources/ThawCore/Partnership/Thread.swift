/// A direct conversation between people in different organisations, outside
/// any committee: the informal channel.
public struct DiscussionThread: Codable, Sendable, Equatable {
    public var id: ID<DiscussionThread>
    public var subject: String
    public var organizationID: ID<Organization>
    public var participants: [Participant]
    public var createdAt: Timestamp
    public var lastMessageAt: Timestamp

    public struct Participant: Codable, Sendable, Equatable {
        public var userID: ID<User>
        public var organizationID: ID<Organization>
        public init(userID: ID<User>, organizationID: ID<Organization>) { self.userID = userID; self.organizationID = organizationID }
    }

    public init(id: ID<DiscussionThread>, subject: String, organizationID: ID<Organization>, participants: [Participant],
                createdAt: Timestamp, lastMessageAt: Timestamp) {
        self.id = id; self.subject = subject; self.organizationID = organizationID; self.participants = participants
        self.createdAt = createdAt; self.lastMessageAt = lastMessageAt
    }
}

public struct ThreadMessage: Codable, Sendable, Equatable {
    public var id: ID<ThreadMessage>
    public var threadID: ID<DiscussionThread>
    public var authorID: ID<User>
    public var organizationID: ID<Organization>
    public var body: String
    public var sentAt: Timestamp
    public init(id: ID<ThreadMessage>, threadID: ID<DiscussionThread>, authorID: ID<User>, organizationID: ID<Organization>,
                body: String, sentAt: Timestamp) {
        self.id = id; self.threadID = threadID; self.authorID = authorID; self.organizationID = organizationID
        self.body = body; self.sentAt = sentAt
    }
}
