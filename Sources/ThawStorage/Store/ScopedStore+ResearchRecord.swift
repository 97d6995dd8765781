import ThawCore

/// The partnership's qualitative record for researchers: minutes, motions and their votes,
/// consultations with their feedback and answers, signals, commitments and their fate, outside
/// events and policy moves, and the conversation messages of people who agreed to research use.
/// Each is a text with its day, organisations and channel, and the practices it enacts; every
/// client name, email address and long number in the text is removed first.
extension ScopedStore {
    public func researchRecord(from: CalendarDate, until: CalendarDate) async throws -> [ResearchSource] {
        try AccessPolicy.require(actor, anyOf: Self.evaluationRoles, to: "exporting the qualitative record")
        let actor = self.actor, now = now()
        let sources = try await database.read { db in
            let redactor = Redactor(
                clientNames: try await db.query("SELECT given_name, family_name FROM clients").flatMap {
                    [$0.string("given_name"), $0.string("family_name")].flatMap {
                        $0.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
                    }
                })
            return try await Self.collectResearchRecord(db, from: from, until: until, redactor: redactor)
        }.merged(with: try await climateChangeSources(from: from, until: until))
        try await database.write { db in
            try await db.logAccess(actor, client: nil, action: "export", subjectType: "qualitative-record", subjectId: "\(from)/\(until)", at: now)
        }
        return sources
    }

    /// Each freeze and thaw the climate found in a pair's record in the period (at most its last
    /// five years), as a source coded Freeze or Thaw, with the outside events near its start.
    func climateChangeSources(from: CalendarDate, until: CalendarDate) async throws -> [ResearchSource] {
        let reader = aggregateClimateReader
        let end = until.adding(days: 1), start = max(from, until.firstOfMonth(adding: -59)).firstOfMonth
        let pairs = try await climatePairs(from: start, before: end)
        let names = try await database.read { db in
            Dictionary(
                try await db.query("SELECT id, name FROM organizations").map { ($0.string("id"), $0.string("name")) }, uniquingKeysWith: { a, _ in a }
            )
        }
        var out: [ResearchSource] = []
        for (lo, hi) in pairs {
            let history = try await reader.pairClimateHistory(ID(lo), ID(hi), period: .month, from: start, to: end)
            var before: Double?
            for segment in history.segments {
                defer { before = segment.meanIndex }
                guard let direction = segment.direction, segment.start >= from, segment.start <= until else { continue }
                let pair = "\(names[lo] ?? lo) and \(names[hi] ?? hi)"
                let events = segment.eventsNearStart.map { "\($0.occurredOn): \($0.title)" }
                let text =
                    "The climate between \(pair): a \(direction.rawValue) from \(segment.start), the index averaging "
                    + String(format: "%.1f", segment.meanIndex) + (before.map { " against " + String(format: "%.1f", $0) + " before" } ?? "") + "."
                    + (events.isEmpty ? "" : "\n\nOutside events near its start:\n" + events.joined(separator: "\n"))
                var source = ResearchSource(
                    subject: ResearchSource.climateSubject(lo, hi, start: segment.start, direction: direction), kind: .climateChange,
                    name: "Climate: \(direction.rawValue), \(pair), \(segment.start)",
                    text: text, day: segment.start, organizationIds: [lo, hi], channel: .system, codes: [direction == .freeze ? .freeze : .thaw])
                source.organizations = [names[lo] ?? lo, names[hi] ?? hi].sorted()
                out.append(source)
            }
        }
        return out
    }

