/// A worklist request, parsed from the query string into a plain value before
/// any SQL is written.
public struct WorklistQuery: Sendable, Equatable {
    public enum View: String, Sendable, CaseIterable {
        case caseload  // referrals my organisation (or I) sent
        case inbox  // referrals addressed to my organisation
    }
    public enum Filter: String, Sendable, CaseIterable {
        case all
        case open  // not yet in a final status
        case overdueFirstResponse = "overdue-first-response"
        case awaitingMyReply = "awaiting-my-reply"
        case awaitingTheirReply = "awaiting-their-reply"
        case followUpDue = "follow-up-due"  // falls due today
        case followUpOverdue = "follow-up-overdue"  // fell due on an earlier day
    }
    public enum Sort: String, Sendable, CaseIterable {
        case updated  // most recently changed first
        case due  // earliest first-response due first
    }

    public var view: View
    public var filter: Filter
    public var statuses: Set<TaskStatus>
    public var onlyMine: Bool
    public var sort: Sort
    public var limit: Int
    public var cursor: WorklistCursor?

    public init(
        view: View, filter: Filter = .all, statuses: Set<TaskStatus> = [], onlyMine: Bool = false,
        sort: Sort = .updated, limit: Int = 50, cursor: WorklistCursor? = nil
    ) {
        self.view = view; self.filter = filter; self.statuses = statuses; self.onlyMine = onlyMine
        self.sort = sort; self.limit = limit; self.cursor = cursor
    }
}

/// Where the previous page ended: the sort key and id of its last row.
public struct WorklistCursor: Sendable, Equatable {
    public var key: Int64
    public var id: String
    public init(key: Int64, id: String) { self.key = key; self.id = id }

    /// Opaque to clients: "key.id" in URL-safe form.
    public var token: String { "\(key)~\(id)" }
    public init?(token: String) {
        let parts = token.split(separator: "~", maxSplits: 1)
        guard parts.count == 2, let key = Int64(parts[0]), !parts[1].isEmpty,
            parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { return nil }
        self.key = key; self.id = String(parts[1])
    }
}

public struct WorklistPage: Sendable {
    public var items: [WorklistItem]
    public var nextCursor: WorklistCursor?
    public init(items: [WorklistItem], nextCursor: WorklistCursor?) { self.items = items; self.nextCursor = nextCursor }
}

/// One row of a worklist: the referral and the few facts about the client
/// this viewer may see.
public struct WorklistItem: Codable, Sendable {
    public var referral: Referral
    public var clientName: String
    public var counterpartName: String?
    public init(referral: Referral, clientName: String, counterpartName: String?) {
        self.referral = referral; self.clientName = clientName; self.counterpartName = counterpartName
    }
}
