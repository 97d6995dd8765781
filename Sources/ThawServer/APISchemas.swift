import ThawCore

/// JSON Schemas of the request bodies and problem details, for the OpenAPI document.
enum APISchemas {
    static func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> JSONValue where E.RawValue == String {
        .object(["type": "string", "enum": .array(E.allCases.map { .string($0.rawValue) })])
    }
    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        .object(["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })])
    }
    static let string: JSONValue = .object(["type": "string"])
    static let dateTime: JSONValue = .object(["type": "string", "format": "date-time"])
    static let date: JSONValue = .object(["type": "string", "format": "date"])
    static func array(_ items: JSONValue) -> JSONValue { .object(["type": "array", "items": items]) }

    static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }
    static func items(_ name: String) -> JSONValue {
        object(["items": array(ref(name)), "nextCursor": string], required: ["items"])
    }
    static let id = string
    static let integer: JSONValue = .object(["type": "integer"])
    static let boolean: JSONValue = .object(["type": "boolean"])
    static let textMap: JSONValue = .object(["type": "object", "additionalProperties": string])

    /// What the API returns: every field the server writes, nullable ones left out of `required`.
    static let responses: [String: JSONValue] = [
        "Organization": object(["id": id, "name": string, "sector": enumeration(Sector.self), "alignment": enumeration(Alignment.self),
                                "parentId": id, "area": string, "createdAt": dateTime], required: ["id", "name", "sector", "createdAt"]),
        "User": object(["id": id, "organizationId": id, "email": string, "displayName": string, "roles": array(enumeration(Role.self)),
                        "active": boolean, "createdAt": dateTime], required: ["id", "organizationId", "email", "displayName", "roles", "active", "createdAt"]),
        "Me": object(["user": ref("User"), "organization": ref("Organization")], required: ["user", "organization"]),
        "SignedIn": object(["user": ref("User"), "organization": ref("Organization"), "csrfToken": string], required: ["user", "organization", "csrfToken"]),
        "Service": object(["id": id, "organizationId": id, "name": string, "description": string,
                           "needCategories": array(enumeration(NeedCategory.self)), "eligibility": string, "areaServed": string,
                           "languages": array(string), "capacity": enumeration(Capacity.self), "updatedAt": dateTime],
                          required: ["id", "organizationId", "name", "description", "needCategories", "eligibility", "areaServed", "languages", "capacity", "updatedAt"]),
        "Client": object(["id": id, "organizationId": id, "givenName": string, "familyName": string, "birthDate": date, "phone": string,
                          "email": string, "address": string, "preferredLanguage": string, "createdAt": dateTime],
                         required: ["id", "organizationId", "givenName", "familyName", "createdAt"]),
        "ClientView": object(["client": ref("Client"), "disclosedScopes": array(enumeration(ConsentScope.self))], required: ["client"]),
        "Consent": object(["id": id, "clientId": id, "grantee": object(["organizationId": id, "sector": enumeration(Sector.self)], required: []),
                           "scopes": array(enumeration(ConsentScope.self)), "purpose": enumeration(ConsentPurpose.self),
                           "validFrom": dateTime, "validUntil": dateTime, "revokedAt": dateTime, "recordedBy": id, "recordedAt": dateTime],
                          required: ["id", "clientId", "grantee", "scopes", "purpose", "validFrom", "recordedBy", "recordedAt"]),
        "Screening": object(["id": id, "clientId": id, "answers": .object(["type": "object", "additionalProperties": enumeration(ScreeningAnswer.self)]),
                             "screenedOn": date, "screenedBy": id], required: ["id", "clientId", "answers", "screenedOn", "screenedBy"]),
        "IdentifiedNeed": object(["id": id, "clientId": id, "category": enumeration(NeedCategory.self), "identifiedOn": date,
                                  "screeningId": id, "status": .object(["type": "string", "enum": .array(["active", "resolved"])])],
                                 required: ["id", "clientId", "category", "identifiedOn", "status"]),
        "ScreeningResult": object(["screening": ref("Screening"), "identifiedNeeds": array(ref("IdentifiedNeed"))], required: ["screening", "identifiedNeeds"]),
        "Referral": object(["id": id, "clientId": id, "requesterOrganizationId": id, "requesterUserId": id, "ownerOrganizationId": id,
                            "serviceId": id, "needCategory": enumeration(NeedCategory.self), "needIds": array(id),
                            "priority": enumeration(Priority.self), "status": enumeration(TaskStatus.self),
                            "businessStatus": enumeration(BusinessStatus.self), "statusReason": string,
                            "statusReasonSide": enumeration(ReferralSide.self),
                            "outcome": object(["code": enumeration(ReferralOutcome.Code.self), "summary": string], required: ["code", "summary"]),
                            "note": string, "firstResponseDue": dateTime, "firstRespondedAt": dateTime, "followUpDue": dateTime,
                            "lastMessageSide": enumeration(ReferralSide.self), "lastMessageAt": dateTime,
                            "createdAt": dateTime, "updatedAt": dateTime, "version": integer],
                           required: ["id", "clientId", "requesterOrganizationId", "requesterUserId", "needCategory", "needIds",
                                      "priority", "status", "firstResponseDue", "createdAt", "updatedAt", "version"]),
        "ReferralDetail": object(["referral": ref("Referral"), "client": ref("Client"), "side": enumeration(ReferralSide.self),
                                  "disclosedScopes": array(enumeration(ConsentScope.self)), "requesterName": string, "ownerName": string,
                                  "serviceName": string, "counterpartSeesNotes": boolean,
                                  "allowedStatuses": array(enumeration(TaskStatus.self)), "canSetBusinessStatus": boolean],
                                 required: ["referral", "client", "side", "requesterName", "allowedStatuses", "canSetBusinessStatus"]),
        "WorklistItem": object(["referral": ref("Referral"), "clientName": string, "counterpartName": string], required: ["referral", "clientName"]),
        "OpenReferral": object(["id": id, "needCategory": enumeration(NeedCategory.self), "priority": enumeration(Priority.self),
                                "requesterName": string, "createdAt": dateTime, "firstResponseDue": dateTime],
                               required: ["id", "needCategory", "priority", "requesterName", "createdAt", "firstResponseDue"]),
        "Message": object(["id": id, "referralId": id, "authorUserId": id, "authorOrganizationId": id, "side": enumeration(ReferralSide.self),
                           "body": string, "withheld": boolean, "sentAt": dateTime, "readAt": dateTime, "readBy": id],
                          required: ["id", "referralId", "authorUserId", "authorOrganizationId", "side", "withheld", "sentAt"]),
        "ActivityEntry": object(["seq": integer, "at": dateTime, "actorUserId": id, "actorOrganizationId": id, "counterpartOrganizationId": id,
                                 "kind": string, "subjectType": string, "subjectId": id, "channel": enumeration(Channel.self), "detail": textMap],
                                required: ["seq", "at", "actorOrganizationId", "kind", "subjectType", "subjectId", "channel", "detail"]),
        "Token": object(["id": id, "userId": id, "name": string, "createdAt": dateTime, "expiresAt": dateTime, "revokedAt": dateTime,
                         "lastUsedAt": dateTime], required: ["id", "userId", "name", "createdAt"]),
        "CreatedToken": object(["token": ref("Token"), "secret": string], required: ["token", "secret"]),
    ]

