import ThawCore

// Mapping between rows and domain values, one place per type.

extension Organization {
    static let columns = "id, name, sector, alignment, parent_id, area, time_zone, created_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), name: row.string("name"), sector: row.enumValue("sector"),
            alignment: row.optionalEnum("alignment"), parentId: row.optionalId("parent_id"),
            area: row.optionalString("area"), timeZone: row.optionalString("time_zone"), createdAt: row.timestamp("created_at"))
    }
}

extension User {
    static let columns = "id, organization_id, email, display_name, roles, active, created_at, language"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), email: row.string("email"),
            displayName: row.string("display_name"),
            roles: Set(row.list("roles").compactMap(Role.init(rawValue:))),
            active: row.bool("active"), createdAt: row.timestamp("created_at"), language: row.optionalString("language"))
    }
}

extension Service {
    static let columns = """
        id, organization_id, name, description, need_categories, eligibility, area_served, languages, capacity, estimated_wait_days,
        updated_at, verified_at, verified_by
        """
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), name: row.string("name"),
            description: row.string("description"),
            needCategories: row.list("need_categories").compactMap(NeedCategory.init(rawValue:)),
            eligibility: row.string("eligibility"), areaServed: row.string("area_served"),
            languages: row.list("languages"), capacity: row.enumValue("capacity"),
            estimatedWaitDays: row.optionalInt64("estimated_wait_days").map { Int(clamping: $0) },
            updatedAt: row.timestamp("updated_at"), verifiedAt: row.optionalTimestamp("verified_at"),
            verifiedBy: row.optionalString("verified_by"))
    }
}

extension Client {
    static let columns = "id, organization_id, given_name, family_name, birth_date, phone, email, address, preferred_language, created_at"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), organizationId: row.id("organization_id"), givenName: row.string("given_name"),
            familyName: row.string("family_name"), birthDate: row.date("birth_date"),
            phone: row.optionalString("phone"), email: row.optionalString("email"),
            address: row.optionalString("address"), preferredLanguage: row.optionalString("preferred_language"),
            createdAt: row.timestamp("created_at"))
    }
}

extension Consent {
    static let columns =
        "id, client_id, grantee_organization_id, grantee_sector, scopes, purpose, valid_from, valid_until, revoked_at, recorded_by, recorded_at"
    init(row: SQLRow) {
        let grantee: ConsentGrantee
        if let org: ID<Organization> = row.optionalId("grantee_organization_id") {
            grantee = .organization(org)
        } else {
            grantee = .sector(row.enumValue("grantee_sector"))
        }
        self.init(
            id: row.id("id"), clientId: row.id("client_id"), grantee: grantee,
            scopes: Set(row.list("scopes").compactMap(ConsentScope.init(rawValue:))),
            purpose: row.enumValue("purpose"), validFrom: row.timestamp("valid_from"),
            validUntil: row.optionalTimestamp("valid_until"), revokedAt: row.optionalTimestamp("revoked_at"),
            recordedBy: row.id("recorded_by"), recordedAt: row.timestamp("recorded_at"))
    }
}

extension IdentifiedNeed {
    static let columns = """
        id, client_id, category, identified_on, screening_id, status, closed_on, closed_by, closed_by_organization_id,
        closing_referral_id
        """
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), clientId: row.id("client_id"), category: row.enumValue("category"),
            identifiedOn: row.date("identified_on") ?? CalendarDate(Timestamp(millis: 0)),
            screeningId: row.optionalId("screening_id"), status: row.enumValue("status"),
            closedOn: row.date("closed_on"), closedBy: row.optionalId("closed_by"),
            closedByOrganizationId: row.optionalId("closed_by_organization_id"),
            closingReferralId: row.optionalId("closing_referral_id"))
    }
}

