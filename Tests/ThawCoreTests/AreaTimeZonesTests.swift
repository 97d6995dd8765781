import Testing
import ThawCore

@Suite struct AreaTimeZonesTests {
    @Test(arguments: [
        ("Edmonton", "America/Edmonton"), ("Calgary, AB", "America/Edmonton"), ("Toronto, ON", "America/Toronto"),
        ("Ottawa–Carleton", "America/Toronto"), ("Thunder Bay District", "America/Toronto"), ("Kenora", "America/Winnipeg"),
        ("Regina", "America/Regina"), ("Nouveau-Brunswick", "America/Moncton"), ("St. John's, Newfoundland", "America/St_Johns"),
        ("Labrador City", "America/Goose_Bay"), ("Montréal (Québec)", "America/Toronto"), ("Prince Edward Island", "America/Halifax")
    ])
    func anAreaNamesItsZone(area: String, zone: String) {
        #expect(AreaTimeZones.zone(forArea: area) == zone)
    }

    @Test func anAreaNamingNoPlaceHasNone() {
        #expect(AreaTimeZones.zone(forArea: "Riverside") == nil)
        #expect(AreaTimeZones.zone(forArea: "Province-wide") == nil)
        #expect(AreaTimeZones.zone(forArea: nil) == nil)
        #expect(AreaTimeZones.zone(forArea: "") == nil)
    }

    @Test func aZoneGivenComesBeforeTheAreas() {
        #expect(
            NewOrganization(name: "A", sector: .community, area: "Toronto", timeZone: "America/Vancouver").resolvedTimeZone == "America/Vancouver")
        #expect(NewOrganization(name: "A", sector: .community, area: "Toronto").resolvedTimeZone == "America/Toronto")
    }
}
