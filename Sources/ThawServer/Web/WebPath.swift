import ThawCore

/// Every page's address, shared by the router and the links, so a link cannot
/// point at a route that does not exist. Only opaque ids go into paths: no
/// names, needs or other client data ever appear in a URL (or in the logs that
/// record URLs).
enum WebPath {
    static let home = "/"
    static let signIn = "/sign-in"
    static let signOut = "/sign-out"
    static let language = "/language"
    static let workingAs = "/working-as"
    static let caseload = "/caseload"
    static let inbox = "/inbox"
    static let clients = "/clients"
    static let events = "/events"
    static let admin = "/admin"
    static let adminTokens = "/admin/tokens"
    /// An organisation's own services: capacity, waits and verification.
    static let ourServices = "/our-services"
    static let partnership = "/partnership"
    static let newCommittee = "/partnership/committees/new"
    static let newConsultation = "/partnership/consultations/new"
    static let commitments = "/partnership/commitments"
    static let surveys = "/partnership/surveys"
    static let notifications = "/notifications"
    static let climate = "/climate"
    static let evaluation = "/evaluation"
    static let evaluationReportCSV = "/evaluation/report.csv"
    static let evaluationLedgerCSV = "/evaluation/ledger.csv"
    static let evaluationQDPX = "/evaluation/record.qdpx"
    static let evaluationAnnotations = "/evaluation/annotations"
    static let researchUse = "/research-use"
    static let jurisdictions = "/evaluation/jurisdictions"
    static let climatePackageJSON = "/evaluation/climate-package.json"
    static func evaluationTableCSV(_ table: String) -> String { "/evaluation/tables/\(table).csv" }
    static let climateTiesCSV = "/climate/ties.csv"
    static let css = "/assets/thaw.css"
    static let script = "/assets/thaw.js"

    static func client(_ id: ID<Client>) -> String { "/clients/\(id.raw)" }
    static func newReferral(_ id: ID<Client>) -> String { "/clients/\(id.raw)/referrals/new" }
    static func referral(_ id: ID<Referral>) -> String { "/referrals/\(id.raw)" }
    static func notification(_ id: ID<UserNotification>) -> String { "/notifications/\(id.raw)" }
    /// Where a notification leads: the referral, the consultation, or the list its subject is on.
    static func subject(_ subject: NotificationSubject) -> String {
        switch subject.type {
        case .referral: referral(ID(subject.id))
        case .consultation: consultation(ID(subject.id))
        case .commitment: commitments
        case .survey: survey(ID(subject.id))
        case .funding: partnership
        case .service: ourServices + "?check=" + subject.id
        }
    }
    /// An email's own link to its recipient's email preferences; the token is the only key.
    static func emailPreferences(_ token: String) -> String { "/email-preferences/\(token)" }
    static func organization(_ id: ID<Organization>) -> String { "/admin/organizations/\(id.raw)" }
    static func committee(_ id: ID<Committee>) -> String { "/partnership/committees/\(id.raw)" }
    static func committeeTimeline(_ id: ID<Committee>) -> String { "/partnership/committees/\(id.raw)/timeline" }
    static func consultation(_ id: ID<Consultation>) -> String { "/partnership/consultations/\(id.raw)" }
    static func consultationExport(_ id: ID<Consultation>) -> String { "/partnership/consultations/\(id.raw)/you-said-we-did.csv" }
    static func survey(_ id: ID<SurveyRound>) -> String { "/partnership/surveys/\(id.raw)" }
    static func thread(_ id: ID<DiscussionThread>) -> String { "/partnership/threads/\(id.raw)" }
    static func pairTimeline(_ other: ID<Organization>) -> String { "/partnership/with/\(other.raw)" }
    static func climatePair(_ a: ID<Organization>, _ b: ID<Organization>) -> String { "/climate/pairs/\(a.raw)/\(b.raw)" }
    static func climatePairCSV(_ a: ID<Organization>, _ b: ID<Organization>) -> String { "/climate/pairs/\(a.raw)/\(b.raw)/climate.csv" }

    /// Route patterns, in Hummingbird's syntax, next to the builders above.
    enum Pattern {
        static let client = "/clients/:clientId"
        static let newReferral = "/clients/:clientId/referrals/new"
        static let referral = "/referrals/:referralId"
        static let referralSummary = "/referrals/:referralId/summary"
        static let organization = "/admin/organizations/:organizationId"
        static let committee = "/partnership/committees/:committeeId"
        static let committeeTimeline = "/partnership/committees/:committeeId/timeline"
        static let consultation = "/partnership/consultations/:consultationId"
        static let consultationExport = "/partnership/consultations/:consultationId/you-said-we-did.csv"
        static let thread = "/partnership/threads/:threadId"
        static let survey = "/partnership/surveys/:surveyId"
        static let pairTimeline = "/partnership/with/:organizationId"
        static let climatePair = "/climate/pairs/:organizationId/:otherId"
        static let climatePairCSV = "/climate/pairs/:organizationId/:otherId/climate.csv"
    }
}
