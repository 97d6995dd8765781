import ThawCore
import ThawStorage

/// The week-to-week work behind the demo's 2021–22 story: who met, who wrote to
/// whom and who answered, what was promised and whether it was done. Nothing
/// here is a hidden temperature: each phase of the story says what people did,
/// and the climate is whatever that recorded work adds up to.
struct DemoStoryRoutine {
    enum Phase {
        /// Spring 2021: the pandemic has people talking; the advisory committee meets with everyone.
        case connected
        /// Summer 2021: after the surprise, primary care stops answering; the ministry talks to itself.
        case freeze
        /// Autumn 2021 to the end of 2022: the working group, more voices, promises kept.
        case thaw
    }

    let store: ThawStore
    let clock: ManualClock
    /// Partnership people by organisation key; the first of each is its lead.
    var people: [String: [Actor]]
    var phase = Phase.connected
    /// The committee that meets in this phase, and which organisations still send people to it.
    var committee: ID<Committee>?
    var attending: [String] = []
    var threads: [String: ID<DiscussionThread>] = [:]
    /// The next line to use from each list of lines, so nothing repeats until the list is used up.
    private var nextLine: [String: Int] = [:]
    private var week = 0
    /// The day after the last week played.
    private(set) var playedUntil: CalendarDate

    init(store: ThawStore, clock: ManualClock, people: [String: [Actor]], from start: CalendarDate) {
        self.store = store; self.clock = clock; self.people = people; playedUntil = start
    }

    /// Plays every week from where the routine stopped up to (not including) `end`.
    mutating func play(until end: CalendarDate) async throws {
        while playedUntil.adding(days: 7) <= end {
            try await playWeek(from: playedUntil)
            playedUntil = playedUntil.adding(days: 7)
            week += 1
        }
    }

    private func at(_ monday: CalendarDate, plusDays days: Int, hour: Int) {
        clock.set(monday.startOfDay.adding(seconds: Int64(days * 86_400 + hour * 3600)))
    }

    private func lead(_ key: String) -> ScopedStore { store.scoped(to: people[key]![0]) }

    /// Someone of `key` other than the lead when there is one, taking turns.
    private func voice(_ key: String, _ turn: Int) -> ScopedStore {
        let all = people[key] ?? []
        return store.scoped(to: all[turn % all.count])
    }

    private mutating func line(_ list: String, _ lines: [String]) -> String {
        let index = nextLine[list, default: 0]
        nextLine[list] = index + 1
        return lines[index % lines.count]
    }

    /// A line in a conversation, started on first use with every partnership person of the writer's
    /// organisation and of `others` (so anyone of them may write in it later).
    private mutating func write(_ thread: String, by key: String, turn: Int = 0, to others: [String], subject: String, _ body: String) async throws {
        let writer = voice(key, turn)
        if let id = threads[thread] {
            _ = try await writer.postToThread(id, body: body)
        } else {
            let with = ([key] + others).flatMap { people[$0] ?? [] }.map(\.userId).filter { $0 != writer.actor.userId }
            threads[thread] = try await writer.startThread(subject: subject, with: with, message: body).id
        }
    }

    private mutating func meet(agenda: [String], minutes: String) async throws {
        guard let committee, let convener = attending.first else { return }
        let attendees = attending.flatMap { key in (people[key] ?? []).prefix(phase == .thaw ? 3 : 1).map(\.userId) }
        _ = try await lead(convener).recordMeeting(committee, heldAt: clock.now(), agenda: agenda, minutes: minutes, attendees: attendees)
    }

    private mutating func promise(from: String, to: String, _ what: String, dueInDays: Int, kept: Bool) async throws {
        let promiser = lead(from)
        let commitment = try await promiser.createCommitment(
            NewCommitment(
                toOrganizationId: people[to]![0].organizationId, what: what, context: .meeting,
                dueOn: CalendarDate(clock.now().adding(days: dueInDays))))
        guard kept else { return }
        let now = clock.now()
        clock.set(now.adding(days: dueInDays - 2))
        _ = try await promiser.changeCommitment(commitment.id, .keep(evidence: line("evidence", DemoStoryLines.evidence)), expectedVersion: 1)
        // The organisation promised judges it: confirmed the next day.
        clock.set(now.adding(days: dueInDays - 1))
        _ = try await lead(to).changeCommitment(commitment.id, .confirm(note: nil), expectedVersion: 2)
        clock.set(now)
    }

    private mutating func playWeek(from monday: CalendarDate) async throws {
        switch phase {
        case .connected: try await connectedWeek(monday)
        case .freeze: try await freezeWeek(monday)
        case .thaw: try await thawWeek(monday)
        }
    }