extension Referral {
    /// Every column, in the order the bulk loaders in Benchmarks/ also use.
    @_spi(Benchmarks) public static let columns = """
        id, client_id, requester_organization_id, requester_user_id, owner_organization_id, service_id,
        need_category, need_ids, priority, status, business_status, status_reason, status_reason_side, outcome_code, outcome_summary,
        note, first_response_due, first_responded_at, follow_up_due, last_message_side, last_message_at,
        created_at, updated_at, version, part_of_referral_id
        """
    /// The same columns prefixed `r.`, for queries that join referrals to other tables.
    static let qualifiedColumns = columns.split(separator: ",").map { "r." + String($0).trimmingWhitespace }.joined(separator: ", ")
    init(row: SQLRow) {
        var outcome: ReferralOutcome?
        if let code: ReferralOutcome.Code = row.optionalEnum("outcome_code") {
            outcome = ReferralOutcome(code: code, summary: row.optionalString("outcome_summary") ?? "")
        }
        self.init(
            id: row.id("id"), clientId: row.id("client_id"),
            requesterOrganizationId: row.id("requester_organization_id"),
            requesterUserId: row.id("requester_user_id"), ownerOrganizationId: row.optionalId("owner_organization_id"),
            serviceId: row.optionalId("service_id"), needCategory: row.enumValue("need_category"),
            needIds: row.list("need_ids").map { ID($0) }, priority: row.enumValue("priority"),
            status: row.enumValue("status"), businessStatus: row.optionalEnum("business_status"),
            statusReason: row.optionalString("status_reason"), statusReasonSide: row.optionalEnum("status_reason_side"),
            outcome: outcome, note: row.optionalString("note"),
            firstResponseDue: row.timestamp("first_response_due"),
            firstRespondedAt: row.optionalTimestamp("first_responded_at"),
            followUpDue: row.optionalTimestamp("follow_up_due"),
            lastMessageSide: row.optionalEnum("last_message_side"),
            lastMessageAt: row.optionalTimestamp("last_message_at"),
            createdAt: row.timestamp("created_at"), updatedAt: row.timestamp("updated_at"),
            version: row.int("version"), partOf: row.optionalId("part_of_referral_id"))
    }
}

extension FollowUp {
    static let columns = """
        id, referral_id, client_id, organization_id, user_id, happened_at, method, party, result, note, next_due, recorded_at
        """
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), referralId: row.id("referral_id"), clientId: row.id("client_id"),
            organizationId: row.id("organization_id"), userId: row.id("user_id"), happenedAt: row.timestamp("happened_at"),
            method: row.enumValue("method"), party: row.enumValue("party"), result: row.enumValue("result"),
            note: row.optionalString("note"), nextFollowUpDue: row.optionalTimestamp("next_due"),
            recordedAt: row.timestamp("recorded_at"))
    }
}

extension ReferralMessage {
    static let columns = "id, referral_id, organization_id, author_user_id, side, body, sent_at, read_at, read_by"
    init(row: SQLRow) {
        self.init(
            id: row.id("id"), referralId: row.id("referral_id"), authorUserId: row.id("author_user_id"),
            authorOrganizationId: row.id("organization_id"), side: row.enumValue("side"),
            body: row.string("body"), sentAt: row.timestamp("sent_at"),
            readAt: row.optionalTimestamp("read_at"), readBy: row.optionalId("read_by"))
    }
}

extension ActivityEntry {
    static let columns = "seq, at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, subject_type, subject_id, channel, detail"
    init(row: SQLRow) {
        self.init(
            seq: row.int64("seq"), at: row.timestamp("at"), actorUserId: row.optionalId("actor_user_id"),
            actorOrganizationId: row.id("actor_organization_id"),
            counterpartOrganizationId: row.optionalId("counterpart_organization_id"),
            kind: row.string("kind"), subjectType: row.string("subject_type"), subjectId: row.string("subject_id"),
            channel: row.enumValue("channel"), detail: JSONText.decode(row.optionalString("detail")))
    }
}

extension Set where Element: RawRepresentable, Element.RawValue == String {
    /// Stored as sorted comma-separated TEXT.
    var listText: String { map(\.rawValue).sorted().joined(separator: ",") }
}
extension Array where Element: RawRepresentable, Element.RawValue == String {
    var listText: String { map(\.rawValue).joined(separator: ",") }
}
