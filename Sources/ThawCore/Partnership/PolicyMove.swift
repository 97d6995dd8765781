/// A policy change, plan or decision by one organisation that affects partners,
/// with the day it takes effect and the day the affected partners were told.
/// Being caught off guard by such a move is what froze relations in Alberta in
/// 2021; notice given in advance is the practice of "no surprises".
///
/// The organisation that makes the move records it when it tells its partners;
/// an affected organisation may record a move made by another (the date it was
/// told, often after the fact), so a surprise is on the record even when the
/// mover never says so.
public struct PolicyMove: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case policyChange = "policy-change", plan, decision
    }
    public var id: ID<PolicyMove>
    /// The organisation that made the move.
    public var organizationId: ID<Organization>
    public var kind: Kind
    public var title: String
    public var summary: String
    public var effectiveOn: CalendarDate
    /// When the affected organisations were told.
    public var announcedOn: CalendarDate
    /// The notice the partners expect, in days.
    public var noticeDays: Int
    public var notice: PolicyNotice.Verdict
    public var affectedOrganizationIds: [ID<Organization>]
    /// The organisation that put it on the record (the mover, or one it affected).
    public var recordedByOrganizationId: ID<Organization>
    public var createdAt: Timestamp

    public init(
        id: ID<PolicyMove>, organizationId: ID<Organization>, kind: Kind, title: String, summary: String, effectiveOn: CalendarDate,
        announcedOn: CalendarDate, noticeDays: Int, affectedOrganizationIds: [ID<Organization>],
        recordedByOrganizationId: ID<Organization>, createdAt: Timestamp
    ) {
        self.id = id; self.organizationId = organizationId; self.kind = kind; self.title = title; self.summary = summary
        self.effectiveOn = effectiveOn; self.announcedOn = announcedOn; self.noticeDays = noticeDays
        self.notice = PolicyNotice.verdict(announcedOn: announcedOn, effectiveOn: effectiveOn, noticeDays: noticeDays)
        self.affectedOrganizationIds = affectedOrganizationIds; self.recordedByOrganizationId = recordedByOrganizationId
        self.createdAt = createdAt
    }
}

/// Whether partners were told of a move in time.
public enum PolicyNotice {
    /// The ledger detail key the verdict is stored under.
    public static let detailKey = "notice"
    /// The notice partners expect unless an organisation says otherwise.
    public static let defaultDays = 14

    public enum Verdict: String, Codable, Sendable, CaseIterable {
        /// Told at least the expected number of days before it took effect: counts for the pair.
        case advance
        /// Told before it took effect, with less notice than expected: counts against.
        case short
        /// Told on or after the day it took effect: a surprise, counts against.
        case after
    }

    public static let advance = Verdict.advance.rawValue

    public static func verdict(announcedOn: CalendarDate, effectiveOn: CalendarDate, noticeDays: Int) -> Verdict {
        let days = effectiveOn.days(since: announcedOn)
        if days <= 0 { return .after }
        return days >= noticeDays ? .advance : .short
    }
}

public struct NewPolicyMove: Codable, Sendable {
    public var kind: PolicyMove.Kind
    public var title: String
    public var summary: String
    public var effectiveOn: CalendarDate
    /// When partners were told; today when left out.
    public var announcedOn: CalendarDate?
    public var noticeDays: Int?
    /// The organisation that made the move; the recorder's own when left out. When it is another
    /// organisation, the move affected the recorder's, and `affectedOrganizationIds` is left out.
    public var madeByOrganizationId: ID<Organization>?
    public var affectedOrganizationIds: [ID<Organization>]?

    public init(
        kind: PolicyMove.Kind, title: String, summary: String, effectiveOn: CalendarDate, announcedOn: CalendarDate? = nil,
        noticeDays: Int? = nil, madeByOrganizationId: ID<Organization>? = nil, affectedOrganizationIds: [ID<Organization>]? = nil
    ) {
        self.kind = kind; self.title = title; self.summary = summary; self.effectiveOn = effectiveOn; self.announcedOn = announcedOn
        self.noticeDays = noticeDays; self.madeByOrganizationId = madeByOrganizationId; self.affectedOrganizationIds = affectedOrganizationIds
    }

    /// The rules that need no database; `recorder` is the recording organisation.
    public func validate(today: CalendarDate, recorder: ID<Organization>) throws {
        var v = Validator()
        v.requireText(title, "title", maxLength: 200)
        v.requireText(summary, "summary", maxLength: 4000)
        if let noticeDays { v.require((0...365).contains(noticeDays), "noticeDays", "range", "noticeDays is 0 to 365") }
        if let announcedOn { v.require(announcedOn <= today, "announcedOn", "not-in-future", "record when partners were told once they have been") }
        let madeBy = madeByOrganizationId ?? recorder
        if madeBy == recorder {
            let affected = affectedOrganizationIds ?? []
            v.require(!affected.isEmpty, "affectedOrganizationIds", "min-items", "name at least one partner the move affects")
            v.require(affected.count <= 200, "affectedOrganizationIds", "max-items", "at most 200 partners")
            v.require(Set(affected).count == affected.count, "affectedOrganizationIds", "unique", "name each partner once")
            v.require(!affected.contains(recorder), "affectedOrganizationIds", "other-organization", "a move affects other organisations")
        } else {
            v.require(
                affectedOrganizationIds == nil || affectedOrganizationIds == [recorder], "affectedOrganizationIds", "own-organization",
                "a move made by another organisation is recorded by one it affected, for itself")
        }
        try v.check()
    }
}
