import Foundation
import ThawCore

/// A directory search: words, filters, and where the client is.
public struct DirectoryQuery: Sendable {
    public var text: String?
    public var need: NeedCategory?
    public var language: String?
    /// Empty: every capacity but closed.
    public var capacities: Set<Capacity> = []
    public var taxonomyTerm: String?
    public var near: GeoPoint?
    public var postalCode: String?
    /// With a place: only services offered within this distance. Services with no place stay
    /// listed, after the ones with one.
    public var withinKilometres: Double = 50
    /// Only services Thaw can send a referral to (of organisations in the network).
    public var referrableOnly = false
    /// Only services whose weekly hours say they are open at `now`.
    public var openNow = false
    /// The moment "open now" and freshness are judged at (nil: the store's clock), and the
    /// network's UTC offset then, for hours given in local time.
    public var now: Timestamp?
    public var localOffsetHours = 0.0
    /// Records unverified for longer are flagged `stale`.
    public var staleAfterDays = Freshness.defaultPolicyDays
    public var limit = 50

    public init(
        text: String? = nil, need: NeedCategory? = nil, language: String? = nil, capacities: Set<Capacity> = [], taxonomyTerm: String? = nil,
        near: GeoPoint? = nil, postalCode: String? = nil, referrableOnly: Bool = false, limit: Int = 50
    ) {
        self.text = text; self.need = need; self.language = language; self.capacities = capacities; self.taxonomyTerm = taxonomyTerm
        self.near = near; self.postalCode = postalCode; self.referrableOnly = referrableOnly; self.limit = limit
    }
}

/// One service found, with how well it matched and how far it is.
public struct DirectoryHit: Sendable, Equatable, Codable {
    public var serviceId: String
    public var thawServiceId: String?
    public var name: String
    public var organizationName: String
    public var capacity: Capacity
    public var needs: [NeedCategory]
    public var languages: [String]
    /// 0 to 1: the share of the query's words found, those in the name counting three times.
    public var relevance: Double
    public var kilometres: Double?
    public var verifiedAt: Timestamp?
    /// Who last verified it: a person of the organisation for the network's own services, else the source's assurer.
    public var verifiedBy: String?
    /// Unverified for longer than the network's policy.
    public var stale: Bool
    /// On a waitlist, the wait as the service says it (HSDS `wait_time`).
    public var waitTime: String?
    /// The area served, in words.
    public var areaServed: String
    /// Whether its weekly hours say it is open now; nil where it gives none Thaw can read.
    public var openNow: Bool?
}

public struct DirectoryResults: Sendable, Codable {
    public var hits: [DirectoryHit]
    /// Where distances were measured from, when a point or a known postal code was given.
    public var origin: GeoPoint?
}

extension ThawStore {
    /// How much a kilometre of distance weighs against relevance: a service 25 km further away
    /// must match the whole query to rank with one that matches none of it.
    static let kilometresPerRelevance = 25.0
    /// How many matches the database hands over, best first by its own text rank, for the final ranking.
    static let directoryCandidates = 500