    private mutating func connectedWeek(_ monday: CalendarDate) async throws {
        if week % 2 == 0 {
            at(monday, plusDays: 1, hour: 10)
            try await meet(
                agenda: [line("spring agenda", DemoStoryLines.springAgenda)], minutes: line("spring minutes", DemoStoryLines.springMinutes))
        }
        at(monday, plusDays: 0, hour: 9)
        try await write(
            "ministry-association", by: "ministry", to: ["association"], subject: "Vaccines in family practices",
            line("ministry spring", DemoStoryLines.ministrySpring))
        at(monday, plusDays: 2, hour: 14)
        try await write("ministry-association", by: "association", to: [], subject: "", line("association spring", DemoStoryLines.associationSpring))
        at(monday, plusDays: 1, hour: 15)
        try await write(
            "phc-riverside", by: "phc", to: ["riverside"], subject: "Clinics and the vaccine rollout", line("phc", DemoStoryLines.phcToPCN))
        at(monday, plusDays: 3, hour: 11)
        try await write("phc-riverside", by: "riverside", to: [], subject: "", line("riverside", DemoStoryLines.pcnToPHC))
        if week % 4 == 1 {
            at(monday, plusDays: 2, hour: 16)
            try await promise(
                from: "authority", to: "riverside", line("authority promise", DemoStoryLines.authorityPromises), dueInDays: 14, kept: true)
            try await promise(
                from: "ministry", to: "association", line("ministry promise", DemoStoryLines.ministryPromises), dueInDays: 21, kept: true)
        }
    }

    private mutating func freezeWeek(_ monday: CalendarDate) async throws {
        // The committee still meets, with fewer at the table each month.
        if week % 2 == 0 {
            at(monday, plusDays: 1, hour: 10)
            try await meet(
                agenda: [line("summer agenda", DemoStoryLines.summerAgenda)], minutes: line("summer minutes", DemoStoryLines.summerMinutes))
        }
        // The ministry writes; primary care has stopped answering.
        if week % 2 == 1 {
            at(monday, plusDays: 0, hour: 9)
            try await write("ministry-association", by: "ministry", to: [], subject: "", line("ministry summer", DemoStoryLines.ministrySummer))
        }
        if week % 3 == 0 {
            at(monday, plusDays: 1, hour: 15)
            try await write("phc-riverside", by: "phc", to: [], subject: "", line("phc summer", DemoStoryLines.phcSummer))
        }
        if week % 4 == 2 {
            at(monday, plusDays: 2, hour: 16)
            try await promise(
                from: "ministry", to: "association", line("ministry summer promise", DemoStoryLines.summerPromises), dueInDays: 14, kept: false)
        }
    }

    private mutating func thawWeek(_ monday: CalendarDate) async throws {
        // Weekly through the Omicron winter, then every second week.
        if week % 2 == 0 || monday < CalendarDate("2022-04-01")! {
            at(monday, plusDays: 2, hour: 9)
            try await meet(
                agenda: [line("thaw agenda", DemoStoryLines.thawAgenda)], minutes: line("thaw minutes", DemoStoryLines.thawMinutes))
        }
        // More voices, both ways, outside the committee as well as in it.
        at(monday, plusDays: 0, hour: 10)
        try await write(
            "deputy-association", by: "ministry", turn: week, to: ["association"], subject: "Primary care in the Omicron response",
            line("deputy", DemoStoryLines.deputyToAssociation))
        at(monday, plusDays: 1, hour: 13)
        try await write(
            "deputy-association", by: "association", turn: week, to: [], subject: "", line("association thaw", DemoStoryLines.associationThaw))
        at(monday, plusDays: 2, hour: 15)
        try await write(
            "phc-pcns", by: "phc", turn: week, to: ["riverside", "northgate"], subject: "Booster clinics and what family practices need",
            line("phc thaw", DemoStoryLines.phcThaw))
        at(monday, plusDays: 3, hour: 11)
        try await write(
            "phc-pcns", by: week % 2 == 0 ? "riverside" : "northgate", turn: week, to: [], subject: "", line("pcn thaw", DemoStoryLines.pcnThaw))
        if week % 3 == 0 {
            at(monday, plusDays: 3, hour: 16)
            try await write(
                "authority-northgate", by: "authority", to: ["northgate"], subject: "Lab results and discharge summaries",
                line("authority", DemoStoryLines.authorityToNorthgate))
            at(monday, plusDays: 4, hour: 10)
            try await write("authority-northgate", by: "northgate", to: [], subject: "", line("northgate", DemoStoryLines.northgateToAuthority))
        }
        if week % 4 == 3 {
            at(monday, plusDays: 1, hour: 16)
            try await promise(from: "ministry", to: "association", line("thaw promise", DemoStoryLines.thawPromises), dueInDays: 21, kept: true)
            try await promise(
                from: "authority", to: "northgate", line("authority thaw promise", DemoStoryLines.authorityThawPromises), dueInDays: 14, kept: true)
        }
    }
}
