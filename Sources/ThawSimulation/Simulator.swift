import ThawCore
import ThawStorage

/// Plays a `SimulationPlan` out through the same store calls people use
/// (threads, a working group's meetings, signals and their acknowledgements,
/// commitments kept or missed, consultations answered and closed, policy moves
/// announced), on a clock moved through the weeks, so the ledger, the climate
/// aggregates and the access rules are exactly those of real use.
///
/// Each week, for each pair, every practice has a level: the planted regime's
/// (its temperature, or the level planted for that practice) plus the week's
/// noise, shared by the pair's practices. Continuity sets how often they are in
/// touch (three chances of 0.1 + 0.6·level); reciprocity who reaches out (either
/// side when warm, mostly the same side as it cools) and whether the other
/// replies; channel mix whether contact is informal (0.1 + 0.4·level) or in their
/// working group; breadth how many of each side's people take part; responsiveness
/// whether signals and feedback are answered in time; follow-through whether a
/// commitment (made with chance 0.1 + 0.2·temperature) is kept (0.15 + 0.8·level;
/// the organisation promised confirms most keeps within days, and silence
/// confirms the rest after two weeks);
/// openness whether feedback is taken up; notice whether a policy move (chance
/// 0.04) is announced at least two weeks ahead.
public struct Simulator: Sendable {
    public let database: any SQLDatabase
    /// The people who act for each organisation (partnership leads).
    public let people: [ID<Organization>: [Actor]]

    public init(database: any SQLDatabase, people: [ID<Organization>: [Actor]]) {
        self.database = database; self.people = people
    }

    public struct Summary: Codable, Sendable {
        public var pairs: Int, weeks: Int, actions: Int
    }

    /// Runs the plan; `progress` hears (weeks done, weeks in all).
    ///
    /// `streams` above 1 splits the pairs into that many streams played side by
    /// side (pair i in stream i mod streams, each with its own random stream and
    /// clock), meeting at the end of every week. Their writes then share group
    /// commits, which is what makes a ten-million-entry history practical; the
    /// history differs from the one-stream history of the same seed but is just
    /// as reproducible. One stream is exactly the sequential history.
    @discardableResult
    public func run(_ plan: SimulationPlan, streams: Int = 1, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let names = Dictionary(
            uniqueKeysWithValues: try await ThawStore(database: database, clock: ManualClock(plan.start.startOfDay)).organizations().map {
                ($0.id, $0.name)
            })
        var runs = (0..<max(1, streams)).map { stream in
            let clock = ManualClock(plan.start.startOfDay)
            return Run(
                plan: plan, store: ThawStore(database: database, clock: clock), clock: clock, people: people, names: names,
                stream: stream, streams: max(1, streams))
        }
        for week in 0..<plan.weeks {
            let end = plan.start.startOfDay.adding(days: 7 * (week + 1))
            runs = try await withThrowingTaskGroup(of: (Int, Run).self) { group in
                for (index, run) in runs.enumerated() {
                    group.addTask {
                        var run = run
                        run.plan(week: week)
                        try await run.play(until: end)
                        return (index, run)
                    }
                }
                var played = runs
                for try await (index, run) in group { played[index] = run }
                return played
            }
            // The deadline sweep sees the whole network, so it runs once every stream has played the week.
            runs[0].clock.set(end.adding(seconds: -1))
            try await runs[0].store.sweepDeadlines()
            progress(week + 1, plan.weeks)
        }
        // What was still to come (a late acknowledgement, a keep) falls after the simulated time and is not played.
        runs[0].clock.set(plan.start.startOfDay.adding(days: 7 * plan.weeks))
        try await runs[0].store.sweepDeadlines()
        return Summary(pairs: plan.pairs.count, weeks: plan.weeks, actions: runs.reduce(0) { $0 + $1.actions })
    }
}

