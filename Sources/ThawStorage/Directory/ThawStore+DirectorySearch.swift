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
            if !words.isEmpty {
                switch db.dialect {
                case .sqlite:
                    from = "directory_fts f JOIN directory_search s ON s.doc = f.rowid"
                    conditions.append("directory_fts MATCH ?")
                    binds.append(.text(words.map { "\"\($0)\"*" }.joined(separator: " AND ")))
                case .postgres:
                    conditions.append("s.document @@ to_tsquery('english', ?)")
                    binds.append(.text(words.map { "\($0):*" }.joined(separator: " & ")))
                }
            }
            if let need = query.need { conditions.append("s.needs LIKE ?"); binds.append(.text("%," + need.rawValue + ",%")) }
            if let language = query.language.map(DirectoryText.fold)?.filter({ $0.isLetter || $0 == "-" }), !language.isEmpty {
                conditions.append("s.languages LIKE ?"); binds.append(.text("%," + language + ",%"))
            }
            if let term = query.taxonomyTerm, HSDS.isUUID(term) {
                conditions.append("s.taxonomy_terms LIKE ?"); binds.append(.text("%," + term + ",%"))
            }
            let capacities = query.capacities.isEmpty ? [Capacity.accepting, .waitlist] : query.capacities.sorted { $0.rawValue < $1.rawValue }
            conditions.append("s.capacity IN (" + capacities.map { _ in "?" }.joined(separator: ",") + ")")
            binds += capacities.map(\.sqlValue)
            if query.referrableOnly { conditions.append("s.thaw_service_id IS NOT NULL") }
            if let origin {
                // Near enough, by a box around the circle (the distance itself is measured below); or with no place at all.
                let dLat = query.withinKilometres / 111.0, dLon = query.withinKilometres / max(1, 111.0 * cos(origin.latitude * .pi / 180))
                conditions.append(
                    """
                    (EXISTS (SELECT 1 FROM directory_places p WHERE p.service_id = s.service_id AND p.latitude BETWEEN ? AND ?
                             AND p.longitude BETWEEN ? AND ?)
                     OR NOT EXISTS (SELECT 1 FROM directory_places p WHERE p.service_id = s.service_id AND p.latitude IS NOT NULL))
                    """)
                binds += [
                    .double(origin.latitude - dLat), .double(origin.latitude + dLat), .double(origin.longitude - dLon),
                    .double(origin.longitude + dLon)
                ]
            }
            // The candidates: the best 2,000 by the database's own text rank, or by name.
            var order = "s.name, s.service_id"
            if !words.isEmpty {
                switch db.dialect {
                case .sqlite: order = "bm25(directory_fts, 3.0, 1.0), s.service_id"
                case .postgres:
                    order = "ts_rank(s.document, to_tsquery('english', ?)) DESC, s.service_id"
                    binds.append(.text(words.map { "\($0):*" }.joined(separator: " & ")))
                }
            }
            let sql = """
                SELECT s.service_id, s.thaw_service_id, s.name, s.organization_name, s.text_name, s.text_body, s.needs, s.languages,
                       s.capacity, s.verified_at FROM \(from)
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT 2000
                """
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
            for row in rows {
                let id = row.string("service_id")
                let distance = origin.flatMap { from in places[id]?.map { from.kilometres(to: $0) }.min() }
                if origin != nil, let distance, distance > query.withinKilometres { continue }
                hits.append(
                    DirectoryHit(
                        serviceId: id, thawServiceId: row.optionalString("thaw_service_id"), name: row.string("name"),
                        organizationName: row.string("organization_name"), capacity: row.enumValue("capacity"),
                        needs: row.string("needs").split(separator: ",").compactMap { NeedCategory(rawValue: String($0)) },
                        languages: row.string("languages").split(separator: ",").map(String.init),
                        relevance: Self.relevance(Array(words), name: row.string("text_name"), body: row.string("text_body")),
                        kilometres: distance, verifiedAt: row.optionalTimestamp("verified_at")))
            }
            let unplaced = origin == nil ? 0 : query.withinKilometres
            hits.sort { Self.ranksBefore($0, $1, unplaced: unplaced) }
            return DirectoryResults(hits: Array(hits.prefix(max(1, min(query.limit, 200)))), origin: origin)
        }
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
        for (condition, bind) in [("postal_code = ?", code), ("postal_code LIKE ?", String(code.prefix(3)) + "%")] {
            let row = try await db.first(
                "SELECT AVG(latitude) AS latitude, AVG(longitude) AS longitude FROM directory_places WHERE \(condition) AND latitude IS NOT NULL",
                bind)
            if let latitude = row?.optionalDouble("latitude"), let longitude = row?.optionalDouble("longitude") {
                return GeoPoint(latitude: latitude, longitude: longitude)
            }
        }
        return nil
    }
}
