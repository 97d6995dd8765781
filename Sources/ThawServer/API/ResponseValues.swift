import Hummingbird
import ThawCore
import ThawStorage

// The domain's values that API handlers return as they are: written by the
// context's `ThawResponseEncoder`. (The core and storage know nothing of HTTP, so
// the conformances are declared here, where the values become answers.)
extension Client: ResponseEncodable {}
extension ClientView: ResponseEncodable {}
extension Consent: ResponseEncodable {}
extension Organization: ResponseEncodable {}
extension User: ResponseEncodable {}
extension Service: ResponseEncodable {}
extension DirectoryResults: ResponseEncodable {}
extension Referral: ResponseEncodable {}
extension ReferralDetail: ResponseEncodable {}
extension ReferralMessage: ResponseEncodable {}
extension FollowUp: ResponseEncodable {}
extension IdentifiedNeed: ResponseEncodable {}
extension NeedGap: ResponseEncodable {}
extension ReferralLink: ResponseEncodable {}
extension ClientExperience: ResponseEncodable {}
extension Appointment: ResponseEncodable {}
extension Placement: ResponseEncodable {}
extension ClientTask: ResponseEncodable {}
extension ClientLink: ResponseEncodable {}
extension ClientLinkCandidate: ResponseEncodable {}
extension LinkedRecord: ResponseEncodable {}
extension Commitment: ResponseEncodable {}
extension Meeting: ResponseEncodable {}
extension Decision: ResponseEncodable {}
extension FeedbackItem: ResponseEncodable {}
extension ThreadMessage: ResponseEncodable {}
extension Signal: ResponseEncodable {}
extension PolicyMove: ResponseEncodable {}
extension RoleHolding: ResponseEncodable {}
extension OutsideEvent: ResponseEncodable {}
extension FundingAgreement: ResponseEncodable {}
extension SurveyRound: ResponseEncodable {}