    /// Searches the directory: full text (stemmed, prefix, accents folded) narrowed by the
    /// filters, then ranked by relevance and distance together (see `DirectoryHit.relevance` and
    /// `kilometresPerRelevance`), then name. The ranking is computed here, not by either
    /// database, so both give the same order for the same candidates.
    public func searchDirectory(_ query: DirectoryQuery) async throws -> DirectoryResults {
        let words = Array(Set(DirectoryText.words(query.text ?? ""))).sorted().prefix(12)
        return try await database.read { db in
            var origin = query.near
            if origin == nil, let code = query.postalCode { origin = try await Self.place(db, postalCode: code) }
            var conditions: [String] = [], binds: [SQLValue] = []
            var from = "directory_search s"
            let filter = Self.tagFilter(query, origin: origin)
            switch db.dialect {
            case .sqlite:
                // Words and filters in one full-text match, so FTS5 narrows by both before it ranks.
                from = "directory_fts f JOIN directory_search s ON s.doc = f.rowid"
                conditions.append("directory_fts MATCH ?")
                binds.append(.text(filter.fts5(words: Array(words))))
            case .postgres:
                // The words (stemmed, in the name or description: weights A and B) and the tags (weight D) in one GIN index.
                if words.isEmpty {
                    conditions.append("s.search_words @@ to_tsquery('simple', ?)")
                } else {
                    conditions.append("s.search_words @@ (to_tsquery('english', ?) && to_tsquery('simple', ?))")
                    binds.append(.text(words.map { "\($0):*AB" }.joined(separator: " & ")))
                }
                binds.append(.text(filter.tsquery))
            }
            // The candidates: the best by the database's own text rank (or by name), to be ranked here.
            // Every filter is in the full-text match, so the indexes narrow before any row is ranked.
            let columns = """
                s.service_id, s.thaw_service_id, s.name, s.organization_name, s.text_name, s.text_body, s.needs, s.languages,
                s.capacity, s.verified_at, s.verified_by, s.hours, s.areas, s.area_served, s.wait_time
                """
            var sql: String
            switch db.dialect {
            case .sqlite where words.isEmpty:
                sql = """
                    SELECT \(columns) FROM \(from) WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY s.name, s.service_id LIMIT \(Self.directoryCandidates)
                    """
            case .sqlite:
                sql = """
                    SELECT \(columns) FROM (
                        SELECT rowid, bm25(directory_fts, 3.0, 1.0, 0.0) AS rank FROM directory_fts WHERE directory_fts MATCH ?
                        ORDER BY rank, rowid LIMIT \(Self.directoryCandidates)
                    ) f JOIN directory_search s ON s.doc = f.rowid ORDER BY f.rank, s.service_id
                    """
            case .postgres:
                var order = "s.name, s.service_id"
                if !words.isEmpty {
                    order = "ts_rank(s.document, to_tsquery('english', ?)) DESC, s.service_id"
                    binds.append(.text(words.map { "\($0):*" }.joined(separator: " & ")))
                }
                sql = """
                    SELECT \(columns) FROM \(from)
                    WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(Self.directoryCandidates)
                    """
            }
            let rows = try await db.query(sql, binds)
            var places: [String: [GeoPoint]] = [:]
            if origin != nil {
                for chunk in stride(from: 0, to: rows.count, by: 500).map({ Array(rows[$0..<min($0 + 500, rows.count)]) }) {
                    let ids = chunk.map { $0.string("service_id") }
                    for place in try await db.query(
                        "SELECT service_id, latitude, longitude FROM directory_places WHERE service_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                        ids.map { SQLValue.text($0) })
                    {
                        if let latitude = place.optionalDouble("latitude"), let longitude = place.optionalDouble("longitude"),
                            let point = GeoPoint(latitude: latitude, longitude: longitude)
                        {
                            places[place.string("service_id"), default: []].append(point)
                        }
                    }
                }
            }
            var hits: [DirectoryHit] = []
            let now = query.now ?? clock.now()
            for row in rows {
                let id = row.string("service_id")
                let distance = origin.flatMap { from in places[id]?.map { from.kilometres(to: $0) }.min() }
                if origin != nil, let distance, distance > query.withinKilometres { continue }
                // A service that says where it serves, in a form the client's place can be tested against, and not there: left out.
                if origin != nil || query.postalCode != nil,
                    ServiceAreas(stored: row.string("areas")).admits(point: origin, postalCode: query.postalCode) == false
                {
                    continue
                }
                let hours = WeeklyHours(stored: row.string("hours"))
                let open = hours.windows.isEmpty ? nil : hours.isOpen(at: now, localOffsetHours: query.localOffsetHours)
                if query.openNow, open != true { continue }
                let verifiedAt = row.optionalTimestamp("verified_at")
                hits.append(
                    DirectoryHit(
                        serviceId: id, thawServiceId: row.optionalString("thaw_service_id"), name: row.string("name"),
                        organizationName: row.string("organization_name"), capacity: row.enumValue("capacity"),
                        needs: row.string("needs").split(separator: ",").compactMap { NeedCategory(rawValue: String($0)) },
                        languages: row.string("languages").split(separator: ",").map(String.init),
                        relevance: Self.relevance(Array(words), name: row.string("text_name"), body: row.string("text_body")),
                        kilometres: distance, verifiedAt: verifiedAt, verifiedBy: row.optionalString("verified_by"),
                        stale: Freshness.isStale(verifiedAt: verifiedAt, policyDays: query.staleAfterDays, now: now),
                        waitTime: row.optionalString("wait_time"), areaServed: row.string("area_served"), openNow: open))
            }
            let unplaced = origin == nil ? 0 : query.withinKilometres
            hits.sort { Self.ranksBefore($0, $1, unplaced: unplaced) }
            return DirectoryResults(hits: Array(hits.prefix(max(1, min(query.limit, 200)))), origin: origin)
        }
    }

    /// A search's filters as tag words (`DirectoryTags`): need, language, taxonomy term,
    /// membership and readable hours must each be there; near a place, one of the grid cells
    /// around it (or no place at all); and none of the capacities not asked for.
    static func tagFilter(_ query: DirectoryQuery, origin: GeoPoint?) -> DirectoryTagFilter {
        var filter = DirectoryTagFilter()
        if let need = query.need { filter.all.append(DirectoryTags.need(need)) }
        if let language = query.language.map(DirectoryText.fold)?.filter({ $0.isLetter || $0.isNumber }), !language.isEmpty {
            filter.all.append(DirectoryTags.language(language))
        }
        if let term = query.taxonomyTerm, HSDS.isUUID(term) { filter.all.append(DirectoryTags.term(term)) }
        if query.referrableOnly { filter.all.append(DirectoryTags.member) }
        if query.openNow { filter.all.append(DirectoryTags.hours) }
        if let origin {
            // Near enough: the grid cells the circle's box touches (the distance itself is measured after), or no place at all.
            filter.anyOf = DirectoryTags.cells(around: origin, kilometres: query.withinKilometres) + [DirectoryTags.nowhere]
        }
        let capacities = query.capacities.isEmpty ? [Capacity.accepting, .waitlist] : query.capacities.sorted { $0.rawValue < $1.rawValue }
        filter.capacities = capacities.map(DirectoryTags.capacity)
        filter.none = Capacity.allCases.filter { !capacities.contains($0) }.map(DirectoryTags.capacity)
        return filter
    }

    /// The share of the query's words the service's text (stored folded) has, a word in the name counting three times.
    static func relevance(_ words: [String], name: String, body: String) -> Double {
        guard !words.isEmpty else { return 1 }
        let nameWords = DirectoryText.split(name), bodyWords = DirectoryText.split(body)
        let score = words.reduce(0.0) { total, word in
            if nameWords.contains(where: { DirectoryText.finds(word, in: $0) }) { return total + 3 }
            return bodyWords.contains(where: { DirectoryText.finds(word, in: $0) }) ? total + 1 : total
        }
        return score / Double(3 * words.count)
    }

    /// Relevance less distance (a service with no known place counts as `unplaced` away), then
    /// the one with a place, then name, then id.
    static func ranksBefore(_ a: DirectoryHit, _ b: DirectoryHit, unplaced: Double) -> Bool {
        func score(_ hit: DirectoryHit) -> Double { hit.relevance - (hit.kilometres ?? unplaced) / kilometresPerRelevance }
        let (x, y) = (score(a), score(b))
        if abs(x - y) > 1e-9 { return x > y }
        if (a.kilometres == nil) != (b.kilometres == nil) { return a.kilometres != nil }
        return (a.name.lowercased(), a.serviceId) < (b.name.lowercased(), b.serviceId)
    }

    /// Where a postal code is, from the directory's own located places (see `DirectoryPlaces`).
    static func place(_ db: any SQLConnection, postalCode: String) async throws -> GeoPoint? {
        let code = DirectoryPlaces.normalPostalCode(postalCode)
        guard code.count >= 3 else { return nil }
        // The exact code, then the codes starting with its first three characters: a range, which the index serves.
        let area = String(code.prefix(3))
        let areaEnd = String(area.dropLast()) + String(UnicodeScalar((area.unicodeScalars.last?.value ?? 0) + 1).map(Character.init) ?? "~")
        // At most 200 places: a postal area is small, and a province's directory has thousands in some.
        for (condition, binds) in [("postal_code = ?", [code]), ("postal_code >= ? AND postal_code < ?", [area, areaEnd])] {
            let row = try await db.query(
                """
                SELECT AVG(latitude) AS latitude, AVG(longitude) AS longitude FROM (
                    SELECT latitude, longitude FROM directory_places WHERE \(condition) AND latitude IS NOT NULL
                    ORDER BY postal_code, service_id, location_id LIMIT 200) p
                """,
                binds.map { SQLValue.text($0) }
            ).first
            if let latitude = row?.optionalDouble("latitude"), let longitude = row?.optionalDouble("longitude") {
                return GeoPoint(latitude: latitude, longitude: longitude)
            }
        }
        return nil
    }
}

/// Tag words a service must have (`all`), one of which it must have (`anyOf`), and none of
/// which it may have (`none`), written for either engine's full-text query.
struct DirectoryTagFilter {
    var all: [String] = []
    var anyOf: [String] = []
    var none: [String] = []
    /// The capacities asked for: what the query stands on when nothing else must be there.
    var capacities: [String] = []