/// One run's moving parts: the random stream, the queue of things to do, and
/// what earlier actions left behind (each pair's thread and working group).
struct Run: Sendable {
    typealias Practice = SimulationPlan.Practice
    enum Action: Sendable {
        /// `reply`: the other side will answer it; `answering`: it answers the other side.
        case message(pair: Int, from: Int, reply: Bool, answering: Bool = false)
        case meeting(pair: Int, from: Int)
        case signal(pair: Int, from: Int)
        case acknowledge(ID<Signal>, by: Actor)
        case commit(pair: Int, from: Int)
        case keep(ID<Commitment>, by: Actor, pair: Int, from: Int)
        /// The organisation promised confirms a keep, or disputes it.
        case judge(ID<Commitment>, by: Actor, confirm: Bool)
        case consult(pair: Int, from: Int)
        case feedback(ID<Consultation>, by: Actor, proposer: Actor, deadline: CalendarDate, pair: Int)
        case answer(ID<Consultation>, ID<FeedbackItem>, by: Actor, adopt: Bool)
        case close(ID<Consultation>, by: Actor)
        case policy(pair: Int, from: Int)
        case survey(pair: Int)
        case rate(ID<SurveyRound>, by: Actor, about: ID<Organization>, pair: Int)
    }
    struct Pending: Ordered, Sendable {
        var at: Timestamp; var order: Int; var action: Action
        static func precedes(_ a: Pending, _ b: Pending) -> Bool { (a.at, a.order) < (b.at, b.order) }
    }

    let plan: SimulationPlan
    let store: ThawStore
    let clock: ManualClock
    let people: [ID<Organization>: [Actor]]
    let names: [ID<Organization>: String]
    /// This run plays the pairs whose index is `stream` modulo `streams`.
    let stream: Int, streams: Int
    var rng: SplitMix64
    var queue = Heap<Pending>()
    var order = 0
    var threads: [Int: ID<DiscussionThread>] = [:]
    var groups: [Int: ID<Committee>] = [:]
    /// This week's level of each practice, and of the whole relationship, by pair.
    var levels: [Int: [Practice: Double]] = [:]
    var temperatures: [Int: Double] = [:]
    var actions = 0

    init(
        plan: SimulationPlan, store: ThawStore, clock: ManualClock, people: [ID<Organization>: [Actor]],
        names: [ID<Organization>: String] = [:], stream: Int = 0, streams: Int = 1
    ) {
        self.plan = plan; self.store = store; self.clock = clock; self.people = people; self.names = names
        self.stream = stream; self.streams = streams
        // Stream 0 draws exactly the one-stream sequence; the others start from seeds of their own.
        rng = SplitMix64(seed: plan.seed &+ UInt64(stream) &* 0x9E37_79B9_7F4A_7C15)
    }

    func level(_ pair: Int, _ practice: Practice) -> Double { levels[pair]?[practice] ?? temperatures[pair] ?? 0.5 }

    /// This week's levels for each pair and what they set going.
    mutating func plan(week: Int) {
        let weekStart = plan.start.startOfDay.adding(days: 7 * week)
        for (index, pair) in plan.pairs.enumerated() where index % streams == stream {
            let noise = plan.noise * rng.normal()
            func clamped(_ value: Double) -> Double { min(1, max(0, value + noise)) }
            temperatures[index] = clamped(pair.temperature(week: week))
            levels[index] = Dictionary(uniqueKeysWithValues: Practice.allCases.map { ($0, clamped(pair.level($0, week: week))) })
            let reciprocity = level(index, .reciprocity), t = temperatures[index] ?? 0.5
            // Warm, either side reaches out; as it cools, one side keeps trying and the other goes quiet.
            func initiator() -> Int { rng.chance(0.5 + 0.5 * (1 - reciprocity)) ? 0 : 1 }
            func sometime(from: Int = 3600, to: Int = 5 * 86_400) -> Timestamp { weekStart.adding(seconds: Int64(rng.between(from, to))) }
            for _ in 0..<3 where rng.chance(0.1 + 0.6 * level(index, .continuity)) {
                let from = initiator()
                let informal = rng.chance(0.1 + 0.4 * level(index, .channelMix))
                schedule(
                    sometime(from: 9 * 3600, to: 4 * 86_400 + 17 * 3600),
                    informal ? .message(pair: index, from: from, reply: rng.chance(reciprocity)) : .meeting(pair: index, from: from))
            }
            if rng.chance(0.08) { schedule(sometime(), .signal(pair: index, from: initiator())) }
            if rng.chance(0.1 + 0.2 * t) { schedule(sometime(), .commit(pair: index, from: initiator())) }
            if rng.chance(0.05) { schedule(sometime(), .consult(pair: index, from: initiator())) }
            if rng.chance(0.04) { schedule(sometime(), .policy(pair: index, from: initiator())) }
            if let every = plan.surveyEveryWeeks, every > 0, week % every == every - 1 {
                schedule(weekStart.adding(seconds: 9 * 3600), .survey(pair: index))
            }
        }
    }

