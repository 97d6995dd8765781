/// A direct conversation between people in different organisations, outside
/// any committee: the informal channel.
public struct DiscussionThread: Codable, Sendable, Equatable {
    public var id: ID<DiscussionThread>
    public var subject: String
    public var organizationId: ID<Organization>
    public var participants: [Participant]
    public var createdAt: Timestamp
    public var lastMessageAt: Timestamp

    public struct Participant: Codable, Sendable, Equatable {
        public var userId: ID<User>
        public var organizationId: ID<Organization>
        public init(userId: ID<User>, organizationId: ID<Organization>) { self.userId = userId; self.organizationId = organizationId }
    }

    public init(
        id: ID<DiscussionThread>, subject: String, organizationId: ID<Organization>, participants: [Participant],
        createdAt: Timestamp, lastMessageAt: Timestamp
    ) {
        self.id = id; self.subject = subject; self.organizationId = organizationId; self.participants = participants
        self.createdAt = createdAt; self.lastMessageAt = lastMessageAt
    }
}

public struct ThreadMessage: Codable, Sendable, Equatable {
    public var id: ID<ThreadMessage>
    public var threadId: ID<DiscussionThread>
    public var authorId: ID<User>
    public var organizationId: ID<Organization>
    public var body: String
    public var sentAt: Timestamp
    public init(
        id: ID<ThreadMessage>, threadId: ID<DiscussionThread>, authorId: ID<User>, organizationId: ID<Organization>,
        body: String, sentAt: Timestamp
    ) {
        self.id = id; self.threadId = threadId; self.authorId = authorId; self.organizationId = organizationId
        self.body = body; self.sentAt = sentAt
    }
}
