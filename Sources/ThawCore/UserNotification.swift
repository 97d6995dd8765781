/// What a person is told of: each kind can be emailed at once, in a daily digest, or not at all.
public enum NotificationKind: String, Codable, Sendable, CaseIterable {
    case newReferral = "new-referral"
    case referralAccepted = "referral-accepted"
    case referralDeclined = "referral-declined"
    case referralCompleted = "referral-completed"
    case referralCancelled = "referral-cancelled"
    case message
    case responseOverdue = "response-overdue"
    case followUpDue = "follow-up-due"
    case commitmentDue = "commitment-due"
    case feedbackDue = "feedback-due"
    case fundingAlert = "funding-alert"
    case surveyOpen = "survey-open"
    case capacityCheck = "capacity-check"

    /// The kind in a sentence, for the preferences page.
    public var title: String {
        switch self {
        case .newReferral: "A new referral reaches your organisation"
        case .referralAccepted: "A referral you sent is accepted"
        case .referralDeclined: "A referral you sent is declined"
        case .referralCompleted: "A referral you sent is completed"
        case .referralCancelled: "A referral to your organisation is cancelled"
        case .message: "A message on a referral"
        case .responseOverdue: "A referral you sent has had no first response in time"
        case .followUpDue: "A referral you sent is due for follow-up"
        case .commitmentDue: "A commitment your organisation made is due soon"
        case .feedbackDue: "Your organisation's feedback on a consultation is due soon"
        case .fundingAlert: "A joint funding agreement is nearing its end"
        case .surveyOpen: "A partnership pulse survey is open for you"
        case .capacityCheck: "Your organisation declined a referral for lack of capacity: check the service's capacity"
        }
    }

    /// Reminders that come due are gathered into the daily digest by default; what a partner
    /// did comes at once, except messages, which may be many.
    public var defaultMode: EmailMode {
        switch self {
        case .message, .followUpDue, .feedbackDue, .fundingAlert, .surveyOpen: .digest
        default: .immediately
        }
    }

    /// Whether someone with these roles can be told of this kind (what their preferences page offers).
    public func concerns(_ roles: Set<Role>) -> Bool {
        switch self {
        case .newReferral, .referralCancelled, .message: !roles.isDisjoint(with: AccessPolicy.receivingRoles)
        case .referralAccepted, .referralDeclined, .referralCompleted, .responseOverdue, .followUpDue:
            !roles.isDisjoint(with: AccessPolicy.referringRoles)
        case .commitmentDue, .feedbackDue, .fundingAlert: roles.contains(.partnershipLead)
        case .surveyOpen: true
        case .capacityCheck: !roles.isDisjoint(with: AccessPolicy.directoryRoles)
        }
    }
}

/// What a notification is about, and so where its link goes.
public struct NotificationSubject: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case referral, commitment, consultation, funding, survey, service
    }
    public var type: Kind
    public var id: String

    public init(_ type: Kind, _ id: String) { self.type = type; self.id = id }
    public static func referral(_ id: ID<Referral>) -> Self { .init(.referral, id.raw) }
}

public enum EmailMode: String, Codable, Sendable, CaseIterable {
    case immediately, digest, off
}

/// A notification in someone's list. Its summary names organisations and what happened,
/// never the client: it may leave Thaw by email.
public struct UserNotification: Codable, Sendable, Equatable {
    public var id: ID<UserNotification>
    public var kind: NotificationKind
    public var subject: NotificationSubject
    /// The referral, where the notification is about one.
    public var referralId: ID<Referral>?
    public var summary: String
    public var createdAt: Timestamp
    public var readAt: Timestamp?

    public init(
        id: ID<UserNotification>, kind: NotificationKind, subject: NotificationSubject, summary: String, createdAt: Timestamp, readAt: Timestamp?
    ) {
        self.id = id; self.kind = kind; self.subject = subject; self.summary = summary; self.createdAt = createdAt; self.readAt = readAt
        self.referralId = subject.type == .referral ? ID(subject.id) : nil
    }
}

/// Who hears of a referral event, and as what: the referring person, or the staff of an organisation.
public enum NotificationRules {
    public enum Audience: Sendable, Equatable {
        /// The person who sent the referral.
        case requester
        /// The people of the receiving organisation who work referrals.
        case ownerStaff
        /// The people of the receiving organisation who keep its services' directory records.
        case ownerDirectory
    }

    /// The notifications a ledger event on a referral makes. `byOwner`: the event's actor is the
    /// receiving organisation. Nothing for events nobody outside the actor needs to hear of.
    public static func audience(kind: String, detail: [String: String], byOwner: Bool, hasOwner: Bool) -> [(Audience, NotificationKind)] {
        switch kind {
        case "referral.created":
            return hasOwner && detail["status"] != TaskStatus.draft.rawValue ? [(.ownerStaff, .newReferral)] : []
        case "referral.claimed":
            return [(.requester, .referralAccepted)]
        case "referral.status-changed":
            guard let status = detail["to"].flatMap(TaskStatus.init(rawValue:)) else { return [] }
            if byOwner {
                switch status {
                case .accepted: return [(.requester, .referralAccepted)]
                case .rejected where detail["reasonCode"] == DeclineReason.noCapacity.rawValue:
                    return [(.requester, .referralDeclined), (.ownerDirectory, .capacityCheck)]
                case .rejected: return [(.requester, .referralDeclined)]
                case .completed: return [(.requester, .referralCompleted)]
                default: return []
                }
            }
            return status == .cancelled && hasOwner ? [(.ownerStaff, .referralCancelled)] : []
        case "referral.message-sent":
            return byOwner ? [(.requester, .message)] : (hasOwner ? [(.ownerStaff, .message)] : [])
        case ClimateLedger.overdueKind:
            return [(.requester, .responseOverdue)]
        default:
            return []
        }
    }

    /// The summary: organisations and what happened, no client.
    public static func summary(_ kind: NotificationKind, requester: String, owner: String?) -> String {
        let owner = owner ?? "a partner"
        switch kind {
        case .newReferral: return "\(requester) sent \(owner) a referral."
        case .referralAccepted: return "\(owner) accepted a referral from \(requester)."
        case .referralDeclined: return "\(owner) declined a referral from \(requester)."
        case .referralCompleted: return "\(owner) completed a referral from \(requester)."
        case .referralCancelled: return "\(requester) cancelled a referral to \(owner)."
        case .message: return "A new message on a referral between \(requester) and \(owner)."
        case .responseOverdue: return "\(owner) has not yet responded to a referral from \(requester), and the first response is overdue."
        case .followUpDue: return "A referral from \(requester) to \(owner) is due for follow-up."
        case .capacityCheck:
            return "\(owner) declined a referral from \(requester) for lack of capacity: is the service's capacity in the directory still right?"
        default: return "An update on a referral between \(requester) and \(owner)."
        }
    }
}
