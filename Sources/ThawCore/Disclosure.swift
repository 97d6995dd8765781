/// What the receiving side of a referral may see under the client's consent
/// scopes. The referring side sees everything; these rules apply to the
/// performer only, and are the one place that decides them:
///
/// - `contact`: the client's birth date, phone, email and address (`Client.disclosed`);
/// - `needs`: the identified needs the referral names;
/// - `notes`: every piece of free text the referring side wrote: the referral's
///   note, its messages, and the reasons it gave (cancelled, entered in error).
///   The partner's own messages and reasons are always its own to read.
public enum Disclosure {
    public static func referral(_ referral: Referral, to side: ReferralSide, under scopes: Set<ConsentScope>) -> Referral {
        guard side == .performer else { return referral }
        var visible = referral
        if !scopes.contains(.needs) { visible.needIds = [] }
        if !scopes.contains(.notes) {
            visible.note = nil
            if referral.statusReasonSide != .performer { visible.statusReason = nil }
        }
        return visible
    }

    public static func message(_ message: ReferralMessage, to side: ReferralSide, under scopes: Set<ConsentScope>) -> ReferralMessage {
        guard side == .performer, message.side == .requester, !scopes.contains(.notes) else { return message }
        var withheld = message
        withheld.body = nil
        withheld.withheld = true
        return withheld
    }

    /// A referral's ledger entry: a reason the referring side wrote is left out
    /// (and said to be) for a partner without `notes`.
    public static func timelineEntry(
        _ entry: ActivityEntry, of referral: Referral, to side: ReferralSide,
        under scopes: Set<ConsentScope>
    ) -> ActivityEntry {
        guard side == .performer, !scopes.contains(.notes), entry.actorOrganizationId == referral.requesterOrganizationId,
            entry.detail["reason"] != nil
        else { return entry }
        var visible = entry
        visible.detail["reason"] = nil
        visible.detail["reasonWithheld"] = "true"
        return visible
    }
}
