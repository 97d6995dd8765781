import ThawCore

/// What an import did, or (refused) would have done.
public struct DirectoryImportReport: Sendable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    /// Records the directory holds a newer version of (by `last_modified`), left as they are.
    public var older = 0
    public var refused: [HSDSProblem] = []
    /// Links to records neither imported nor in the directory, kept as they are (see `HSDS.requiredLinks`).
    public var dangling: [HSDSProblem] = []
    /// Services of network members added or changed in Thaw's referral directory.
    public var servicesProjected = 0
    /// Nothing was written: problems were found and a partial import was not asked for.
    public var writtenNothing = false
}

extension ThawStore {
    /// Records per write transaction: short enough that referrals written meanwhile wait a few
    /// milliseconds at most.
    static let directoryBatch = 500

    /// Imports what was read (see `HSDSReader`). Every record is checked first — its own fields,
    /// and that each record it links to is in the import or already in the directory — and
    /// nothing is written if anything is refused, unless `allowPartial` (then the refused records,
    /// and the records that link to them, are left out). Idempotent by id: a record imported again
    /// unchanged changes nothing; a changed one is updated, unless the directory holds a newer
    /// one by `last_modified`. Written in short transactions; `progress` hears how far it got.
    public func importDirectory(
        _ reading: HSDSReading, allowPartial: Bool = false, progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> DirectoryImportReport {
        var report = DirectoryImportReport()
        report.refused = reading.problems
        var records = Self.merged(reading.records, problems: &report.refused)
        let known = try await knownRecords(ids: Set(records.values.map(\.id)).union(records.values.flatMap { $0.links.map(\.target) }))
        Self.checkLinks(&records, known: known, problems: &report.refused, dangling: &report.dangling)
        if !report.refused.isEmpty && !allowPartial {
            report.writtenNothing = true
            return report
        }
        let now = clock.now()
        var changes: [HSDSRecord] = []
        for record in records.values.sorted(by: Self.importOrder) {
            switch known[Key(record.entity, record.id)] {
            case nil:
                report.added += 1; changes.append(record)
            case .some(let stored) where stored == record:
                report.unchanged += 1
            case .some(let stored) where Self.isNewer(stored, than: record):
                report.older += 1
            default:
                report.updated += 1; changes.append(record)
            }
        }
        var written = 0
        progress(0, changes.count)
        for start in stride(from: 0, to: changes.count, by: Self.directoryBatch) {
            let batch = Array(changes[start..<min(start + Self.directoryBatch, changes.count)])
            try await database.write { db in
                for record in batch { try await Self.store(db, record, at: now) }
            }
            written += batch.count
            progress(written, changes.count)
        }
        // Then the services of network members, once everything they are said by is written.
        let changed = changes
        let touched = try await database.read { db in try await Self.touchedServices(changed, db) }.sorted()

        for start in stride(from: 0, to: touched.count, by: 200) {
            let batch = Array(touched[start..<min(start + 200, touched.count)])
            report.servicesProjected += try await database.write { db in
                let projected = try await Self.projectServices(db, hsdsIds: batch, at: now)
                try await Self.indexServices(db, hsdsIds: batch, at: now)
                return projected
            }
        }
        return report
    }

    struct Key: Hashable {
        var entity: String
        var id: String
        init(_ entity: String, _ id: String) { self.entity = entity; self.id = id }
    }

    /// The same record read more than once (a service's organization nested in each service) is
    /// one record; copies that disagree are merged, the later's fields over the earlier's.
    private static func merged(_ records: [HSDSRecord], problems: inout [HSDSProblem]) -> [Key: HSDSRecord] {
        var byKey: [Key: HSDSRecord] = [:], entityOf: [String: String] = [:]
        for record in records {
            if let other = entityOf[record.id], other != record.entity {
                problems.append(
                    HSDSProblem(
                        file: record.file, row: record.row, field: "id", rule: "unique",
                        message: "\(record.id) is already the id of a \(other); ids are unique across the directory"))
                continue
            }
            entityOf[record.id] = record.entity
            let key = Key(record.entity, record.id)
            if var existing = byKey[key] {
                existing.fields.merge(record.fields) { _, new in new }
                byKey[key] = existing
            } else {
                byKey[key] = record
            }
        }
        return byKey
    }

    /// A link must name a record of the kind it links to. One of `HSDS.requiredLinks` must name a
    /// record in the import or in the directory, or the record is refused — and so, in turn, are
    /// the records linking to it, until nothing more falls. Other links naming nothing are noted.
    private static func checkLinks(
        _ records: inout [Key: HSDSRecord], known: [Key: HSDSRecord], problems: inout [HSDSProblem], dangling: inout [HSDSProblem]
    ) {
        let knownIds = Dictionary(known.keys.map { ($0.id, $0.entity) }, uniquingKeysWith: { a, _ in a })
        var falling = true
        while falling {
            falling = false
            let present = Dictionary(records.keys.map { ($0.id, $0.entity) }, uniquingKeysWith: { a, _ in a }).merging(knownIds) { a, _ in a }
            for (key, record) in records {
                for (field, target) in record.links {
                    let expected = HSDS.target(ofLink: field)
                    guard let found = present[target] else {
                        let problem = HSDSProblem(
                            file: record.file, row: record.row, field: field, rule: "reference",
                            message: "\(field) names \(target), which is neither in this import nor in the directory")
                        if HSDS.requiredLinks.contains(record.entity + "." + field) {
                            problems.append(problem)
                            records[key] = nil; falling = true
                            break
                        }
                        if !dangling.contains(problem) { dangling.append(problem) }
                        continue
                    }
                    if let expected, found != expected {
                        problems.append(
                            HSDSProblem(
                                file: record.file, row: record.row, field: field, rule: "reference",
                                message: "\(field) names \(target), which is a \(found), not a \(expected)"))
                        records[key] = nil; falling = true
                        break
                    }
                }
            }
        }
    }

    private static let entityOrder = Dictionary(uniqueKeysWithValues: HSDS.entities.enumerated().map { ($1.name, $0) })

    /// What a record links to comes first (the model's order), then by id: a stable order to write in.
    private static func importOrder(_ a: HSDSRecord, _ b: HSDSRecord) -> Bool {
        let (x, y) = (entityOrder[a.entity] ?? 99, entityOrder[b.entity] ?? 99)
        return x != y ? x < y : a.id < b.id
    }

    private static func isNewer(_ stored: HSDSRecord, than incoming: HSDSRecord) -> Bool {
        guard let mine = stored["last_modified"].flatMap(ISO8601.parse), let theirs = incoming["last_modified"].flatMap(ISO8601.parse)
        else { return false }
        return mine > theirs
    }

    /// The directory's records among `ids` (any entity), 500 ids a query.
    func knownRecords(ids: Set<String>) async throws -> [Key: HSDSRecord] {
        let all = ids.filter { !$0.isEmpty }.sorted()
        var found: [Key: HSDSRecord] = [:]
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = Array(all[start..<min(start + 500, all.count)])
            let rows = try await database.read { db in
                try await db.query(
                    "SELECT entity, id, fields FROM directory_records WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                    chunk.map { SQLValue.text($0) })
            }
            for row in rows {
                if let record = HSDSRecord(entity: row.string("entity"), id: row.string("id"), stored: row.string("fields")) {
                    found[Key(record.entity, record.id)] = record
                }
            }
        }
        return found
    }

    static func store(_ db: any SQLConnection, _ record: HSDSRecord, at now: Timestamp) async throws {
        try await db.execute(
            """
            INSERT INTO directory_records (entity, id, fields, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (entity, id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
            """, record.entity, record.id, record.storedFields, now)
        try await db.execute("DELETE FROM directory_links WHERE entity = ? AND id = ?", record.entity, record.id)
        for (field, target) in record.links {
            try await db.execute(
                "INSERT INTO directory_links (entity, id, field, target) VALUES (?, ?, ?, ?)", record.entity, record.id, field, target)
        }
    }
}
