import ThawCore
import ThawSimulation
import ThawStorage

/// Two years of the network's referral work before the demo's own weeks, so the evaluation report
/// has a year to show beside the one before: each week the three clinics register and screen a
/// few clients and refer their needs; partners answer in hours or days, accept most, decline some
/// for a reason, and complete what they accept with an outcome; navigators close the needs that
/// were met and ask clients about their experience. Played through the same store calls as real
/// use, with a seeded random stream, so every demo holds the same year.
extension DemoNetwork {
    struct ReferralYear {
        var store: ThawStore
        var clock: ManualClock
        var clinics: [Actor]
        var partners: [NeedCategory: (service: Service, staff: Actor)]
        /// Needs a clinic does not refer: nobody serves them in its area.
        var notServed: [ID<Organization>: Set<NeedCategory>] = [:]
        var weeks: Int
    }

    static let yearGiven = [
        "Ada", "Bilal", "Carmen", "Dev", "Elena", "Femi", "Gus", "Hana", "Ivan", "Jia", "Kofi", "Lea", "Mateo", "Nora", "Omar", "Pia"
    ]
    static let yearFamily = ["Abbott", "Belanger", "Cruz", "Dhillon", "Ellis", "Fontaine", "Garcia", "Huang", "Ibrahim", "Johal", "Kowal", "Leblanc"]
    static let yearLanguages = ["en", "en", "en", "fr", "fr", "pa", "ar", "es"]

    /// The seeded stream the year is played from.
    final class Draws {
        var random = SplitMix64(seed: 2_022)
        func chance(_ p: Double) -> Bool { random.unit() < p }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        /// A whole number from `range`.
        func number(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
    }

    func loadReferralYear(_ year: ReferralYear) async throws {
        let draws = Draws()
        let chance = draws.chance, pick = { (items: [NeedCategory]) in draws.pick(items) }
        let categories = Array(year.partners.keys).sorted { $0.rawValue < $1.rawValue }
        let start = year.clock.now()
        var count = 0
        for week in 0..<year.weeks {
            // The network grows: fewer referrals in the first of the two years.
            let busy = week < year.weeks / 2 ? 0.35 : 0.6
            for (index, clinic) in year.clinics.enumerated() where chance(busy) || (week % 2 == index % 2 && chance(busy)) {
                year.clock.set(start.adding(days: week * 7 + index * 2).adding(seconds: 9 * 3600))
                count += 1
                let scoped = year.store.scoped(to: clinic)
                let client = try await scoped.createClient(
                    NewClient(
                        givenName: draws.pick(Self.yearGiven), familyName: draws.pick(Self.yearFamily),
                        birthDate: CalendarDate(year: 1940 + count % 60, month: 1 + count % 12, day: 1 + count % 28),
                        phone: nil, email: nil, address: nil, preferredLanguage: draws.pick(Self.yearLanguages)))
                // One or two needs, sometimes a third the client does not want referred.
                var needs: [NeedCategory] = [pick(categories)]
                if chance(0.45) { needs.append(pick(categories)) }
                var answers: [NeedCategory: ScreeningAnswer] = [:]
                for category in NeedCategory.allCases { answers[category] = needs.contains(category) ? .yes : .no }
                if chance(0.3) { answers[.transportation] = .yes }
                let (_, identified) = try await scoped.recordScreening(client: client.id, NewScreening(answers: answers))
                for sector in [Sector.socialCare, .community, .government, .healthSystem] {
                    _ = try await scoped.recordConsent(
                        client: client.id,
                        NewConsent(grantee: .sector(sector), scopes: [.contact, .needs], purpose: .referral, validUntil: start.adding(days: 3 * 365)))
                }
                let unserved = year.notServed[clinic.organizationId] ?? []
                let screened = year.clock.now()
                for need in identified {
                    var open = true
                    if let (service, staff) = year.partners[need.category], !unserved.contains(need.category), chance(0.85) {
                        open = try await refer(need, of: client, by: scoped, to: service, staff: staff, in: year, draws: draws)
                    }
                    // At a later follow-up the navigator closes most needs nothing came of: the client no longer
                    // wants help, or it no longer applies. The rest stay on the caseload, falling through the cracks.
                    if open, chance(0.9) {
                        year.clock.set(screened.adding(days: draws.number(21...90)))
                        _ = try await scoped.closeNeed(need.id, NeedClosure(status: chance(0.5) ? .declined : .notApplicable))
                        year.clock.set(screened)
                    }
                }
            }
        }
    }

    static let declineWords: [DeclineReason: String] = [
        .noCapacity: "No places left this month; try again in the spring.", .notEligible: "Not eligible for this programme.",
        .outsideArea: "The address is outside our area.", .unableToContact: "Three calls and a letter brought no answer."
    ]

    /// One referral's life: the partner answers, accepts or declines, and completes what it took on.
    /// Returns whether the need is still open after it.
    private func refer(
        _ need: IdentifiedNeed, of client: Client, by scoped: ScopedStore, to service: Service, staff: Actor, in year: ReferralYear,
        draws: Draws
    ) async throws -> Bool {
        let chance = draws.chance
        let sent = year.clock.now()
        var (referral, _) = try await scoped.createReferral(
            NewReferral(
                clientId: client.id, serviceId: service.id, needCategory: need.category, needIds: [need.id],
                priority: chance(0.2) ? .urgent : .routine),
            idempotencyKey: nil)
        let partner = year.store.scoped(to: staff)
        // Most answer within a day or two; some take a week; a few never do.
        guard chance(0.93) else { return true }
        year.clock.set(sent.adding(seconds: Int64(chance(0.7) ? draws.number(1...30) : draws.number(36...200)) * 3600))
        if chance(0.18) {
            let reason: DeclineReason = chance(0.5) ? .noCapacity : chance(0.5) ? .notEligible : chance(0.5) ? .outsideArea : .unableToContact
            _ = try await partner.changeStatus(
                referral.id, StatusChange(status: .rejected, reason: Self.declineWords[reason], reasonCode: reason),
                expectedVersion: referral.version)
            year.clock.set(sent)
            return true
        }
        referral = try await partner.changeStatus(referral.id, StatusChange(status: .accepted), expectedVersion: referral.version)
        // Worked for two to eight weeks, then an outcome; a few stall.
        if chance(0.9) {
            year.clock.set(sent.adding(days: draws.number(10...75)))
            let code: ReferralOutcome.Code = chance(0.65) ? .needMet : chance(0.5) ? .needPartiallyMet : chance(0.5) ? .serviceProvided : .needNotMet
            referral = try await partner.changeStatus(
                referral.id, StatusChange(status: .completed, outcome: ReferralOutcome(code: code, summary: "Worked with the client to the end.")),
                expectedVersion: referral.version)
            if code == .needMet { _ = try await scoped.closeNeed(need.id, NeedClosure(status: .met, referralId: referral.id)) }
            // The navigator asks the client about it, most times.
            if chance(0.7) {
                let good: ClientExperience.Answer = code == .needNotMet ? .no : chance(0.8) ? .yes : .partly
                _ = try await scoped.recordClientExperience(
                    referral: referral.id,
                    NewClientExperience(easy: chance(0.75) ? .yes : .partly, needMet: good, wouldUseAgain: chance(0.85) ? .yes : .no))
            }
            year.clock.set(sent)
            return code != .needMet
        }
        year.clock.set(sent)
        return true
    }
}
