import Foundation
import ThawCore

/// Where a service says it serves, in the forms Thaw can test a client's place against: GeoJSON
/// polygons (`extent_type` `geojson`) and postal-code prefixes (`extent_type` `postal_code`,
/// the extent a list such as `T5J, T5K, T6`). An area given only in words (`name`,
/// `description`) is shown to the navigator but does not filter: Thaw cannot tell from words
/// whether a client lives in it.
public struct ServiceAreas: Sendable, Equatable, Codable {
    /// Each polygon's rings as `[latitude, longitude]` pairs; the first ring is the outline, the others holes.
    public var polygons: [[[[Double]]]] = []
    public var postalPrefixes: [String] = []

    public init() {}

    public var isEmpty: Bool { polygons.isEmpty && postalPrefixes.isEmpty }

    /// The readable areas of a service's `service_area` records.
    public init(records: [HSDSRecord]) {
        for record in records {
            let type = (record["extent_type"] ?? "").lowercased().replacingOccurrences(of: "-", with: "_")
            guard let extent = record["extent"], !extent.isEmpty else { continue }
            switch type {
            case "geojson":
                polygons += Self.polygons(geoJSON: extent)
            case "postal_code", "postal_codes", "postcode", "postcodes", "zip", "zip_code":
                postalPrefixes += extent.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " })
                    .map { DirectoryPlaces.normalPostalCode(String($0)) }.filter { !$0.isEmpty }
            default: continue
            }
        }
        postalPrefixes = Array(Set(postalPrefixes)).sorted()
    }

    /// Whether the client's place is in one of the areas: nil when there are no areas to test,
    /// or none in a form the place given can be tested against.
    public func admits(point: GeoPoint?, postalCode: String?) -> Bool? {
        var testable = false
        if let point, !polygons.isEmpty {
            testable = true
            if polygons.contains(where: { Self.contains($0, point) }) { return true }
        }
        if let postalCode, !postalPrefixes.isEmpty {
            testable = true
            let code = DirectoryPlaces.normalPostalCode(postalCode)
            if postalPrefixes.contains(where: { code.hasPrefix($0) }) { return true }
        }
        return testable ? false : nil
    }

    /// Inside the outline and outside every hole (even–odd ray casting, fine at a city's scale).
    static func contains(_ polygon: [[[Double]]], _ point: GeoPoint) -> Bool {
        guard let outline = polygon.first, inside(outline, point) else { return false }
        return !polygon.dropFirst().contains { inside($0, point) }
    }

    private static func inside(_ ring: [[Double]], _ point: GeoPoint) -> Bool {
        var result = false
        var j = ring.count - 1
        for i in ring.indices {
            guard ring[i].count == 2, ring[j].count == 2 else { j = i; continue }
            let (yi, xi, yj, xj) = (ring[i][0], ring[i][1], ring[j][0], ring[j][1])
            if (yi > point.latitude) != (yj > point.latitude),
                point.longitude < (xj - xi) * (point.latitude - yi) / (yj - yi) + xi
            {
                result.toggle()
            }
            j = i
        }
        return result
    }

    /// The polygons of a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (GeoJSON
    /// gives `[longitude, latitude]`; kept here as `[latitude, longitude]`). Anything else: none.
    static func polygons(geoJSON text: String) -> [[[[Double]]]] {
        guard text.utf8.count <= 1_000_000, let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return [] }
        return polygons(json, depth: 0)
    }

    private static func polygons(_ json: Any, depth: Int) -> [[[[Double]]]] {
        guard depth < 4, let object = json as? [String: Any] else { return [] }
        func rings(_ value: Any?) -> [[[Double]]]? {
            guard let rings = value as? [[Any]] else { return nil }
            let read = rings.map { ring in
                ring.compactMap { position -> [Double]? in
                    guard let pair = position as? [Any], pair.count >= 2, let lon = number(pair[0]), let lat = number(pair[1]),
                        (-90...90).contains(lat), (-180...180).contains(lon)
                    else { return nil }
                    return [lat, lon]
                }
            }
            return read.first.map { $0.count >= 3 } == true ? read : nil
        }
        switch object["type"] as? String {
        case "Polygon": return rings(object["coordinates"]).map { [$0] } ?? []
        case "MultiPolygon": return (object["coordinates"] as? [Any] ?? []).compactMap(rings)
        case "Feature": return object["geometry"].map { polygons($0, depth: depth + 1) } ?? []
        case "FeatureCollection": return (object["features"] as? [Any] ?? []).flatMap { polygons($0, depth: depth + 1) }
        case "GeometryCollection": return (object["geometries"] as? [Any] ?? []).flatMap { polygons($0, depth: depth + 1) }
        default: return []
        }
    }

    private static func number(_ value: Any) -> Double? {
        guard let double = (value as? NSNumber)?.doubleValue, double.isFinite else { return nil }
        return double
    }

    /// For the search index: compact JSON, or the empty string for no testable area.
    var stored: String {
        guard !isEmpty, let data = try? JSONEncoder().encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    init(stored: String) {
        self = stored.isEmpty ? ServiceAreas() : (try? JSONDecoder().decode(ServiceAreas.self, from: Data(stored.utf8))) ?? ServiceAreas()
    }
}
