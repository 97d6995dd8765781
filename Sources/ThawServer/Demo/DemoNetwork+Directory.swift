import ThawCore
import ThawStorage

/// The demo's service directory: each partner's services at real-looking places in the three
/// demo areas (an address with a postal code, a point, phones, opening hours), and the services a
/// regional 211 line lists that are not in the network — some in French — for a navigator to
/// find by words, need, language and distance, as HSDS records imported the way an operator would.
extension DemoNetwork {
    /// A place in one of the demo areas: its point and postal code.
    struct Place {
        var street: String
        var city: String
        var postalCode: String
        var latitude: Double
        var longitude: Double
    }

    static let places: [String: Place] = [
        "housing": Place(street: "120 Riverside Drive", city: "Riverside", postalCode: "K1S 2A4", latitude: 45.3925, longitude: -75.6831),
        "food": Place(street: "48 Market Lane", city: "Riverside", postalCode: "K1N 5T5", latitude: 45.4290, longitude: -75.6920),
        "employment": Place(street: "900 Northgate Road", city: "Northgate", postalCode: "K1J 8B2", latitude: 45.4430, longitude: -75.6120),
        "income": Place(street: "2 Civic Square", city: "Riverside", postalCode: "K1P 1J1", latitude: 45.4213, longitude: -75.6990),
        "mental": Place(street: "15 Lakeview Road", city: "Prairie", postalCode: "K0A 2P0", latitude: 45.1430, longitude: -76.1420)
    ]

    /// Services the 211 line lists, outside the network: name, description, need, languages, place, postal code, point.
    static let outside:
        [(name: String, organization: String, description: String, need: NeedCategory, languages: [String], place: Place, opens: String)] = [
            (
                "Rent Bank", "Riverside Community Legal and Housing Help",
                "Interest-free loans for rent arrears and utility bills to prevent eviction.",
                .housing, ["en"], Place(street: "77 Bank Street", city: "Riverside", postalCode: "K1P 5N2", latitude: 45.4190, longitude: -75.7010),
                "09:00"
            ),
            (
                "Banque alimentaire Saint-Vincent", "Société Saint-Vincent", "Épicerie communautaire et paniers de nourriture pour les familles.",
                .food, ["fr", "en"],
                Place(street: "310 rue Dalhousie", city: "Riverside", postalCode: "K1N 7E9", latitude: 45.4320, longitude: -75.6900),
                "10:00"
            ),
            (
                "Transit Access Pass", "Riverside Transit", "Reduced-fare bus passes for residents with low income.", .transportation, ["en", "fr"],
                Place(street: "1500 Transit Way", city: "Northgate", postalCode: "K1J 9L3", latitude: 45.4400, longitude: -75.6200), "08:00"
            ),
            (
                "Seniors' Day Program", "Northgate Seniors Centre", "Social and recreational day program to reduce loneliness among older adults.",
                .socialIsolation, ["en"],
                Place(street: "44 Elm Grove", city: "Northgate", postalCode: "K1J 6P1", latitude: 45.4480, longitude: -75.6080),
                "09:30"
            ),
            (
                "Centre de santé mentale Horizon", "Horizon Santé", "Counselling et soutien en santé mentale, en français.", .mentalHealth, ["fr"],
                Place(street: "5 chemin du Lac", city: "Prairie", postalCode: "K0A 2P0", latitude: 45.1460, longitude: -76.1380), "08:30"
            ),
            (
                "Energy Assistance Program", "Prairie County Utilities Help", "Help with heating and hydro bills in the winter months.", .utilities,
                ["en"], Place(street: "12 Main Street", city: "Prairie", postalCode: "K0A 1L0", latitude: 45.1200, longitude: -76.1700), "09:00"
            ),
            (
                "Child Care Subsidy Office", "Riverside Children's Services", "Fee subsidies for licensed child care for working parents.",
                .childcare,
                ["en", "fr"],
                Place(street: "100 Constellation Drive", city: "Riverside", postalCode: "K2G 6J8", latitude: 45.3480, longitude: -75.7570),
                "08:30"
            ),
            (
                "Women's Shelter Line", "Safe Harbour", "Confidential 24-hour crisis line and emergency shelter for women and children.",
                .personalSafety,
                ["en", "fr", "ar"], Place(street: "PO Box 4410", city: "Riverside", postalCode: "K1S 5B7", latitude: 45.4000, longitude: -75.6800),
                "00:00"
            )
        ]

