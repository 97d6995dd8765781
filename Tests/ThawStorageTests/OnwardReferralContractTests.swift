import Testing
import ThawCore
import ThawStorage
import ThawTestSupport

/// Referrals both ways: a partner working a referral refers the client on, to another partner
/// (under a consent it records) or back to the clinic that holds them; each onward referral keeps
/// the one it came from (Task.partOf), and the clinic sees the whole chain. On both databases.
@Suite struct OnwardReferralContractTests {
    struct Setup {
        let w: World
        let parent: Referral
        var housing: ScopedStore { w.store.scoped(to: w.housingStaff) }
        var nav: ScopedStore { w.store.scoped(to: w.navigator) }
        var food: ScopedStore { w.store.scoped(to: w.foodStaff) }
    }

    func accepted(_ db: TestDatabase) async throws -> Setup {
        let w = try await World.make(db.database)
        let parent = try await w.refer()
        _ = try await w.store.scoped(to: w.housingStaff).changeStatus(parent.id, StatusChange(status: .accepted), expectedVersion: 1)
        return Setup(w: w, parent: parent)
    }

    func onward(_ s: Setup, to service: Service? = nil, organization: ID<Organization>? = nil, need: NeedCategory = .food) -> NewReferral {
        NewReferral(
            clientId: s.w.client.id, organizationId: organization, serviceId: service?.id, needCategory: need,
            note: "Told us the cupboard is bare", partOfReferralId: s.parent.id)
    }

    @Test(arguments: Backend.available)
    func aPartnerRefersOnUnderAConsentItRecords(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let s = try await accepted(db)
            let w = s.w
            // No consent covers the food bank yet.
            await #expect(throws: ThawError.self) { try await s.housing.createReferral(onward(s, to: w.foodService)) }
            // What a partner may record: for one organisation, for referral, within what it sees itself.
            for (consent, field) in [
                (NewConsent(grantee: .sector(.socialCare), scopes: [.needs], purpose: .referral), "grantee"),
                (NewConsent(grantee: .organization(w.food.id), scopes: [.contact], purpose: .referral), "scopes"),
                (NewConsent(grantee: .organization(w.food.id), scopes: [.needs], purpose: .careCoordination), "purpose")
            ] {
                do {
                    _ = try await s.housing.recordOnwardConsent(referral: s.parent.id, consent)
                    Issue.record("accepted \(consent)")
                } catch ThawError.unprocessable(let v) {
                    #expect(v.map(\.field) == [field])
                }
            }
            let consent = try await s.housing.recordOnwardConsent(
                referral: s.parent.id, NewConsent(grantee: .organization(w.food.id), scopes: [.needs], purpose: .referral))
            #expect(consent.recordedBy == w.housingStaff.userId)
            // The clinic that holds the client sees the consent the partner recorded.
            #expect(try await s.nav.consents(client: w.client.id).contains { $0.id == consent.id })
            w.clock.advance(seconds: 3600)
            let (child, _) = try await s.housing.createReferral(onward(s, to: w.foodService))
            #expect(child.partOf == s.parent.id && child.requesterOrganizationId == w.housing.id && child.ownerOrganizationId == w.food.id)
            // Housing reads its onward referral as the referring side, the client as its own consent allows: no phone.
            let asHousing = try await s.housing.referral(child.id)
            #expect(asHousing.side == .requester && asHousing.client.phone == nil && asHousing.disclosedScopes == [.needs, .notes])
            // The food bank has it in its inbox and sees the client under the consent recorded for it.
            let inbox = try await s.food.worklist(WorklistQuery(view: .inbox))
            #expect(inbox.items.map(\.referral.id) == [child.id])
            let asFood = try await s.food.referral(child.id)
            #expect(asFood.side == .performer && asFood.client.phone == nil && asFood.client.familyName == "Okafor")
            // The clinic does not hold the onward referral's pen, but sees the chain.
            await #expect(throws: ThawError.notFound("referral \(child.id)")) { try await s.nav.referral(child.id) }
            let chain = try await s.nav.referralChain(s.parent.id)
            #expect(chain.map(\.id) == [s.parent.id, child.id] && chain.map(\.openable) == [true, false])
            #expect(chain.last?.partOf == s.parent.id && chain.last?.ownerName == "Food Bank")
            // The food bank sees only the link it is party to.
            #expect(try await s.food.referralChain(child.id).map(\.id) == [child.id])
            // When the client withdraws the consent that let housing see them, housing loses the onward referral too.
            _ = try await s.nav.revokeConsent(client: w.client.id, consent: w.housingConsent.id)
            await #expect(throws: ThawError.notFound("referral \(child.id)")) { try await s.housing.referral(child.id) }
        }
    }

    @Test(arguments: Backend.available)
    func aPartnerRefersBackToTheClinicThatHoldsTheClient(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let s = try await accepted(db)
            let w = s.w
            // Primary care holds the record: no consent is needed to send the client back to it.
            let (back, _) = try await s.housing.createReferral(onward(s, organization: w.clinic.id, need: .mentalHealth))
            #expect(back.ownerOrganizationId == w.clinic.id && back.partOf == s.parent.id)
            let inbox = try await s.nav.worklist(WorklistQuery(view: .inbox))
            #expect(inbox.items.map(\.referral.id) == [back.id])
            #expect(try await s.nav.worklistCounts(.inbox).requested == 1)
            let asClinic = try await s.nav.referral(back.id)
            #expect(asClinic.side == .performer && asClinic.client.phone == "555-0101" && asClinic.disclosedScopes == nil)
            _ = try await s.nav.changeStatus(back.id, StatusChange(status: .accepted), expectedVersion: 1)
            #expect(try await s.nav.referralChain(back.id).map(\.openable) == [true, true])
        }
    }

    @Test(arguments: Backend.available)
    func onwardReferralsAreRefusedWhereThePartnerHasNoStanding(backend: Backend) async throws {
        try await withDatabase(backend) { db in
            let w = try await World.make(db.database)
            let parent = try await w.refer()
            let s = Setup(w: w, parent: parent)
            let back = onward(s, organization: w.clinic.id, need: .mentalHealth)
            // Not yet accepted: nothing to refer on from.
            await #expect(
                throws: ThawError.conflict(
                    code: "not-working", message: "refer onward from a referral your organisation has accepted, not a requested one")
            ) {
                try await s.housing.createReferral(back)
            }
            _ = try await s.housing.changeStatus(parent.id, StatusChange(status: .accepted), expectedVersion: 1)
            // Not their referral: the same 404 as for one that does not exist.
            await #expect(throws: ThawError.notFound("referral \(parent.id)")) { try await s.food.createReferral(back) }
            // Without a parent, partner staff do not refer at all.
            var plain = back
            plain.partOfReferralId = nil
            await #expect(throws: ThawError.self) { try await s.housing.createReferral(plain) }
            // Another client, or need ids it cannot see, or nobody named.
            let other = try await s.nav.createClient(NewClient(givenName: "Sam", familyName: "Lee"))
            var wrongClient = back
            wrongClient.clientId = other.id
            var withNeeds = back
            withNeeds.needIds = [ID("need_x")]
            var toAnyone = back
            toAnyone.organizationId = nil
            for (input, field) in [(wrongClient, "clientId"), (withNeeds, "needIds"), (toAnyone, "organizationId")] {
                do {
                    _ = try await s.housing.createReferral(input)
                    Issue.record("accepted an onward referral with a bad \(field)")
                } catch ThawError.unprocessable(let v) {
                    #expect(v.map(\.field) == [field])
                }
            }
            #expect(try await w.count("referrals") == 1)
        }
    }
}