    mutating func schedule(_ at: Timestamp, _ action: Action) {
        order += 1
        queue.push(Pending(at: at, order: order, action: action))
    }

    /// Does everything due before `end`, in time order, including what those actions schedule.
    mutating func play(until end: Timestamp) async throws {
        while let next = queue.peek, next.at < end {
            let pending = queue.pop()!
            clock.set(pending.at)
            try await perform(pending.action, at: pending.at)
            actions += 1
        }
    }

    /// Someone of one side of a pair: from fewer people as breadth falls (one person when it is cold).
    mutating func person(_ pair: Int, _ side: Int) -> Actor {
        let everyone = people[plan.pairs[pair].organizations[side]] ?? []
        let taking = max(1, min(everyone.count, 1 + Int((level(pair, .breadth) * Double(everyone.count - 1)).rounded())))
        return rng.pick(Array(everyone.prefix(taking)))
    }

    /// A template filled in for a writer of side `side` of the pair.
    mutating func text(_ templates: [String], pair: Int, side: Int) -> String {
        let organizations = plan.pairs[pair].organizations
        return SimulatedTexts.fill(
            rng.pick(templates), me: names[organizations[side]] ?? "our organisation", them: names[organizations[1 - side]] ?? "our partner")
    }

    mutating func perform(_ action: Action, at now: Timestamp) async throws {
        switch action {
        case let .message(pair, from, reply, answering):
            let author = person(pair, from)
            if let thread = threads[pair] {
                let body = text(answering ? SimulatedTexts.replies : SimulatedTexts.openings, pair: pair, side: from)
                _ = try await store.scoped(to: author).postToThread(thread, body: body)
            } else {
                let everyone = plan.pairs[pair].organizations.flatMap { people[$0] ?? [] }.map(\.userId)
                threads[pair] = try await store.scoped(to: author).startThread(
                    subject: rng.pick(SimulatedTexts.threadSubjects), with: everyone,
                    message: text(SimulatedTexts.openings, pair: pair, side: from)
                ).id
            }
            if reply {
                schedule(
                    now.adding(seconds: Int64(rng.between(3600, 3 * 86_400))), .message(pair: pair, from: 1 - from, reply: false, answering: true))
            }
        case let .meeting(pair, from):
            try await meet(pair: pair, from: from, at: now)
        case let .signal(pair, from):
            let sender = person(pair, from), other = plan.pairs[pair].organizations[1 - from]
            let kind = rng.pick(Array(SimulatedTexts.signals.keys).sorted { $0.rawValue < $1.rawValue })
            let signal = try await store.scoped(to: sender).sendSignal(
                NewSignal(
                    kind: kind, description: text(SimulatedTexts.signals[kind] ?? [], pair: pair, side: from), madeOn: CalendarDate(now),
                    addressedToOrganizationIds: [other]))
            let responsive = level(pair, .responsiveness)
            if rng.chance(0.4 + 0.6 * responsive) {
                let days = rng.chance(responsive) ? rng.between(0, 10) : rng.between(16, 40)
                schedule(now.adding(seconds: Int64(days * 86_400 + rng.between(600, 6 * 3600))), .acknowledge(signal.id, by: person(pair, 1 - from)))
            }
        case let .acknowledge(id, by):
            _ = try await store.scoped(to: by).acknowledgeSignal(id, note: rng.chance(0.5) ? rng.pick(SimulatedTexts.acknowledgements) : nil)
        case let .commit(pair, from):
            let promiser = person(pair, from)
            let dueDays = rng.between(7, 21)
            let commitment = try await store.scoped(to: promiser).createCommitment(
                NewCommitment(
                    toOrganizationId: plan.pairs[pair].organizations[1 - from], what: rng.pick(SimulatedTexts.commitments),
                    context: rng.chance(0.5) ? .meeting : .thread, dueOn: CalendarDate(now.adding(days: dueDays))))
            if rng.chance(0.15 + 0.8 * level(pair, .followThrough)) {
                schedule(now.adding(days: rng.between(1, dueDays - 1)), .keep(commitment.id, by: promiser, pair: pair, from: from))
            }
        case let .keep(id, by, pair, from):
            _ = try await store.scoped(to: by).changeCommitment(id, .keep(evidence: rng.pick(SimulatedTexts.keptEvidence)), expectedVersion: 1)
            // The organisation promised often judges within days (confirming, or disputing as the relationship is colder);
            // otherwise its silence confirms after two weeks.
            if rng.chance(0.6) {
                schedule(
                    now.adding(days: rng.between(1, 6)),
                    .judge(id, by: person(pair, 1 - from), confirm: rng.chance(0.5 + 0.5 * level(pair, .followThrough))))
            }
        case let .judge(id, by, confirm):
            let change: CommitmentChange = confirm ? .confirm(note: nil) : .dispute(reason: "Not yet: the list we received is last year's.")
            _ = try await store.scoped(to: by).changeCommitment(id, change, expectedVersion: 2)
        case let .consult(pair, from):
            let proposer = person(pair, from)
            let deadline = CalendarDate(now.adding(days: 14))
            let (title, proposal) = rng.pick(SimulatedTexts.consultations)
            let consultation = try await store.scoped(to: proposer).createConsultation(
                NewConsultation(
                    title: title, proposal: proposal, invitedOrganizationIds: [plan.pairs[pair].organizations[1 - from]], deadline: deadline))
            schedule(
                now.adding(days: rng.between(2, 10)),
                .feedback(consultation.id, by: person(pair, 1 - from), proposer: proposer, deadline: deadline, pair: pair))
            // Closed once every item has its answer (answers come at most 25 days after the deadline).
            schedule(deadline.startOfDay.adding(days: 26).adding(seconds: 11 * 3600), .close(consultation.id, by: proposer))
        case let .feedback(id, by, proposer, deadline, pair):
            var items: [String] = []
            for _ in 0..<rng.between(1, 2) {
                let said = rng.pick(SimulatedTexts.feedback.filter { !items.contains($0) })
                items.append(said)
                let item = try await store.scoped(to: by).addFeedback(id, text: said)
                let days = rng.chance(level(pair, .responsiveness)) ? rng.between(1, 12) : rng.between(16, 25)
                schedule(
                    deadline.startOfDay.adding(days: days).adding(seconds: 10 * 3600),
                    .answer(id, item.id, by: proposer, adopt: rng.chance(level(pair, .openness))))
            }
        case let .answer(id, item, by, adopt):
            _ = try await store.scoped(to: by).respond(
                id, item: item, adopt ? rng.pick([.adopted, .adapted]) : .notAdopted,
                text: rng.pick(adopt ? SimulatedTexts.adoptedAnswers : SimulatedTexts.declinedAnswers))
        case let .close(id, by):
            _ = try await store.scoped(to: by).closeConsultation(id)
        case let .survey(pair):
            try await survey(pair: pair, at: now)
        case let .rate(round, by, about, pair):
            try await rate(round, by: by, about: about, pair: pair)
        case let .policy(pair, from):
            // With notice: two to six weeks ahead. Without: a few days ahead, or told after it took effect.
            let days = rng.chance(level(pair, .notice)) ? rng.between(14, 42) : rng.chance(0.5) ? rng.between(1, 10) : -rng.between(0, 7)
            let (title, summary) = rng.pick(SimulatedTexts.policyMoves)
            _ = try await store.scoped(to: person(pair, from)).recordPolicyMove(
                NewPolicyMove(
                    kind: rng.pick(PolicyMove.Kind.allCases), title: title, summary: summary, effectiveOn: CalendarDate(now.adding(days: days)),
                    affectedOrganizationIds: [plan.pairs[pair].organizations[1 - from]]))
        }
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"
    ]