    /// FTS5: the words as prefixes in the name and description (never in the tags), the tags in `tags`.
    func fts5(words: [String]) -> String {
        var parts = words.map { "{text_name text_body} : \"\($0)\"*" } + all.map { "tags : \($0)" }
        if !anyOf.isEmpty { parts.append("(" + anyOf.map { "tags : \($0)" }.joined(separator: " OR ") + ")") }
        if parts.isEmpty { parts.append("(" + capacities.map { "tags : \($0)" }.joined(separator: " OR ") + ")") }
        return parts.joined(separator: " AND ") + none.map { " NOT tags : \($0)" }.joined()
    }

    /// PostgreSQL: a `simple` tsquery over the tag words, which are weighted D.
    var tsquery: String {
        func tag(_ word: String) -> String { word + ":D" }
        var parts = all.map(tag)
        if !anyOf.isEmpty { parts.append("(" + anyOf.map(tag).joined(separator: " | ") + ")") }
        if parts.isEmpty { parts.append("(" + capacities.map(tag).joined(separator: " | ") + ")") }
        return (parts + none.map { "!" + tag($0) }).joined(separator: " & ")
    }
}

/// The filter words of the full-text indexes (SQLite's `directory_fts.tags`, PostgreSQL's
/// `directory_search.tag_words`): letters and digits only,
/// so the tokenizer keeps each whole. Places are cells of a grid of half a degree (about 55 km
/// north–south), so a search near a point reads only the services of the cells around it.
enum DirectoryTags {
    static let member = "member"
    static let nowhere = "geonone"
    /// The service has weekly hours "open now" can read.
    static let hours = "hourskn"

