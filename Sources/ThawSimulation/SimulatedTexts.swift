import ThawCore

/// What simulated people write: varied, specific to the moment, and in the
/// words partners use, so a simulated history reads like a network in use.
/// `{me}` is the writer's organisation and `{them}` the other's.
enum SimulatedTexts {
    static let threadSubjects = [
        "Clients waiting for a housing assessment", "Shared intake form", "Booster clinic staffing", "Winter shelter beds",
        "Discharge planning for people without a home", "Food hamper referrals", "Interpreter bookings", "Case conference on Thursday",
        "Outreach in the north end", "Mental health walk-in hours", "Transport to appointments", "Waitlist for counselling"
    ]
    static let openings = [
        "Could we go through the clients we both see before the case conference?",
        "{them} has been getting referrals we should be taking. Can we talk about the criteria?",
        "Three of our patients were turned away last week because the forms did not match. Can we sort the form out together?",
        "We have two new staff at {me}. Who should they call at {them} for urgent cases?",
        "Is the Tuesday drop-in still running? Our navigator keeps sending people there.",
        "We would like to try booking interpreters through you for shared clients. Would that work on your side?",
        "The waitlist at our end is down to two weeks. Send people our way again.",
        "Before the committee meets: what would {them} want on the agenda?",
        "Our family doctors ask how they hear back once a client has been seen. Could we agree on a note?",
        "A client told us your office moved. Can you send the new address and hours?"
    ]
    static let replies = [
        "Yes, Thursday at ten suits us. I will bring the list.", "Thanks for raising it. We changed the form this morning.",
        "Good question; I will check with our manager and come back to you by Friday.",
        "Our intake worker is the best person. I have copied her in.", "It still runs, but only until noon now.",
        "That would help us a lot. Let us try it for a month.", "Noted, and thank you. We will tell our navigator.",
        "Could we add the discharge pathway? It keeps coming up.", "We send a short letter within a week; I can share the template.",
        "We are on the second floor now, same phone number."
    ]
    static let commitments = [
        "Send the revised referral criteria", "Share the list of intake contacts for each site", "Book the interpreter pilot",
        "Draft the shared consent wording", "Bring the waitlist figures to the next meeting", "Send the case-conference notes",
        "Ask our board about the joint outreach post", "Set up the shared calendar for clinic days",
        "Update the directory entry with the new hours", "Arrange a visit for the navigator to see the shelter",
        "Circulate the discharge checklist", "Send the winter bed numbers each Monday"
    ]
    static let keptEvidence = [
        "Sent by email to the working group.", "Shared at the meeting and filed with the minutes.", "Posted in the shared folder.",
        "Done: the interpreter service confirmed the booking line.", "The board agreed and minuted it.", "Calendar shared with both teams."
    ]
    static let consultations: [(title: String, proposal: String)] = [
        ("Shared referral pathway for people leaving hospital", "A pathway so no one leaves hospital without a place to sleep and a named contact."),
        ("Common intake form", "One form for health and social partners, with the client's consent recorded once."),
        ("Navigator hours across sites", "Move the navigator's Friday hours to the community centre."),
        ("Winter response plan", "Who opens extra beds, who staffs outreach, and how we tell each other."),
        ("Interpreter pilot", "Pool interpreter bookings for clients seen by both organisations."),
        ("Case conference terms of reference", "How often we meet, who chairs, and what we record."),
        ("Data we share each month", "The counts we exchange, and what we never share."),
        ("Follow-up after a referral", "How each side tells the other that a client was seen, and when.")
    ]
    static let feedback = [
        "Add a step for people without a phone.", "Name one contact on each side, not a general inbox.",
        "Keep the form to one page; clients give up on long ones.", "Include a way to flag urgent cases.",
        "Say who pays for the interpreter when both of us see the client.", "Ask the client which language they prefer first.",
        "Meet monthly, not weekly, in the summer.", "Count people turned away, not just people seen.",
        "Send the note within a week, not a month.", "Check it with the people who use our services before it starts."
    ]
    static let adoptedAnswers = [
        "Added to the draft.", "Agreed: we have changed it.", "Taken up, with a call-back instead of a visit.",
        "Yes, from next month.", "Adapted: urgent cases go by phone, the rest through the form."
    ]
    static let declinedAnswers = [
        "Not this year: there is no budget for it.", "We cannot do this under our current agreement.",
        "We looked at it, and the law does not let us share that.", "Not now; we will come back to it at the review."
    ]
    static let agendas = [
        "Waitlists on both sides", "The shared intake form", "Winter beds", "Referral criteria", "Interpreter pilot",
        "Discharge planning", "Clients lost between services", "Next quarter's outreach", "Funding renewal", "What we heard from clients"
    ]
    static let minutes = [
        "Both sides reported waitlists; agreed to send each other weekly figures.",
        "Walked through three cases that fell between services; agreed who calls whom next time.",
        "Reviewed the intake form; {them} will send a revised draft.",
        "Agreed the winter plan in outline; beds confirmed by {me}.",
        "Discussed the renewal; both boards to be asked before the deadline."
    ]
    static let signals: [Signal.Kind: [String]] = [
        .liaisonAppointed: [
            "A liaison named for {them}: one person to call for shared clients.", "Our intake lead will be {them}'s contact from now on."
        ],
        .equipmentProvided: ["Laptops lent to {them}'s outreach workers.", "Masks and gowns shared with {them} for the winter."],
        .integrationRoleCreated: ["A new coordinator post for work with {them}.", "A part-time navigator post shared with {them}."],
        .staffSeconded: ["A worker seconded to {them} one day a week.", "Our nurse joins {them}'s drop-in on Tuesdays."],
        .fundingProvided: ["Part of our grant set aside for joint outreach with {them}."]
    ]
    static let acknowledgements = ["Thank you, this helps.", "Welcome news; we will set up a first call.", "Noted with thanks."]
    static let policyMoves: [(title: String, summary: String)] = [
        ("Intake hours change", "Intake moves to mornings only."), ("New eligibility criteria", "Clients need a referral from a clinician."),
        ("Service moves site", "The service moves to the community centre."), ("Waitlist closed for the summer", "No new referrals until September."),
        ("Fee schedule change", "Some visits are billed differently from next quarter."),
        ("Reporting template replaced", "Partners report on the new template from next month.")
    ]

    /// A template with the organisations' names filled in.
    static func fill(_ template: String, me: String, them: String) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let tail = rest[open...]
            if tail.hasPrefix("{me}") {
                out += me
                rest = tail.dropFirst(4)
            } else if tail.hasPrefix("{them}") {
                out += them
                rest = tail.dropFirst(6)
            } else {
                out += "{"
                rest = tail.dropFirst()
            }
        }
        return out + rest
    }
}