    /// A pulse-survey round for the pair, open two weeks; everyone of both sides rates the other.
    mutating func survey(pair: Int, at now: Timestamp) async throws {
        let organizations = plan.pairs[pair].organizations
        let today = CalendarDate(now)
        let round = try await store.scoped(to: person(pair, 0)).scheduleSurvey(
            NewSurveyRound(
                title:
                    "Pulse survey: \(organizations.map { names[$0] ?? "partner" }.joined(separator: " and ")), \(Self.monthNames[today.month - 1]) \(today.year)",
                participantOrganizationIds: [organizations[1]], opensOn: today, closesOn: today.adding(days: 13)))
        for side in 0..<2 {
            for respondent in people[organizations[side]] ?? [] {
                schedule(
                    now.adding(seconds: Int64(rng.between(3600, 12 * 86_400))),
                    .rate(round.id, by: respondent, about: organizations[1 - side], pair: pair))
            }
        }
    }

    /// One respondent's ratings: each item from the pair's hidden temperature this week, with their own noise.
    mutating func rate(_ round: ID<SurveyRound>, by respondent: Actor, about other: ID<Organization>, pair: Int) async throws {
        let noise = plan.surveyNoise ?? 0.15
        var answers: [SurveyItem: Int] = [:]
        let felt = (temperatures[pair] ?? 0.5) + noise * rng.normal()
        for item in SurveyItem.allCases {
            let level = min(1, max(0, felt + 0.05 * rng.normal()))
            answers[item] = 1 + Int((Double(item.scale - 1) * level).rounded())
        }
        try await store.scoped(to: respondent).answerSurvey(round, about: other, answers)
    }

