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

    static let all: [String: JSONValue] = [
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
