/// What the evaluation report is computed from: one fact per referral, need, client
/// answer, survey answer and funding agreement, with no client, contact or free text in
/// any of them. The storage layer reads them for a window of time; the report never sees more.
public struct EvaluationFacts: Sendable {
    public struct ReferralFact: Sendable, Equatable {
        public var requester: ID<Organization>
        public var owner: ID<Organization>?
        public var service: ID<Service>?
        public var need: NeedCategory
        public var sentAt: Timestamp
        public var firstResponseAt: Timestamp?
        public var acceptedAt: Timestamp?
        /// When it reached a final status (completed, declined, cancelled, failed).
        public var closedAt: Timestamp?
        public var status: TaskStatus
        public var declineReason: DeclineReason?
        public var outcome: ReferralOutcome.Code?
        /// The referrer stopped following up a referral nobody answered (`referral.loop-lapsed`).
        public var lapsed: Bool

        public init(
            requester: ID<Organization>, owner: ID<Organization>?, service: ID<Service>?, need: NeedCategory, sentAt: Timestamp,
            firstResponseAt: Timestamp?, acceptedAt: Timestamp?, closedAt: Timestamp?, status: TaskStatus, declineReason: DeclineReason?,
            outcome: ReferralOutcome.Code?, lapsed: Bool
        ) {
            self.requester = requester; self.owner = owner; self.service = service; self.need = need; self.sentAt = sentAt
            self.firstResponseAt = firstResponseAt; self.acceptedAt = acceptedAt; self.closedAt = closedAt; self.status = status
            self.declineReason = declineReason; self.outcome = outcome; self.lapsed = lapsed
        }
        public func involves(_ organization: ID<Organization>) -> Bool { requester == organization || owner == organization }
        /// Completed with the need met or partly met, or the service provided.
        public var helped: Bool { status == .completed && outcome != .needNotMet }
    }

    public struct NeedFact: Sendable, Equatable {
        public var organization: ID<Organization>
        public var category: NeedCategory
        public var identifiedOn: CalendarDate
        public var status: IdentifiedNeed.Status
        public var closedOn: CalendarDate?
        /// The area of the organisation holding the client's record.
        public var area: String?
        /// The client's preferred language, as recorded.
        public var language: String?
        public var referred: Bool
        /// Referred, and every referral ended without help.
        public var everyReferralFailed: Bool

        public init(
            organization: ID<Organization>, category: NeedCategory, identifiedOn: CalendarDate, status: IdentifiedNeed.Status,
            closedOn: CalendarDate?, area: String?, language: String?, referred: Bool, everyReferralFailed: Bool
        ) {
            self.organization = organization; self.category = category; self.identifiedOn = identifiedOn; self.status = status
            self.closedOn = closedOn; self.area = area; self.language = language; self.referred = referred
            self.everyReferralFailed = everyReferralFailed
        }
        /// Closed without being met, or still open with every referral failed.
        public var notMet: Bool { status == .declined || status == .notApplicable || (status == .active && everyReferralFailed) }
    }

    public struct ExperienceFact: Sendable, Equatable {
        public var organization: ID<Organization>
        public var partner: ID<Organization>?
        public var recordedAt: Timestamp
        public var easy: ClientExperience.Answer
        public var needMet: ClientExperience.Answer
        public var wouldUseAgain: ClientExperience.Answer
        public init(
            organization: ID<Organization>, partner: ID<Organization>?, recordedAt: Timestamp, easy: ClientExperience.Answer,
            needMet: ClientExperience.Answer, wouldUseAgain: ClientExperience.Answer
        ) {
            self.organization = organization; self.partner = partner; self.recordedAt = recordedAt
            self.easy = easy; self.needMet = needMet; self.wouldUseAgain = wouldUseAgain
        }
    }

    public struct SurveyFact: Sendable, Equatable {
        public var closesOn: CalendarDate
        /// Stands for the respondent within one report only, to count respondents.
        public var respondent: Int
        public var respondentOrganization: ID<Organization>
        public var about: ID<Organization>
        public var item: SurveyItem
        public var score: Int
        public init(
            closesOn: CalendarDate, respondent: Int, respondentOrganization: ID<Organization>, about: ID<Organization>, item: SurveyItem,
            score: Int
        ) {
            self.closesOn = closesOn; self.respondent = respondent; self.respondentOrganization = respondentOrganization
            self.about = about; self.item = item; self.score = score
        }
    }

    public var referrals: [ReferralFact]
    public var needs: [NeedFact]
    public var experiences: [ExperienceFact]
    public var survey: [SurveyFact]
    public var funding: [FundingAgreement]
    public var organizationNames: [ID<Organization>: String]
    public var serviceNames: [ID<Service>: String]

    public init(
        referrals: [ReferralFact], needs: [NeedFact], experiences: [ExperienceFact], survey: [SurveyFact], funding: [FundingAgreement],
        organizationNames: [ID<Organization>: String], serviceNames: [ID<Service>: String]
    ) {
        self.referrals = referrals; self.needs = needs; self.experiences = experiences; self.survey = survey; self.funding = funding
        self.organizationNames = organizationNames; self.serviceNames = serviceNames
    }

    /// Only what involves `organization`: its referrals either way, the needs it holds, its
    /// clients' answers, answers about it, and agreements it is party to.
    public func limited(to organization: ID<Organization>) -> EvaluationFacts {
        var facts = self
        facts.referrals = referrals.filter { $0.involves(organization) }
        facts.needs = needs.filter { $0.organization == organization }
        facts.experiences = experiences.filter { $0.organization == organization || $0.partner == organization }
        facts.survey = survey.filter { $0.about == organization }
        facts.funding = funding.filter { $0.partyOrganizationIds.contains(organization) }
        return facts
    }
}