    /// The pair's working group meets: the side that called it always attends, the other as
    /// the relationship allows; how many of each come is breadth.
    mutating func meet(pair: Int, from: Int, at now: Timestamp) async throws {
        let organizations = plan.pairs[pair].organizations
        let caller = person(pair, from)
        if groups[pair] == nil {
            let title = organizations.map { names[$0] ?? "partner" }.joined(separator: " and ")
            groups[pair] = try await store.scoped(to: caller).createCommittee(
                NewCommittee(
                    name: "\(title) working group", purpose: "Shared clients, referral pathways and the services both run.",
                    decisionRule: .consensus, quorum: 2, memberOrganizationIds: organizations)
            ).id
        }
        guard let group = groups[pair] else { return }
        var attendees: Set<ID<User>> = [caller.userId]
        let breadth = level(pair, .breadth)
        for _ in 0..<rng.between(0, Int((breadth * 2).rounded())) { attendees.insert(person(pair, from).userId) }
        if rng.chance(0.4 + 0.6 * (temperatures[pair] ?? 0.5)) {
            for _ in 0...rng.between(0, Int((breadth * 2).rounded())) { attendees.insert(person(pair, 1 - from).userId) }
        }
        var agenda: [String] = []
        for _ in 0..<rng.between(1, 3) {
            let item = rng.pick(SimulatedTexts.agendas)
            if !agenda.contains(item) { agenda.append(item) }
        }
        _ = try await store.scoped(to: caller).recordMeeting(
            group, heldAt: now, agenda: agenda, minutes: text(SimulatedTexts.minutes, pair: pair, side: from), attendees: Array(attendees))
    }
}
