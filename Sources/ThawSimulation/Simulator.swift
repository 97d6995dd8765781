import ThawCore
import ThawStorage

/// Plays a `SimulationPlan` out through the same store calls people use
/// (threads, signals and their acknowledgements, commitments kept or missed,
/// consultations answered), on a clock moved through the weeks, so the ledger,
/// the climate aggregates and the access rules are exactly those of real use.
///
/// Each week, for each pair, the hidden temperature T (the planted regime's
/// level plus noise) decides: how often they reach out (three chances of
/// 0.1 + 0.6·T) and who does (either side when warm; mostly the same side as
/// it cools), through which channel (informal with 0.1 + 0.4·T), whether the
/// other side answers (T) and in time (T), how often a commitment is made
/// (0.1 + 0.2·T) and kept (0.15 + 0.8·T), and whether consultation feedback is
/// taken up (T).
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
        var runs = (0..<max(1, streams)).map { stream in
            let clock = ManualClock(plan.start.startOfDay)
            return Run(
                plan: plan, store: ThawStore(database: database, clock: clock), clock: clock, people: people,
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
/// what earlier actions left behind (each pair's thread).
struct Run: Sendable {
    enum Action: Sendable {
        case message(pair: Int, from: Int, reply: Bool)
        case signal(pair: Int, from: Int)
        case acknowledge(ID<Signal>, by: Actor)
        case commit(pair: Int, from: Int)
        case keep(ID<Commitment>, by: Actor)
        case consult(pair: Int, from: Int)
        case feedback(ID<Consultation>, by: Actor, proposer: Actor, deadline: CalendarDate, temperature: Double)
        case answer(ID<Consultation>, ID<FeedbackItem>, by: Actor, adopt: Bool)
    }
    struct Pending: Ordered, Sendable {
        var at: Timestamp; var order: Int; var action: Action
        static func precedes(_ a: Pending, _ b: Pending) -> Bool { (a.at, a.order) < (b.at, b.order) }
    }

    let plan: SimulationPlan
    let store: ThawStore
    let clock: ManualClock
    let people: [ID<Organization>: [Actor]]
    /// This run plays the pairs whose index is `stream` modulo `streams`.
    let stream: Int, streams: Int
    var rng: SplitMix64
    var queue = Heap<Pending>()
    var order = 0
    var threads: [Int: ID<DiscussionThread>] = [:]
    var temperatures: [Int: Double] = [:]
    var actions = 0

    init(plan: SimulationPlan, store: ThawStore, clock: ManualClock, people: [ID<Organization>: [Actor]], stream: Int = 0, streams: Int = 1) {
        self.plan = plan; self.store = store; self.clock = clock; self.people = people
        self.stream = stream; self.streams = streams
        // Stream 0 draws exactly the one-stream sequence; the others start from seeds of their own.
        rng = SplitMix64(seed: plan.seed &+ UInt64(stream) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// This week's temperature for each pair and what it sets going.
    mutating func plan(week: Int) {
        let weekStart = plan.start.startOfDay.adding(days: 7 * week)
        for (index, pair) in plan.pairs.enumerated() where index % streams == stream {
            let t = min(1, max(0, pair.temperature(week: week) + plan.noise * rng.normal()))
            temperatures[index] = t
            // Warm, either side reaches out; as it cools, one side keeps trying and the other goes quiet.
            func initiator() -> Int { rng.chance(0.5 + 0.5 * (1 - t)) ? 0 : 1 }
            for _ in 0..<3 where rng.chance(0.1 + 0.6 * t) {
                let at = weekStart.adding(seconds: Int64(rng.between(9 * 3600, 4 * 86_400 + 17 * 3600)))
                let from = initiator()
                schedule(at, rng.chance(0.1 + 0.4 * t) ? .message(pair: index, from: from, reply: rng.chance(t)) : .signal(pair: index, from: from))
            }
            if rng.chance(0.1 + 0.2 * t) {
                schedule(weekStart.adding(seconds: Int64(rng.between(3600, 5 * 86_400))), .commit(pair: index, from: initiator()))
            }
            if rng.chance(0.05) {
                schedule(weekStart.adding(seconds: Int64(rng.between(3600, 5 * 86_400))), .consult(pair: index, from: initiator()))
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

    func person(_ pair: Int, _ side: Int, rng: inout SplitMix64) -> Actor {
        rng.pick(people[plan.pairs[pair].organizations[side]] ?? [])
    }

    mutating func perform(_ action: Action, at now: Timestamp) async throws {
        switch action {
        case let .message(pair, from, reply):
            let author = person(pair, from, rng: &rng)
            if let thread = threads[pair] {
                _ = try await store.scoped(to: author).postToThread(thread, body: "How are things on your side this week?")
            } else {
                let everyone = plan.pairs[pair].organizations.flatMap { people[$0] ?? [] }.map(\.userId)
                threads[pair] = try await store.scoped(to: author).startThread(
                    subject: "Keeping in touch", with: everyone,
                    message: "Could we catch up about the people we both serve?"
                ).id
            }
            if reply { schedule(now.adding(seconds: Int64(rng.between(3600, 3 * 86_400))), .message(pair: pair, from: 1 - from, reply: false)) }
        case let .signal(pair, from):
            let t = temperatures[pair] ?? 0.5
            let sender = person(pair, from, rng: &rng), other = plan.pairs[pair].organizations[1 - from]
            let signal = try await store.scoped(to: sender).sendSignal(
                NewSignal(
                    kind: rng.pick([.liaisonAppointed, .equipmentProvided, .integrationRoleCreated]), description: "A step towards working together",
                    madeOn: CalendarDate(now), addressedToOrganizationIds: [other]))
            if rng.chance(0.4 + 0.6 * t) {
                let days = rng.chance(t) ? rng.between(0, 10) : rng.between(16, 40)
                schedule(
                    now.adding(seconds: Int64(days * 86_400 + rng.between(600, 6 * 3600))),
                    .acknowledge(signal.id, by: person(pair, 1 - from, rng: &rng)))
            }
        case let .acknowledge(id, by):
            _ = try await store.scoped(to: by).acknowledgeSignal(id, note: nil)
        case let .commit(pair, from):
            let t = temperatures[pair] ?? 0.5
            let promiser = person(pair, from, rng: &rng)
            let dueDays = rng.between(7, 21)
            let commitment = try await store.scoped(to: promiser).createCommitment(
                NewCommitment(
                    toOrganizationId: plan.pairs[pair].organizations[1 - from], what: "Share the updated contact list",
                    context: rng.chance(0.5) ? .meeting : .thread, dueOn: CalendarDate(now.adding(days: dueDays))))
            if rng.chance(0.15 + 0.8 * t) {
                schedule(now.adding(days: rng.between(1, dueDays - 1)), .keep(commitment.id, by: promiser))
            }
        case let .keep(id, by):
            _ = try await store.scoped(to: by).changeCommitment(id, .keep(evidence: "Sent"), expectedVersion: 1)
        case let .consult(pair, from):
            let proposer = person(pair, from, rng: &rng)
            let deadline = CalendarDate(now.adding(days: 14))
            let consultation = try await store.scoped(to: proposer).createConsultation(
                NewConsultation(
                    title: "Draft referral pathway", proposal: "A shared pathway for people leaving hospital without a home",
                    invitedOrganizationIds: [plan.pairs[pair].organizations[1 - from]], deadline: deadline))
            schedule(
                now.adding(days: rng.between(2, 10)),
                .feedback(
                    consultation.id, by: person(pair, 1 - from, rng: &rng), proposer: proposer,
                    deadline: deadline, temperature: temperatures[pair] ?? 0.5))
        case let .feedback(id, by, proposer, deadline, t):
            for _ in 0..<rng.between(1, 2) {
                let item = try await store.scoped(to: by).addFeedback(id, text: "Add a step for people without a phone")
                let days = rng.chance(t) ? rng.between(1, 12) : rng.between(18, 35)
                schedule(deadline.startOfDay.adding(days: days).adding(seconds: 10 * 3600), .answer(id, item.id, by: proposer, adopt: rng.chance(t)))
            }
        case let .answer(id, item, by, adopt):
            _ = try await store.scoped(to: by).respond(
                id, item: item, adopt ? .adapted : .notAdopted,
                text: adopt ? "Added, with a call-back instead" : "Not this year: no budget for it")
        }
    }
}
