import ThawCore

/// Every page's address, shared by the router and the links, so a link cannot
/// point at a route that does not exist. Only opaque ids go into paths: no
/// names, needs or other client data ever appear in a URL (or in the logs that
/// record URLs).
enum WebPath {
    static let home = "/"
    static let signIn = "/sign-in"
    static let signOut = "/sign-out"
    static let caseload = "/caseload"
    static let inbox = "/inbox"
    static let clients = "/clients"
    static let events = "/events"
    static let admin = "/admin"
    static let adminTokens = "/admin/tokens"
    static let css = "/assets/thaw.css"
    static let script = "/assets/thaw.js"

    static func client(_ id: ID<Client>) -> String { "/clients/\(id.raw)" }
    static func newReferral(_ id: ID<Client>) -> String { "/clients/\(id.raw)/referrals/new" }
    static func referral(_ id: ID<Referral>) -> String { "/referrals/\(id.raw)" }
    static func organization(_ id: ID<Organization>) -> String { "/admin/organizations/\(id.raw)" }

    /// Route patterns, in Hummingbird's syntax, next to the builders above.
    enum Pattern {
        static let client = "/clients/:clientId"
        static let newReferral = "/clients/:clientId/referrals/new"
        static let referral = "/referrals/:referralId"
        static let organization = "/admin/organizations/:organizationId"
    }
}
