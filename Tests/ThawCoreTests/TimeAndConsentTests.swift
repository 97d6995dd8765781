import Testing
@testable import ThawCore

@Suite struct TimeTests {
    @Test func parsesRFC3339WithOffsetsAndFractions() throws {
        #expect(ISO8601.parse("1970-01-01T00:00:00Z")?.millis == 0)
        #expect(ISO8601.parse("1970-01-01T01:00:00+01:00")?.millis == 0)
        #expect(ISO8601.parse("2024-02-29T12:30:15.25Z")?.millis == 1_709_209_815_250)
        #expect(ISO8601.parse("2024-02-29T12:30:15.123456Z")?.millis == 1_709_209_815_123)
        #expect(ISO8601.parse("2026-03-01T09:30:00-05:00") == ISO8601.parse("2026-03-01T14:30:00Z"))
    }

    @Test(arguments: [
        "2026-03-01T09:30:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "yesterday",
        "2026-03-01 09:30:00Z", "2026-03-01T25:00:00Z", "2026-03-01T09:30:00+5", "2026-03-01T09:30:00.Z"
    ])
    func refusesAmbiguousOrImpossibleTimes(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func formatsAndParsesBackForManyInstants() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let t = Timestamp(millis: Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator))
            #expect(ISO8601.parse(ISO8601.format(t)) == t)
        }
    }

    @Test func calendarDatesValidate() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2023-2-1") == nil)
        #expect(CalendarDate(Timestamp(millis: 86_400_000 * 365)).description == "1971-01-01")
    }
}

@Suite struct ConsentTests {
    let org = ID<Organization>("org_a")
    let now = Timestamp(millis: 1_000_000)

    func consent(
        _ grantee: ConsentGrantee, until: Timestamp? = nil, revoked: Timestamp? = nil, scopes: Set<ConsentScope> = [.contact],
        purpose: ConsentPurpose = .referral
    ) -> Consent {
        Consent(
            id: ID("c"), clientId: ID("cl"), grantee: grantee, scopes: scopes, purpose: purpose,
            validFrom: Timestamp(millis: 0), validUntil: until, revokedAt: revoked, recordedBy: ID("u"), recordedAt: Timestamp(millis: 0))
    }

    @Test func coversByOrganisationOrSectorWhileActive() {
        #expect(consent(.organization(org)).covers(organization: org, sector: .socialCare, for: .referral, at: now))
        #expect(!consent(.organization(ID("other"))).covers(organization: org, sector: .socialCare, for: .referral, at: now))
        #expect(consent(.sector(.socialCare)).covers(organization: org, sector: .socialCare, for: .referral, at: now))
        #expect(!consent(.sector(.community)).covers(organization: org, sector: .socialCare, for: .referral, at: now))
    }

    @Test func expiryAndRevocationEndCoverage() {
        #expect(!consent(.organization(org), until: now).covers(organization: org, sector: .socialCare, for: .referral, at: now))
        #expect(consent(.organization(org), until: now.adding(seconds: 1)).covers(organization: org, sector: .socialCare, for: .referral, at: now))
        #expect(!consent(.organization(org), revoked: now).covers(organization: org, sector: .socialCare, for: .referral, at: now))
    }

    @Test func scopesAreTheUnionOfActiveConsentsAndDiscloseAccordingly() {
        let consents = [
            consent(.organization(org), scopes: [.needs]), consent(.sector(.socialCare), scopes: [.notes]),
            consent(.organization(org), revoked: Timestamp(millis: 1), scopes: [.contact])
        ]
        #expect(consents.scopes(for: org, sector: .socialCare, at: now) == [.needs, .notes])
        // A consent given for another purpose adds nothing to a referral's scopes, and the reverse.
        let coordination = consent(.organization(org), scopes: [.contact], purpose: .careCoordination)
        #expect((consents + [coordination]).scopes(for: org, sector: .socialCare, use: .referral, at: now) == [.needs, .notes])
        #expect((consents + [coordination]).scopes(for: org, sector: .socialCare, use: .careCoordination, at: now) == [.contact])
        #expect(!coordination.covers(organization: org, sector: .socialCare, for: .referral, at: now))
        let client = Client(
            id: ID("cl"), organizationId: ID("pc"), givenName: "A", familyName: "B", phone: "555",
            email: "a@b", address: "1 Main", createdAt: now)
        let seen = client.disclosed(under: [.needs])
        #expect(seen.givenName == "A" && seen.phone == nil && seen.email == nil && seen.address == nil)
        #expect(client.disclosed(under: [.contact]).phone == "555")
    }
}
