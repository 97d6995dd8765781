/// What the people of the demo's 2021–22 story write, phase by phase: each line
/// written for its moment, none repeated until its list is used up.
enum DemoStoryLines {
    static let springAgenda = [
        "Second doses in family practices", "Long-term care outbreaks", "Virtual care codes", "Testing sites and family doctors",
        "Reopening clinics for in-person visits", "Vaccine hesitancy in rural areas", "Planning primary care under endemic conditions"
    ]
    static let springMinutes = [
        "Primary care networks reported 41 clinics giving second doses; the ministry will share supply figures weekly.",
        "The authority described outbreak support for long-term care; PCNs offered physician coverage on weekends.",
        "The association asked that virtual care codes continue past June; the ministry will bring options.",
        "Agreed that test results go to the family doctor as well as the patient.",
        "The association and the PCNs began a plan for primary care under endemic conditions; a first draft in two weeks."
    ]
    static let ministrySpring = [
        "The allocation for family practices next week is 18,000 doses. Could the association tell members by Thursday?",
        "We are drafting the guidance on in-person visits. Would you look at it before it goes out?",
        "Thank you for the list of clinics ready to vaccinate. We added all of them to the distribution.",
        "The minister asked how virtual care is working for rural patients. What are members telling you?",
        "Could your members help with second-dose reminders for patients over 75?"
    ]
    static let associationSpring = [
        "Members have it. Several rural clinics can take more than their share if you have it.",
        "Yes. Two comments already: say who pays for the extra cleaning, and give clinics a week's notice.",
        "Members noticed, thank you. The clinic list will keep changing; we will send updates on Mondays.",
        "It works where there is internet. In the north, phone visits are what keeps people in care.",
        "We can. Our clinics already have the lists; they need the reminder letters in Punjabi and Cree as well."
    ]
    static let phcToPCN = [
        "Which of your clinics want to run Saturday vaccine clinics in May?", "The cold-chain fridges arrive on Thursday. Who signs for them?",
        "Can your nurses help at the arena site on the 20th?", "We have a new outreach team for the east end. Who should they meet first?"
    ]
    static let pcnToPHC = [
        "Six clinics, list attached. Two need extra staff for the line.", "Our office manager will sign; she is in until five.",
        "Three nurses, morning shift only.", "Start with the clinic on 5th Avenue; they see most of the east end."
    ]
    static let authorityPromises = [
        "Send clinics the vaccine supply schedule for June", "Share the outbreak contacts for each long-term care site",
        "Deliver cold-chain fridges to the clinics on the list"
    ]
    static let ministryPromises = [
        "Bring options for extending the virtual care codes", "Share weekly supply figures with the association",
        "Publish the in-person visit guidance after the association's review"
    ]
    static let summerAgenda = ["Reopening for summer", "Ending mass testing", "Physician funding framework", "Vaccine distribution"]
    static let summerMinutes = [
        "The ministry presented the reopening plan. The association was not present.",
        "The ministry explained the end of mass testing. Questions about family doctors' role deferred.",
        "The funding framework consultation is open; the ministry will respond after the deadline.",
        "Vaccine distribution stays with authority sites. Primary care members present asked to be heard before decisions."
    ]
    static let ministrySummer = [
        "We would value the association's view on the reopening plan before the next meeting.",
        "Could we set a time to talk about the funding framework?", "The next committee meeting is on the 24th. We hope you can join.",
        "Checking in again: we would like to hear from members about testing in clinics."
    ]
    static let phcSummer = [
        "Are your clinics still taking walk-in testing after the change?", "We have masks left over from the spring; do clinics need them?",
        "A reminder that the outreach team can still come to your clinics."
    ]
    static let summerPromises = [
        "Share the reopening plan with primary care before it is announced", "Respond to the association's letter on testing",
        "Set up a call on physician funding before the end of August"
    ]
    static let thawAgenda = [
        "Omicron and primary care capacity", "Protective equipment for clinics", "Billing codes for virtual care and navigation",
        "Public messaging: your family doctor is open", "Booster clinics with primary care networks", "Testing in family practices",
        "Rapid tests for clinics", "What we learned from the summer", "Primary care in the spring planning", "Data each side sees weekly"
    ]
    static let thawMinutes = [
        "The deputy chief medical officer of health walked through the Omicron modelling; PCNs will report clinic capacity each Friday.",
        "Agreed that clinics get protective equipment through the authority's supply chain.",
        "The ministry will revisit the billing codes with the association before February.",
        "Public messaging will send patients to their family doctor first; the association reviews the wording.",
        "Booster clinics planned jointly with the PCNs; the authority supplies vaccine and the PCNs staff.",
        "Rapid tests go to family practices next week; the association asked for a simple reporting form, agreed.",
        "Looked back at the summer: the ministry will give primary care notice of policy moves at least two weeks ahead."
    ]
    static let deputyToAssociation = [
        "Before Thursday's group: what would family doctors need in the first two weeks of Omicron?",
        "Here is the draft messaging. Please change anything that sounds wrong for a family practice.",
        "I spoke with the chief this morning; she wants primary care in the spring planning from the start.",
        "The rapid test numbers for clinics are in. Could your members tell us if they are enough?",
        "Your note on billing went to the assistant deputy minister. She will call you on Monday."
    ]
    static let associationThaw = [
        "Staff and masks, in that order. And a phone number that someone answers.",
        "Two changes marked. The rest reads well, thank you for asking first.",
        "Good news for members. We will bring three family doctors who ran the spring clinics.",
        "Enough for most urban clinics; rural ones need half again as many.", "Thank you. Monday suits."
    ]
    static let phcThaw = [
        "Booster clinic dates for January are in the shared calendar. Which can your clinics staff?",
        "The authority can lend two nurses to each network for the next four weeks.",
        "Discharge summaries will reach family doctors within a day from next week. Tell us if they do not.",
        "Rapid tests are at the depot; your drivers can pick up from Tuesday."
    ]
    static let pcnThaw = [
        "We can staff four of the six dates. The other two clash with flu clinics.",
        "Yes please. Our rural sites need them most.", "Two arrived late this week; I have sent the names.",
        "Picked up, thank you. Distribution to clinics done by Thursday."
    ]
    static let authorityToNorthgate = [
        "The lab results feed to your clinics is live. Any gaps?", "Could your medical lead join our discharge planning review?",
        "Thank you for the capacity figures. They changed our plan for the north."
    ]
    static let northgateToAuthority = [
        "Two clinics are missing results from the rural lab; details sent.", "She will join on the 14th.",
        "Glad they helped. We will keep sending them on Fridays."
    ]
    static let thawPromises = [
        "Send the association the draft spring plan two weeks before it is final", "Share the rapid test allocation by clinic",
        "Bring the billing options to the association before February", "Report back on the summer review's actions"
    ]
    static let authorityThawPromises = [
        "Lend two nurses to the Northgate network for booster clinics", "Fix the rural lab results feed", "Send discharge summaries within a day"
    ]
    static let evidence = [
        "Sent to the association on the agreed day.", "Done; confirmed by the clinics.", "Shared at the working group and in the minutes.",
        "Delivered; receipts signed by each clinic.", "Published, with the association's changes."
    ]
}
