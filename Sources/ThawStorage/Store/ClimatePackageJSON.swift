import Foundation
import ThawCore

/// Climate packages as stored: the JSON they arrived as.
enum ClimatePackageJSON {
    static func decode(_ text: String) throws -> ClimatePackage {
        try JSONDecoder().decode(ClimatePackage.self, from: Data(text.utf8))
    }
}
