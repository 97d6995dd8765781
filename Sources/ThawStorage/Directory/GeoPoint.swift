import Foundation

/// A point on the Earth, in degrees.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init?(latitude: Double, longitude: Double) {
        guard (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        self.latitude = latitude; self.longitude = longitude
    }

    /// The great-circle distance in kilometres (haversine, on a sphere of the Earth's mean radius).
    public func kilometres(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians, dLon = (other.longitude - longitude) * radians
        let a = pow(sin(dLat / 2), 2) + cos(latitude * radians) * cos(other.latitude * radians) * pow(sin(dLon / 2), 2)
        return 2 * 6_371.0088 * asin(min(1, a.squareRoot()))
    }
}

/// Postal codes as the directory knows them: a code is placed where the directory's own located
/// addresses with that code are (their mean point), or, failing that, those sharing its first
/// three characters (a Canadian forward sortation area). No outside geocoder is asked.
public enum DirectoryPlaces {
    /// Upper case, without spaces: `k1a 0b1` → `K1A0B1`.
    public static func normalPostalCode(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber }.prefix(12))
    }
}