    static func cell(_ point: GeoPoint) -> String {
        func part(_ degrees: Double) -> String {
            let n = Int((degrees * 2).rounded(.down))
            return n < 0 ? "m\(-n)" : "\(n)"
        }
        return "geo" + part(point.latitude) + "x" + part(point.longitude)
    }

    /// The cells a box of `kilometres` around the point touches.
    static func cells(around point: GeoPoint, kilometres: Double) -> [String] {
        let dLat = kilometres / 111.0, dLon = kilometres / max(1, 111.0 * cos(point.latitude * .pi / 180))
        var cells: [String] = []
        var latitude = ((point.latitude - dLat) * 2).rounded(.down) / 2
        while latitude <= point.latitude + dLat {
            var longitude = ((point.longitude - dLon) * 2).rounded(.down) / 2
            while longitude <= point.longitude + dLon {
                if let corner = GeoPoint(latitude: min(90, max(-90, latitude)), longitude: min(180, max(-180, longitude))) {
                    cells.append(cell(corner))
                }
                longitude += 0.5
            }
            latitude += 0.5
        }
        return Array(Set(cells)).sorted()
    }
    static func need(_ need: NeedCategory) -> String { "need" + need.rawValue.filter { $0.isLetter } }
    static func language(_ code: String) -> String { "lang" + code.filter { $0.isLetter || $0.isNumber } }
    static func capacity(_ capacity: Capacity) -> String { "cap" + capacity.rawValue }
    static func term(_ id: String) -> String { "term" + id.lowercased().filter { $0.isHexDigit } }

    static func of(needs: [NeedCategory], languages: [String], capacity: Capacity, member: Bool, terms: [String], places: [GeoPoint]) -> String {
        let geo = places.isEmpty ? [nowhere] : Array(Set(places.map(cell))).sorted()
        return
            (needs.map(need) + languages.map { language(DirectoryText.fold($0)) } + [Self.capacity(capacity)] + (member ? [Self.member] : [])
            + terms.map(term) + geo).joined(separator: " ")
    }
}
