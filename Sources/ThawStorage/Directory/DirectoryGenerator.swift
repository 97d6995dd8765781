import Foundation
import ThawCore

/// A made-up directory the size of a province's, for trying search and import at scale
/// (`thaw directory generate`): organisations with services in eight Ontario cities, each at a
/// place with a postal code of its city, with needs, languages, capacity, a phone and hours. The
/// same count gives the same directory.
public struct DirectoryGenerator: Sendable {
    public var services: Int

    public init(services: Int) { self.services = services }

    struct City { var name: String; var latitude: Double; var longitude: Double; var prefixes: [String] }

    static let cities = [
        City(name: "Ottawa", latitude: 45.4215, longitude: -75.6972, prefixes: ["K1A", "K1N", "K1P", "K1S", "K2P"]),
        City(name: "Toronto", latitude: 43.6532, longitude: -79.3832, prefixes: ["M5V", "M4C", "M6H", "M5A"]),
        City(name: "Hamilton", latitude: 43.2557, longitude: -79.8711, prefixes: ["L8P", "L8L", "L9A"]),
        City(name: "Kingston", latitude: 44.2312, longitude: -76.4860, prefixes: ["K7L", "K7K", "K7M"]),
        City(name: "Sudbury", latitude: 46.4917, longitude: -80.9930, prefixes: ["P3A", "P3B", "P3E"]),
        City(name: "Windsor", latitude: 42.3149, longitude: -83.0364, prefixes: ["N9A", "N8X", "N9B"]),
        City(name: "London", latitude: 42.9849, longitude: -81.2453, prefixes: ["N6A", "N5Y", "N6B"]),
        City(name: "Thunder Bay", latitude: 48.3809, longitude: -89.2477, prefixes: ["P7B", "P7A", "P7C"])
    ]

    static let kinds: [(NeedCategory, [String], String)] = [
        (
            .housing, ["Housing Help", "Rent Bank", "Supportive Housing", "Emergency Shelter", "Tenant Support"],
            "housing, rent and eviction prevention"
        ),
        (.food, ["Food Bank", "Community Kitchen", "Meal Program", "Épicerie solidaire", "Good Food Box"], "food, groceries and meals"),
        (.transportation, ["Ride Program", "Transit Pass", "Medical Drives"], "transportation to appointments"),
        (.utilities, ["Energy Assistance", "Hydro Help", "Winter Warmth"], "heating and hydro bills"),
        (.personalSafety, ["Crisis Line", "Safe Home", "Victim Services"], "safety and crisis support"),
        (.employment, ["Job Coaching", "Employment Centre", "Skills Training"], "jobs, training and work"),
        (.income, ["Tax Clinic", "Benefits Navigation", "Income Support"], "income, benefits and taxes"),
        (.childcare, ["Child Care Subsidy", "Family Centre", "Parenting Program"], "child care and parenting"),
        (.socialIsolation, ["Seniors Centre", "Friendly Visiting", "Drop-in Program"], "company, activities and connection"),
        (.mentalHealth, ["Counselling", "Walk-in Clinic", "Santé mentale communautaire", "Peer Support"], "counselling and mental health")
    ]

    /// The records, in the order a data package lists them.
    public func records() -> [HSDSRecord] {
        var random = SeededRandom(seed: UInt64(services))
        var records: [HSDSRecord] = []
        var organization = ""
        for n in 0..<services {
            if n % 5 == 0 {
                organization = DerivedUUID.make("generated/organization/\(n / 5)")
                records.append(
                    HSDSRecord(
                        entity: "organization", id: organization,
                        fields: ["name": .text("Community Agency \(n / 5)"), "description": .text("A community agency serving its city")]))
            }
            let city = Self.cities[random.next(Self.cities.count)]
            let (need, names, about) = Self.kinds[random.next(Self.kinds.count)]
            let service = DerivedUUID.make("generated/service/\(n)"), location = DerivedUUID.make("generated/location/\(n)")
            let name = "\(city.name) \(names[random.next(names.count)]) \(n)"
            records.append(
                HSDSRecord(
                    entity: "service", id: service,
                    fields: [
                        "organization_id": .text(organization), "name": .text(name), "status": .text("active"),
                        "description": .text("Help with \(about) for residents of \(city.name)."),
                        "eligibility_description": .text(random.next(3) == 0 ? "Adults 18 and over" : "Anyone living in \(city.name)")
                    ]))
            var needs = [need]
            if random.next(3) == 0 { needs.append(Self.kinds[random.next(Self.kinds.count)].0) }
            for extra in Set(needs) {
                records.append(attribute(service, DirectoryVocabulary.needTermId(extra), "need/" + extra.rawValue))
            }
            let capacity: Capacity = [.accepting, .accepting, .accepting, .waitlist, .closed][random.next(5)]
            records.append(attribute(service, DirectoryVocabulary.capacityTermId(capacity), "capacity"))
            var languages = ["en"]
            if random.next(10) < 3 { languages.append("fr") }
            if random.next(10) == 0 { languages.append(["ar", "pa", "zh", "es", "so"][random.next(5)]) }
            for language in languages {
                records.append(
                    HSDSRecord(
                        entity: "language", id: DerivedUUID.make(service + "/language/" + language),
                        fields: ["service_id": .text(service), "code": .text(language)]))
            }
            let latitude = city.latitude + (random.unit() - 0.5) * 0.2, longitude = city.longitude + (random.unit() - 0.5) * 0.3
            let postal =
                city.prefixes[random.next(city.prefixes.count)] + " "
                + "\(random.next(10))\(["A", "B", "C", "E", "G", "H"][random.next(6)])\(random.next(10))"
            records += [
                HSDSRecord(
                    entity: "location", id: location,
                    fields: [
                        "location_type": .text("physical"), "organization_id": .text(organization), "name": .text(name),
                        "latitude": .number((latitude * 1e5).rounded() / 1e5), "longitude": .number((longitude * 1e5).rounded() / 1e5)
                    ]),
                HSDSRecord(
                    entity: "address", id: DerivedUUID.make(location + "/address"),
                    fields: [
                        "location_id": .text(location), "address_1": .text("\(10 + random.next(990)) Main Street"), "city": .text(city.name),
                        "state_province": .text("ON"), "postal_code": .text(postal), "country": .text("CA"), "address_type": .text("physical")
                    ]),
                HSDSRecord(
                    entity: "service_at_location", id: DerivedUUID.make(service + "/at"),
                    fields: ["service_id": .text(service), "location_id": .text(location)]),
                HSDSRecord(
                    entity: "phone", id: DerivedUUID.make(service + "/phone"),
                    fields: ["service_id": .text(service), "number": .text("555-\(1000 + random.next(9000))")]),
                HSDSRecord(
                    entity: "schedule", id: DerivedUUID.make(service + "/hours"),
                    fields: [
                        "service_id": .text(service), "freq": .text("WEEKLY"), "byday": .text("MO,TU,WE,TH,FR"), "opens_at": .text("09:00"),
                        "closes_at": .text("17:00")
                    ])
            ]
        }
        return DirectoryVocabulary.records + records
    }

    private func attribute(_ service: String, _ term: String, _ key: String) -> HSDSRecord {
        HSDSRecord(
            entity: "attribute", id: DerivedUUID.make(service + "/" + key),
            fields: ["link_id": .text(service), "link_entity": .text("service"), "taxonomy_term_id": .text(term)])
    }
}

/// A small fast generator (SplitMix64) whose sequence a seed fixes.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(next64() % UInt64(max(1, bound))) }
    mutating func unit() -> Double { Double(next64() >> 11) / Double(1 << 53) }
}
