import ThawCore
import ThawStorage

/// How codes read to people: statuses, needs, roles, dates.
enum Words {
    static func status(_ status: TaskStatus) -> String {
        switch status {
        case .draft: return say("Draft")
        case .requested: return say("Requested")
        case .accepted: return say("Accepted")
        case .rejected: return say("Declined")
        case .cancelled: return say("Cancelled")
        case .inProgress: return say("In progress")
        case .onHold: return say("On hold")
        case .completed: return say("Completed")
        case .failed: return say("Could not be completed")
        case .enteredInError: return say("Entered in error")
        }
    }

    /// The button a person presses to move a referral to this status.
    static func action(_ status: TaskStatus) -> String {
        switch status {
        case .requested: return say("Send referral")
        case .accepted: return say("Accept")
        case .rejected: return say("Decline")
        case .cancelled: return say("Cancel referral")
        case .inProgress: return say("Start work")
        case .onHold: return say("Put on hold")
        case .completed: return say("Complete with outcome")
        case .failed: return say("Close as not completed")
        case .enteredInError: return say("Mark as entered in error")
        case .draft: return say("Save as draft")
        }
    }

    static func need(_ need: NeedCategory) -> String { say(need.title) }

    static func role(_ role: Role) -> String {
        switch role {
        case .navigator: return say("Navigator")
        case .clinician: return say("Clinician")
        case .partnerStaff: return say("Partner staff")
        case .partnershipLead: return say("Partnership lead")
        case .administrator: return say("Administrator")
        case .networkAdministrator: return say("Network administrator")
        case .evaluator: return say("Evaluator")
        }
    }

    static func sector(_ sector: Sector) -> String {
        switch sector {
        case .primaryCare: return say("Primary care")
        case .healthSystem: return say("Health system")
        case .socialCare: return say("Social care")
        case .community: return say("Community")
        case .government: return say("Government")
        }
    }

    /// A choice of every organisation of a sector ("Every social care organisation").
    static func everyOrganisation(in sector: Sector) -> String {
        switch sector {
        case .primaryCare: return say("Every primary care organisation")
        case .healthSystem: return say("Every health system organisation")
        case .socialCare: return say("Every social care organisation")
        case .community: return say("Every community organisation")
        case .government: return say("Every government organisation")
        }
    }

    static func clientTaskKind(_ kind: ClientTask.Kind) -> String {
        switch kind {
        case .makeContact: return say("Contact a service")
        case .reviewMaterial: return say("Read or watch something")
        case .generalInformation: return say("Something else")
        }
    }

    static func clientTaskStatus(_ status: ClientTask.Status) -> String {
        switch status {
        case .requested: return say("To do")
        case .completed: return say("Done")
        case .cancelled: return say("No longer needed")
        }
    }

    /// A client's preferred language: English and French by name, any other as its code.
    static func language(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "—" }
        switch code.lowercased() {
        case "en": return say("English")
        case "fr": return say("French")
        default: return verbatim(code)
        }
    }

    /// The channel an interaction went through.
    static func channel(_ channel: Channel) -> String {
        switch channel {
        case .formal: return say("formal")
        case .informal: return say("informal")
        case .referral: return say("referral")
        case .system: return say("system")
        }
    }

    static func capacity(_ capacity: Capacity) -> String {
        switch capacity {
        case .accepting: return say("Accepting referrals")
        case .waitlist: return say("Waitlist")
        case .closed: return say("Closed to referrals")
        }
    }

    static func scope(_ scope: ConsentScope) -> String {
        switch scope {
        case .contact: return say("Contact details")
        case .needs: return say("Identified needs")
        case .notes: return say("Referral notes and messages")
        }
    }

    static func purpose(_ purpose: ConsentPurpose) -> String {
        purpose == .referral ? say("Referral and closing the loop") : say("Care coordination")
    }

    static func outcome(_ code: ReferralOutcome.Code) -> String {
        switch code {
        case .needMet: return say("Need met")
        case .needPartiallyMet: return say("Need partly met")
        case .serviceProvided: return say("Service provided")
        case .needNotMet: return say("Need not met")
        }
    }

    static func priority(_ priority: Priority) -> String {
        switch priority {
        case .routine: return say("Routine")
        case .urgent: return say("Urgent")
        case .asap: return say("As soon as possible")
        case .stat: return say("Immediately")
        }
    }

    static func businessStatus(_ step: BusinessStatus) -> String {
        switch step {
        case .contacted: return say("Client contacted")
        case .unableToContact: return say("Unable to contact")
        case .eligibilityConfirmed: return say("Eligibility confirmed")
        case .waitlisted: return say("Waitlisted")
        case .appointmentScheduled: return say("Appointment scheduled")
        case .enrolled: return say("Enrolled")
        case .serviceStarted: return say("Service started")
        }
    }

    static func answer(_ answer: ScreeningAnswer) -> String {
        switch answer {
        case .yes: return say("Yes")
        case .no: return say("No")
        case .declined: return say("Declined to answer")
        }
    }

    static func method(_ method: FollowUp.Method) -> String {
        switch method {
        case .phone: return say("Phone")
        case .visit: return say("Visit")
        case .message: return say("Message")
        case .email: return say("Email")
        }
    }

    static func party(_ party: FollowUp.Party) -> String { party == .client ? say("the client") : say("the partner") }

    static func result(_ result: FollowUp.Result) -> String {
        switch result {
        case .reached: return say("Reached")
        case .noAnswer: return say("No answer")
        case .needMet: return say("Need met")
        case .needNotMet: return say("Need not met")
        case .newNeed: return say("New need found")
        }
    }

    static func answer(_ answer: ClientExperience.Answer) -> String {
        switch answer {
        case .yes: return say("Yes")
        case .partly: return say("Partly")
        case .no: return say("No")
        case .declined: return say("Did not want to say")
        }
    }

    static func needStatus(_ status: IdentifiedNeed.Status) -> String {
        switch status {
        case .active: return say("Open")
        case .met: return say("Met")
        case .declined: return say("Declined by the client")
        case .notApplicable: return say("No longer applies")
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func date(_ date: CalendarDate) -> String { "\(date.day) \(say(months[date.month - 1])) \(date.year)" }

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
        if seconds < 3600 { return count(max(seconds / 60, 1), one: "%1 minute", many: "%1 minutes") }
        if seconds < 2 * 86_400 { return count(seconds / 3600, one: "%1 hour", many: "%1 hours") }
        return count(seconds / 86_400, one: "%1 day", many: "%1 days")
    }

    /// A count with its noun, in the viewer's language: "1 day", "3 days" ("1 jour", "3 jours").
    static func count<N: BinaryInteger>(_ n: N, one: String, many: String) -> String {
        say(n == 1 ? one : many, String(n))
    }
}