    /// What the 211 line says of its services beyond the basics: the area each serves (postal-code
    /// prefixes, a GeoJSON outline, or words alone) and how many days before the demo began each
    /// was last checked (nil: never; one is past the network's 180 days, to be flagged).
    static let outsideUpkeep: [String: (area: (type: String, extent: String)?, assuredDaysAgo: Int?)] = [
        "Rent Bank": (("postal_code", "K1N, K1P, K1S, K2P"), 30),
        "Banque alimentaire Saint-Vincent": (nil, 45),
        "Transit Access Pass": (("text", "Riverside and Northgate"), 12),
        "Seniors' Day Program": (
            ("geojson", #"{"type":"Polygon","coordinates":[[[-75.66,45.42],[-75.57,45.42],[-75.57,45.48],[-75.66,45.48],[-75.66,45.42]]]}"#), 260
        ),
        "Centre de santé mentale Horizon": (nil, 60),
        "Energy Assistance Program": (
            ("geojson", #"{"type":"Polygon","coordinates":[[[-76.40,45.00],[-75.90,45.00],[-75.90,45.30],[-76.40,45.30],[-76.40,45.00]]]}"#), nil
        ),
        "Child Care Subsidy Office": (("text", "City of Riverside"), 90),
        "Women's Shelter Line": (nil, 20)
    ]

    /// The directory's records for the demo's services and the 211 line's, imported in one go.
    static func loadDirectory(into store: ThawStore, services: [String: Service], organizations: [String: Organization]) async throws {
        var records: [HSDSRecord] = []
        let today = store.clock.now()
        let facts = try await store.serviceDirectoryFacts(services.values.map(\.id))
        for (key, service) in services.sorted(by: { $0.key < $1.key }) {
            let orgKey = organizations.first { $0.value.id == service.organizationId }?.key ?? ""
            guard let place = places[orgKey], let hsdsId = facts[service.id]?.hsdsId else { continue }
            let organization = DerivedUUID.make("thaw/organization/" + service.organizationId.raw)
            records += Self.place(place, key: "demo/" + orgKey, organization: organization, service: hsdsId, opens: "09:00", name: orgKey + key)
        }
        for (index, entry) in outside.enumerated() {
            let organization = DerivedUUID.make("demo/211/organization/\(index)"), service = DerivedUUID.make("demo/211/service/\(index)")
            records.append(
                HSDSRecord(
                    entity: "organization", id: organization,
                    fields: ["name": .text(entry.organization), "description": .text(entry.organization + ", listed by the 211 line")]))
            var fields: [String: HSDSRecord.Value] = [
                "organization_id": .text(organization), "name": .text(entry.name), "description": .text(entry.description),
                "status": .text("active"), "eligibility_description": .text("Residents of the region")
            ]
            let upkeep = outsideUpkeep[entry.name]
            if let days = upkeep?.assuredDaysAgo { fields["assured_date"] = .text(CalendarDate(today.adding(days: -days)).description) }
            records.append(HSDSRecord(entity: "service", id: service, fields: fields))
            if let area = upkeep?.area {
                records.append(
                    HSDSRecord(
                        entity: "service_area", id: DerivedUUID.make(service + "/area"),
                        fields: [
                            "service_id": .text(service), "name": .text(area.type == "text" ? area.extent : entry.place.city + " area"),
                            "extent_type": .text(area.type), "extent": .text(area.extent)
                        ]))
            }
            records.append(
                HSDSRecord(
                    entity: "attribute", id: DerivedUUID.make(service + "/need"),
                    fields: [
                        "link_id": .text(service), "link_entity": .text("service"),
                        "taxonomy_term_id": .text(DirectoryVocabulary.needTermId(entry.need))
                    ]))
            for language in entry.languages {
                records.append(
                    HSDSRecord(
                        entity: "language", id: DerivedUUID.make(service + "/language/" + language),
                        fields: ["service_id": .text(service), "code": .text(language)]))
            }
            records += Self.place(
                entry.place, key: "demo/211/\(index)", organization: organization, service: service, opens: entry.opens, name: entry.name)
        }
        var reading = HSDSReading()
        reading.records = records
        _ = try await store.importDirectory(reading)
    }

    /// A location with its address, phone and weekday hours, and the service offered there.
    private static func place(_ place: Place, key: String, organization: String, service: String, opens: String, name: String) -> [HSDSRecord] {
        let location = DerivedUUID.make(key + "/location")
        return [
            HSDSRecord(
                entity: "location", id: location,
                fields: [
                    "location_type": .text("physical"), "organization_id": .text(organization), "name": .text(place.street),
                    "latitude": .number(place.latitude), "longitude": .number(place.longitude)
                ]),
            HSDSRecord(
                entity: "address", id: DerivedUUID.make(key + "/address"),
                fields: [
                    "location_id": .text(location), "address_1": .text(place.street), "city": .text(place.city), "state_province": .text("ON"),
                    "postal_code": .text(place.postalCode), "country": .text("CA"), "address_type": .text("physical")
                ]),
            HSDSRecord(
                entity: "phone", id: DerivedUUID.make(key + "/phone"),
                fields: [
                    "location_id": .text(location),
                    "number": .text("613-555-0" + String((Int(DerivedUUID.make(key).prefix(3), radix: 16) ?? 0) % 900 + 100))
                ]),
            HSDSRecord(
                entity: "service_at_location", id: DerivedUUID.make(key + "/" + service),
                fields: ["service_id": .text(service), "location_id": .text(location)]),
            HSDSRecord(
                entity: "schedule", id: DerivedUUID.make(key + "/" + service + "/hours"),
                fields: opens == "00:00"
                    ? [
                        "service_id": .text(service), "location_id": .text(location), "freq": .text("WEEKLY"),
                        "byday": .text("MO,TU,WE,TH,FR,SA,SU"), "opens_at": .text("00:00"), "closes_at": .text("24:00"),
                        "description": .text("Every day, around the clock")
                    ]
                    : [
                        "service_id": .text(service), "location_id": .text(location), "freq": .text("WEEKLY"), "byday": .text("MO,TU,WE,TH,FR"),
                        "opens_at": .text(opens), "closes_at": .text("17:00"), "description": .text("Weekdays")
                    ])
        ]
    }
}