    /// The record's sources from `from` to `until`. Without a redactor the texts are left as
    /// they are: only for matching a returning project's sources, never for anything leaving Thaw.
    static func collectResearchRecord(_ db: any SQLConnection, from: CalendarDate, until: CalendarDate, redactor: Redactor?) async throws
        -> [ResearchSource]
    {
        let start = from.startOfDay, end = until.adding(days: 1).startOfDay
        let (fromDay, untilDay) = (from.description, until.description)
        let redactor = redactor ?? Redactor(clientNames: [String]())
        let names = Dictionary(
            try await db.query("SELECT id, name FROM organizations").map { ($0.string("id"), $0.string("name")) }, uniquingKeysWith: { a, _ in a })
        func ids(_ ids: [String]) -> [String] { Array(Set(ids)).sorted() }
        var out: [ResearchSource] = []

        // Committee minutes.
        for row in try await db.query(
            """
            SELECT m.id, m.committee_id, m.held_at, m.agenda, m.minutes, c.name FROM meetings m JOIN committees c ON c.id = m.committee_id
            WHERE m.minutes IS NOT NULL AND m.held_at >= ? AND m.held_at < ? ORDER BY m.held_at, m.id
            """, start, end)
        {
            let present = try await db.query("SELECT DISTINCT organization_id FROM meeting_attendance WHERE meeting_id = ?", row.string("id"))
            let day = CalendarDate(row.timestamp("held_at"))
            out.append(
                ResearchSource(
                    subject: "meeting/" + row.string("id"), kind: .minutes, name: "Minutes: \(row.string("name")), \(day)",
                    text: redactor.redact("Agenda: " + row.string("agenda") + "\n\n" + (row.optionalString("minutes") ?? "")), day: day,
                    organizationIds: ids(present.map { $0.string("organization_id") }), channel: .formal, codes: [.formalChannel],
                    committeeId: row.string("committee_id")))
        }

        // Motions and their votes.
        for row in try await db.query(
            """
            SELECT d.id, d.committee_id, d.motion, d.status, d.opened_at, d.revives_decision_id, c.name FROM decisions d
            JOIN committees c ON c.id = d.committee_id WHERE d.opened_at >= ? AND d.opened_at < ? ORDER BY d.opened_at, d.id
            """, start, end)
        {
            let votes = try await db.query(
                "SELECT organization_id, choice FROM votes WHERE decision_id = ? ORDER BY organization_id", row.string("id"))
            let tally = votes.map { "\(names[$0.string("organization_id")] ?? "?"): \($0.string("choice"))" }.joined(separator: "; ")
            let day = CalendarDate(row.timestamp("opened_at"))
            out.append(
                ResearchSource(
                    subject: "decision/" + row.string("id"), kind: .motion, name: "Motion: \(row.string("name")), \(day)",
                    text: redactor.redact(
                        "Motion: " + row.string("motion") + "\n\nVotes: " + (tally.isEmpty ? "none" : tally) + "\nOutcome: " + row.string("status")),
                    day: day, organizationIds: ids(votes.map { $0.string("organization_id") }), channel: .formal,
                    codes: [.formalChannel] + (row.optionalString("revives_decision_id") == nil ? [] : [.persevering]),
                    committeeId: row.string("committee_id")))
        }

        // Consultations, and each item of feedback with the proposer's answer.
        for row in try await db.query(
            "SELECT id, organization_id, title, proposal, created_at, revives_consultation_id FROM consultations WHERE created_at >= ? AND created_at < ?",
            start, end)
        {
            let invited = try await db.query("SELECT organization_id FROM consultation_invitations WHERE consultation_id = ?", row.string("id"))
            let day = CalendarDate(row.timestamp("created_at"))
            out.append(
                ResearchSource(
                    subject: "consultation/" + row.string("id"), kind: .consultation, name: "Consultation: \(row.string("title"))",
                    text: redactor.redact(row.string("title") + "\n\n" + row.string("proposal")), day: day,
                    organizationIds: ids([row.string("organization_id")] + invited.map { $0.string("organization_id") }), channel: .formal,
                    codes: [.formalChannel] + (row.optionalString("revives_consultation_id") == nil ? [] : [.persevering])))
            for item in try await db.query(
                "SELECT id, organization_id, text, created_at, response, response_text FROM feedback_items WHERE consultation_id = ? ORDER BY created_at, id",
                row.string("id"))
            {
                let answered = item.optionalString("response") != nil
                let answer = answered ? "\n\nAnswer (\(item.string("response"))): " + (item.optionalString("response_text") ?? "") : ""
                out.append(
                    ResearchSource(
                        subject: "feedback/" + item.string("id"), kind: .feedback, name: "Feedback on \(row.string("title"))",
                        text: redactor.redact(item.string("text") + answer), day: CalendarDate(item.timestamp("created_at")),
                        organizationIds: ids([item.string("organization_id"), row.string("organization_id")]), channel: .formal,
                        codes: [.formalChannel] + (answered ? [.bidirectionalCommunication] : [])))
            }
        }

        // Signals of value, with the partners' acknowledgements.
        for row in try await db.query(
            "SELECT id, organization_id, kind, description, made_on FROM signals WHERE made_on >= ? AND made_on <= ?", fromDay, untilDay)
        {
            guard let day = CalendarDate(row.string("made_on")) else { continue }
            let to = try await db.query("SELECT organization_id, acknowledged_at, note FROM signal_addressees WHERE signal_id = ?", row.string("id"))
            let acknowledgements = to.compactMap { a -> String? in
                a.optionalTimestamp("acknowledged_at").map { _ in
                    "\(names[a.string("organization_id")] ?? "?") acknowledged" + (a.optionalString("note").map { ": " + $0 } ?? "")
                }
            }
            let kind = Signal.Kind(rawValue: row.string("kind"))
            let code: [ResearchCode] =
                switch kind {
                case .integrationRoleCreated, .liaisonAppointed, .staffSeconded: [.signalsStaffing]
                case .equipmentProvided, .fundingProvided: [.signalsResources]
                default: []
                }
            out.append(
                ResearchSource(
                    subject: "signal/" + row.string("id"), kind: .signal, name: "Signal: \(row.string("kind")), \(day)",
                    text: redactor.redact(([row.string("description")] + acknowledgements).joined(separator: "\n\n")), day: day,
                    organizationIds: ids([row.string("organization_id")] + to.map { $0.string("organization_id") }), channel: .formal, codes: code))
        }

        // Commitments and what became of them.
        for row in try await db.query(
            """
            SELECT id, organization_id, person_id, to_organization_id, what, context, due_on, status, evidence, reason, renegotiations, created_at
            FROM commitments WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id
            """, start, end)
        {
            let status = row.string("status"), renegotiated = (row.optionalInt64("renegotiations") ?? 0) > 0
            var codes: [ResearchCode] = [row.optionalString("person_id") == nil ? .groupCommitment : .personalCommitment]
            if status == "kept" { codes.append(.followingThrough) }
            if status == "kept", renegotiated { codes.append(.persevering) }
            let fate = [row.optionalString("evidence").map { "Evidence: " + $0 }, row.optionalString("reason").map { "Reason: " + $0 }].compactMap {
                $0
            }
            out.append(
                ResearchSource(
                    subject: "commitment/" + row.string("id"), kind: .commitment, name: "Commitment, due \(row.string("due_on"))",
                    text: redactor.redact(
                        (["Commitment: " + row.string("what"), "Due: \(row.string("due_on")); now \(status)"] + fate).joined(separator: "\n")),
                    day: CalendarDate(row.timestamp("created_at")),
                    organizationIds: ids([row.string("organization_id"), row.string("to_organization_id")]),
                    channel: row.string("context") == "thread" ? .informal : .formal, codes: codes))
        }

        // Outside events and policy moves (a move announced late is a surprise).
        for row in try await db.query(
            "SELECT id, kind, title, description, occurred_on FROM outside_events WHERE occurred_on >= ? AND occurred_on <= ?", fromDay, untilDay)
        {
            guard let day = CalendarDate(row.string("occurred_on")) else { continue }
            let affected = try await db.query("SELECT organization_id FROM outside_event_organizations WHERE event_id = ?", row.string("id"))
            out.append(
                ResearchSource(
                    subject: "outside-event/" + row.string("id"), kind: .outsideEvent, name: "Outside event: \(row.string("title"))",
                    text: redactor.redact(row.string("title") + "\n\n" + row.string("description") + "\n\nKind: " + row.string("kind")), day: day,
                    organizationIds: ids(affected.map { $0.string("organization_id") }), channel: .system, codes: []))
        }
        for row in try await db.query(
            "SELECT id, organization_id, title, summary, kind, effective_on, announced_on, notice FROM policy_moves WHERE announced_on >= ? AND announced_on <= ?",
            fromDay, untilDay)
        {
            guard let day = CalendarDate(row.string("announced_on")) else { continue }
            let parties = try await db.query("SELECT organization_id FROM policy_move_parties WHERE policy_move_id = ?", row.string("id"))
            let surprise = row.string("notice") != PolicyNotice.Verdict.advance.rawValue
            out.append(
                ResearchSource(
                    subject: "policy-move/" + row.string("id"), kind: .policyMove, name: "Policy move: \(row.string("title"))",
                    text: redactor.redact(
                        row.string("title") + "\n\n" + row.string("summary")
                            + "\n\nAnnounced \(row.string("announced_on")), effective \(row.string("effective_on"))"),
                    day: day, organizationIds: ids([row.string("organization_id")] + parties.map { $0.string("organization_id") }), channel: .formal,
                    codes: surprise ? [.surprise] : []))
        }

        // Conversation messages, only of people who agree to research use now.
        for row in try await db.query(
            """
            SELECT m.id, m.thread_id, m.organization_id, m.body, m.sent_at, t.subject FROM thread_messages m JOIN threads t ON t.id = m.thread_id
            JOIN research_agreements a ON a.user_id = m.author_user_id AND a.withdrawn_at IS NULL
            WHERE m.sent_at >= ? AND m.sent_at < ? ORDER BY m.sent_at, m.id
            """, start, end)
        {
            let participants = try await db.query(
                "SELECT DISTINCT organization_id FROM thread_participants WHERE thread_id = ?", row.string("thread_id"))
            let organizations = participants.map { $0.string("organization_id") }
            let day = CalendarDate(row.timestamp("sent_at"))
            out.append(
                ResearchSource(
                    subject: "message/" + row.string("id"), kind: .message, name: "Message: \(row.string("subject")), \(day)",
                    text: redactor.redact(row.string("body")), day: day, organizationIds: ids(organizations + [row.string("organization_id")]),
                    channel: .informal, codes: [.informalChannel] + (Set(organizations).count == 2 ? [.removingIntermediaries] : [])))
        }
        // Titles are typed by people too.
        return out.map { source in
            var source = source
            source.name = redactor.redact(source.name)
            source.organizations = Array(Set(source.organizationIds.map { names[$0] ?? $0 })).sorted()
            return source
        }.sorted { ($0.day, $0.subject) < ($1.day, $1.subject) }
    }
}

extension [ResearchSource] {
    /// Both lists as one, by day and record.
    func merged(with others: [ResearchSource]) -> [ResearchSource] { (self + others).sorted { ($0.day, $0.subject) < ($1.day, $1.subject) } }
}
