import ThawCore
import ThawStorage

/// How codes read to people: statuses, needs, roles, dates.
enum Words {
    static func status(_ status: TaskStatus) -> String {
        switch status {
        case .draft: return "Draft"
        case .requested: return "Requested"
        case .accepted: return "Accepted"
        case .rejected: return "Declined"
        case .cancelled: return "Cancelled"
        case .inProgress: return "In progress"
        case .onHold: return "On hold"
        case .completed: return "Completed"
        case .failed: return "Could not be completed"
        case .enteredInError: return "Entered in error"
        }
    }

    /// The button a person presses to move a referral to this status.
    static func action(_ status: TaskStatus) -> String {
        switch status {
        case .requested: return "Send referral"
        case .accepted: return "Accept"
        case .rejected: return "Decline"
        case .cancelled: return "Cancel referral"
        case .inProgress: return "Start work"
        case .onHold: return "Put on hold"
        case .completed: return "Complete with outcome"
        case .failed: return "Close as not completed"
        case .enteredInError: return "Mark as entered in error"
        case .draft: return "Save as draft"
        }
    }

    static func need(_ need: NeedCategory) -> String { need.title }

    static func role(_ role: Role) -> String {
        switch role {
        case .navigator: return "Navigator"
        case .clinician: return "Clinician"
        case .partnerStaff: return "Partner staff"
        case .partnershipLead: return "Partnership lead"
        case .administrator: return "Administrator"
        case .networkAdministrator: return "Network administrator"
        }
    }

    static func sector(_ sector: Sector) -> String {
        switch sector {
        case .primaryCare: return "Primary care"
        case .healthSystem: return "Health system"
        case .socialCare: return "Social care"
        case .community: return "Community"
        case .government: return "Government"
        }
    }

    static func capacity(_ capacity: Capacity) -> String {
        switch capacity {
        case .accepting: return "Accepting referrals"
        case .waitlist: return "Waitlist"
        case .closed: return "Closed to referrals"
        }
    }

    static func scope(_ scope: ConsentScope) -> String {
        switch scope {
        case .contact: return "Contact details"
        case .needs: return "Identified needs"
        case .notes: return "Referral notes and messages"
        }
    }

    static func purpose(_ purpose: ConsentPurpose) -> String {
        purpose == .referral ? "Referral and closing the loop" : "Care coordination"
    }

    static func outcome(_ code: ReferralOutcome.Code) -> String {
        switch code {
        case .needMet: return "Need met"
        case .needPartiallyMet: return "Need partly met"
        case .serviceProvided: return "Service provided"
        case .needNotMet: return "Need not met"
        }
    }

    static func priority(_ priority: Priority) -> String {
        switch priority {
        case .routine: return "Routine"
        case .urgent: return "Urgent"
        case .asap: return "As soon as possible"
        case .stat: return "Immediately"
        }
    }

    static func businessStatus(_ step: BusinessStatus) -> String {
        switch step {
        case .contacted: return "Client contacted"
        case .unableToContact: return "Unable to contact"
        case .eligibilityConfirmed: return "Eligibility confirmed"
        case .waitlisted: return "Waitlisted"
        case .appointmentScheduled: return "Appointment scheduled"
        case .enrolled: return "Enrolled"
        case .serviceStarted: return "Service started"
        }
    }

    static func answer(_ answer: ScreeningAnswer) -> String {
        switch answer {
        case .yes: return "Yes"
        case .no: return "No"
        case .declined: return "Declined to answer"
        }
    }

    static func method(_ method: FollowUp.Method) -> String {
        switch method {
        case .phone: return "Phone"
        case .visit: return "Visit"
        case .message: return "Message"
        case .email: return "Email"
        }
    }

    static func party(_ party: FollowUp.Party) -> String { party == .client ? "the client" : "the partner" }

    static func result(_ result: FollowUp.Result) -> String {
        switch result {
        case .reached: return "Reached"
        case .noAnswer: return "No answer"
        case .needMet: return "Need met"
        case .needNotMet: return "Need not met"
        case .newNeed: return "New need found"
        }
    }

    static func answer(_ answer: ClientExperience.Answer) -> String {
        switch answer {
        case .yes: return "Yes"
        case .partly: return "Partly"
        case .no: return "No"
        case .declined: return "Did not want to say"
        }
    }

    static func needStatus(_ status: IdentifiedNeed.Status) -> String {
        switch status {
        case .active: return "Open"
        case .met: return "Met"
        case .declined: return "Declined by the client"
        case .notApplicable: return "No longer applies"
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func date(_ date: CalendarDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// A moment on the viewer's wall clock, with the zone's short name: "7 Dec 2026 09:06 MST".
    static func dateTime(_ timestamp: Timestamp) -> String {
        let (day, minutes, zone) = Viewer.calendar.wallClock(timestamp)
        let hh = minutes / 60, mm = minutes % 60
        return "\(date(day)) \(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm) \(zone)"
    }

    /// The viewer's day a moment falls on.
    static func day(_ timestamp: Timestamp) -> String { date(Viewer.calendar.day(of: timestamp)) }

    static func relative(_ timestamp: Timestamp, now: Timestamp) -> String {
        let seconds = abs(timestamp.millis - now.millis) / 1000
        func plural(_ n: Int64, _ unit: String) -> String { "\(n) \(unit)\(n == 1 ? "" : "s")" }
        if seconds < 3600 { return plural(max(seconds / 60, 1), "minute") }
        if seconds < 2 * 86_400 { return plural(seconds / 3600, "hour") }
        return plural(seconds / 86_400, "day")
    }
}
