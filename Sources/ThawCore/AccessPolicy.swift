/// Which roles may do what. Organisation and consent checks come on top of
/// these, in the storage layer, where no route can forget them.
public enum AccessPolicy {
    /// Hold client records, screen, record consent, and send referrals.
    public static let referringRoles: Set<Role> = [.navigator, .clinician]
    /// Work referrals addressed to their organisation.
    public static let receivingRoles: Set<Role> = [.partnerStaff, .navigator, .clinician]
    /// Keep their organisation's service directory entries and capacity current.
    public static let directoryRoles: Set<Role> = [.administrator, .partnershipLead, .partnerStaff]

    public static func require(_ actor: Actor, anyOf roles: Set<Role>, to action: String) throws {
        guard actor.hasAny(roles) else {
            let names = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw ThawError.forbidden("\(action) needs one of the roles: \(names)")
        }
    }

    /// The side an actor acts on for a referral, or nil if the referral is not
    /// theirs to see. The performer side also needs a consent with some scope; so does a
    /// partner that referred the client onward (it does not hold the client's record).
    public static func side(
        of actor: Actor, on referral: Referral, consentScopes: Set<ConsentScope>, holdsClient: Bool = true
    ) -> ReferralSide? {
        if actor.organizationId == referral.requesterOrganizationId {
            if holdsClient, actor.hasAny(referringRoles) { return .requester }
            if !holdsClient, referral.partOf != nil, actor.hasAny(receivingRoles), !consentScopes.isEmpty { return .requester }
        }
        // A draft is the referrer's own work until it is sent.
        if actor.organizationId == referral.ownerOrganizationId, actor.hasAny(receivingRoles), !consentScopes.isEmpty,
            referral.status != .draft
        {
            return .performer
        }
        return nil
    }
}