    static let all: [String: JSONValue] = {
        var all = responses.merging(requests) { a, _ in a }.merging(partnership) { a, _ in a }
        // A request field that may be left out may also be sent as null: the server reads both as absent.
        for name in APICatalog.operations.compactMap(\.body) { all[name] = all[name].map(nullableOptionals) }
        return all
    }()

    /// The schema with each property not in `required` (at any depth) also accepting null.
    static func nullableOptionals(_ schema: JSONValue) -> JSONValue {
        guard case .object(var fields) = schema else { return schema }
        if case .object(let properties)? = fields["properties"] {
            let required = Set(fields["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            var changed: [String: JSONValue] = [:]
            for (name, property) in properties {
                let inner = nullableOptionals(property)
                changed[name] = required.contains(name) ? inner : .object(["anyOf": .array([inner, .object(["type": "null"])])])
            }
            fields["properties"] = .object(changed)
        }
        if let items = fields["items"] { fields["items"] = nullableOptionals(items) }
        return .object(fields)
    }

    static let requests: [String: JSONValue] = [
        "Problem": object(["type": string, "title": string, "status": .object(["type": "integer"]), "detail": string,
                           "instance": string,
                           "errors": array(object(["field": string, "rule": string, "message": string], required: ["field", "rule", "message"]))],
                          required: ["type", "title", "status", "detail"]),
        "SignIn": object(["email": string, "password": string], required: ["email", "password"]),
        "NewToken": object(["name": string, "expiresAt": dateTime, "userId": string], required: ["name"]),
        "NewOrganization": object(["name": string, "sector": enumeration(Sector.self), "alignment": enumeration(Alignment.self),
                                   "parentId": string, "area": string], required: ["name", "sector"]),
        "NewUser": object(["organizationId": string, "email": string, "displayName": string,
                           "roles": array(enumeration(Role.self)), "password": .object(["type": "string", "minLength": 12])],
                          required: ["organizationId", "email", "displayName", "roles", "password"]),
        "NewService": object(["name": string, "description": string, "needCategories": array(enumeration(NeedCategory.self)),
                              "eligibility": string, "areaServed": string, "languages": array(string),
                              "capacity": enumeration(Capacity.self), "organizationId": string],
                             required: ["name", "description", "needCategories", "eligibility", "areaServed", "languages", "capacity"]),
        "CapacityUpdate": object(["capacity": enumeration(Capacity.self)], required: ["capacity"]),
        "NewClient": object(["givenName": string, "familyName": string, "birthDate": date, "phone": string, "email": string,
                             "address": string, "preferredLanguage": string], required: ["givenName", "familyName"]),
        "NewConsent": object(["grantee": object(["organizationId": string, "sector": enumeration(Sector.self)], required: []),
                              "scopes": array(enumeration(ConsentScope.self)), "purpose": enumeration(ConsentPurpose.self),
                              "validFrom": dateTime, "validUntil": dateTime], required: ["grantee", "scopes", "purpose"]),
        "NewScreening": object(["answers": .object(["type": "object", "additionalProperties": enumeration(ScreeningAnswer.self)]),
                                "screenedOn": date], required: ["answers"]),
        "NewReferral": object(["clientId": string, "organizationId": string, "serviceId": string,
                               "needCategory": enumeration(NeedCategory.self), "needIds": array(string),
                               "priority": enumeration(Priority.self), "note": string, "firstResponseDue": dateTime,
                               "followUpDue": dateTime, "draft": .object(["type": "boolean"])],
                              required: ["clientId", "needCategory"]),
        "ReferralUpdate": object(["priority": enumeration(Priority.self), "followUpDue": dateTime, "note": string], required: []),
        "StatusChange": object(["status": enumeration(TaskStatus.self), "reason": string,
                                "outcome": object(["code": enumeration(ReferralOutcome.Code.self), "summary": string], required: ["code", "summary"])],
                               required: ["status"]),
        "BusinessStatusChange": object(["businessStatus": enumeration(BusinessStatus.self)], required: ["businessStatus"]),
        "NewMessage": object(["body": string], required: ["body"]),
    ]
}
