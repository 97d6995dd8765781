import Foundation

/// The OpenAPI 3.1 description of `/api/v1`. Operations are listed once in
/// `APICatalog`; a test checks that they match the router's routes exactly.
enum OpenAPIDocument {
    static let json: JSONValue = build()

    static func build() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for op in APICatalog.operations {
            let openAPIPath = "/api/v1/" + op.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            var operation: [String: JSONValue] = [
                "operationId": .string(op.id), "summary": .string(op.summary), "tags": .array([.string(op.tag)]),
                "responses": .object(responses(op)),
            ]
            var parameters: [JSONValue] = op.path.split(separator: "/").filter { $0.hasPrefix(":") }.map {
                .object(["name": .string(String($0.dropFirst())), "in": "path", "required": true, "schema": .object(["type": "string"])])
            }
            parameters += op.query.map { .object(["name": .string($0), "in": "query", "required": false, "schema": .object(["type": "string"])]) }
            if op.ifMatch { parameters.append(.object(["name": "If-Match", "in": "header", "required": true, "schema": .object(["type": "string"])])) }
            if op.idempotent { parameters.append(.object(["name": "Idempotency-Key", "in": "header", "required": false, "schema": .object(["type": "string", "maxLength": 200])])) }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body = op.body {
                operation["requestBody"] = .object(["required": true, "content": .object([
                    "application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/\(body)")])])])])
            }
            if op.path == "auth/sign-in" || op.path == "openapi.json" { operation["security"] = .array([]) }
            var item = paths[openAPIPath]?.objectValue ?? [:]
            item[op.method.lowercased()] = .object(operation)
            paths[openAPIPath] = .object(item)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object(["title": "Thaw API", "version": "1.0.0",
                             "description": "Closed-loop referrals between primary care and health and social partners."]),
            "servers": .array([.object(["url": "/"])]),
            "security": .array([.object(["bearer": .array([])]), .object(["session": .array([])])]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object(["type": "http", "scheme": "bearer"]),
                    "session": .object(["type": "apiKey", "in": "cookie", "name": "thaw_session"]),
                ]),
                "schemas": .object(APISchemas.all),
            ]),
        ])
    }

    static func responses(_ op: APIOperation) -> [String: JSONValue] {
        let problem: JSONValue = .object(["description": "Problem details (RFC 9457)", "content": .object([
            "application/problem+json": .object(["schema": .object(["$ref": "#/components/schemas/Problem"])])])])
        let schema: JSONValue
        switch op.response {
        case .some(let name) where name.hasPrefix("List:"): schema = APISchemas.items(String(name.dropFirst(5)))
        case .some(let name): schema = APISchemas.ref(name)
        case nil: schema = .object(["type": "object"])
        }
        var result: [String: JSONValue] = [
            String(op.success): op.success == 204 ? .object(["description": "Done"]) : .object([
                "description": "Success", "content": .object(["application/json": .object(["schema": schema])])]),
        ]
        for code in op.errors { result[String(code)] = problem }
        return result
    }
}

struct APIOperation {
    var method: String
    var path: String
    var id: String
    var summary: String
    var tag: String
    var body: String? = nil
    var query: [String] = []
    var success = 200
    var ifMatch = false
    var idempotent = false
    /// The response schema: a name in `APISchemas.responses`, or `List:Name` for `{"items": [...]}`.
    var response: String? = nil
    /// The operation can meet a conflicting state (already voted, closed, ...): 409.
    var conflicts = false
    /// The operation is throttled (sign-in): 429.
    var throttled = false
    var errors: [Int] {
        var e = [400, 401, 403, 404, 405, 422]
        if ifMatch { e += [409, 412, 428] } else if conflicts { e.append(409) }
        if body != nil { e.append(413) }
        if throttled { e.append(429) }
        return e
    }
}

enum APICatalog {
    static let operations: [APIOperation] = referralOperations + partnershipOperations

    static let referralOperations: [APIOperation] = [
        .init(method: "GET", path: "openapi.json", id: "getOpenAPI", summary: "This document", tag: "meta"),
        .init(method: "POST", path: "auth/sign-in", id: "signIn", summary: "Sign in with email and password; sets the session cookie (throttled per email and source)", tag: "auth", body: "SignIn", response: "SignedIn", throttled: true),
        .init(method: "POST", path: "auth/sign-out", id: "signOut", summary: "End the session", tag: "auth", success: 204),
        .init(method: "GET", path: "me", id: "getMe", summary: "The signed-in user and organisation", tag: "auth", response: "Me"),
        .init(method: "GET", path: "tokens", id: "listTokens", summary: "My API tokens", tag: "auth", response: "List:Token"),
        .init(method: "POST", path: "tokens", id: "createToken", summary: "Create an API token (secret shown once)", tag: "auth", body: "NewToken", success: 201, response: "CreatedToken"),
        .init(method: "DELETE", path: "tokens/:tokenId", id: "revokeToken", summary: "Revoke an API token", tag: "auth", success: 204),
        .init(method: "GET", path: "organizations", id: "listOrganizations", summary: "Organisations in the network", tag: "directory", response: "List:Organization"),
        .init(method: "POST", path: "organizations", id: "createOrganization", summary: "Add an organisation (network administrator)", tag: "directory", body: "NewOrganization", success: 201, response: "Organization"),
        .init(method: "GET", path: "organizations/:organizationId", id: "getOrganization", summary: "One organisation", tag: "directory", response: "Organization"),
        .init(method: "GET", path: "users", id: "listUsers", summary: "Users of an organisation (its administrators; network administrators)", tag: "directory", query: ["organizationId"], response: "List:User"),
        .init(method: "POST", path: "users", id: "createUser", summary: "Add a user (an administrator to its organisation; a network administrator, another organisation's first administrator)", tag: "directory", body: "NewUser", success: 201, response: "User", conflicts: true),
        .init(method: "GET", path: "services", id: "searchServices", summary: "Search the service directory", tag: "directory", query: ["need", "q", "area", "language", "capacity", "organizationId"], response: "List:Service"),
        .init(method: "POST", path: "services", id: "createService", summary: "Add a service", tag: "directory", body: "NewService", success: 201, response: "Service"),
        .init(method: "GET", path: "services/:serviceId", id: "getService", summary: "One service", tag: "directory", response: "Service"),
        .init(method: "PATCH", path: "services/:serviceId", id: "updateServiceCapacity", summary: "Change a service's capacity", tag: "directory", body: "CapacityUpdate", response: "Service"),
        .init(method: "POST", path: "clients", id: "createClient", summary: "Register a client", tag: "clients", body: "NewClient", success: 201, response: "Client"),
        .init(method: "GET", path: "clients", id: "listClients", summary: "My organisation's clients", tag: "clients", query: ["name", "limit"], response: "List:Client"),
        .init(method: "GET", path: "clients/:clientId", id: "getClient", summary: "A client, as far as consent lets me see", tag: "clients", response: "ClientView"),
        .init(method: "GET", path: "clients/:clientId/consents", id: "listConsents", summary: "A client's consents", tag: "clients", response: "List:Consent"),
        .init(method: "POST", path: "clients/:clientId/consents", id: "recordConsent", summary: "Record a consent", tag: "clients", body: "NewConsent", success: 201, response: "Consent"),
        .init(method: "POST", path: "clients/:clientId/consents/:consentId/revoke", id: "revokeConsent", summary: "Revoke a consent", tag: "clients", response: "Consent", conflicts: true),
        .init(method: "GET", path: "clients/:clientId/screenings", id: "listScreenings", summary: "A client's needs screenings", tag: "clients", response: "List:Screening"),
        .init(method: "POST", path: "clients/:clientId/screenings", id: "recordScreening", summary: "Record a needs screening", tag: "clients", body: "NewScreening", success: 201, response: "ScreeningResult"),
        .init(method: "GET", path: "clients/:clientId/needs", id: "listNeeds", summary: "A client's identified needs", tag: "clients", response: "List:IdentifiedNeed"),
        .init(method: "POST", path: "referrals", id: "createReferral", summary: "Send (or draft) a referral", tag: "referrals", body: "NewReferral", success: 201, idempotent: true, response: "Referral"),
        .init(method: "GET", path: "referrals", id: "worklist", summary: "Caseload or inbox", tag: "referrals", query: ["view", "filter", "status", "mine", "sort", "limit", "cursor"], response: "List:WorklistItem"),
        .init(method: "GET", path: "referrals/open", id: "openReferrals", summary: "Open referrals my organisation could claim", tag: "referrals", response: "List:OpenReferral"),
        .init(method: "GET", path: "referrals/:referralId", id: "getReferral", summary: "A referral with what I may do next", tag: "referrals", response: "ReferralDetail"),
        .init(method: "PATCH", path: "referrals/:referralId", id: "updateReferral", summary: "Change priority, follow-up date or note", tag: "referrals", body: "ReferralUpdate", ifMatch: true, response: "Referral"),
        .init(method: "POST", path: "referrals/:referralId/status", id: "changeReferralStatus", summary: "Move the referral to a new status", tag: "referrals", body: "StatusChange", ifMatch: true, response: "Referral"),
        .init(method: "POST", path: "referrals/:referralId/claim", id: "claimReferral", summary: "Claim an open referral", tag: "referrals", response: "Referral", conflicts: true),
        .init(method: "POST", path: "referrals/:referralId/business-status", id: "setBusinessStatus", summary: "Report a business step", tag: "referrals", body: "BusinessStatusChange", ifMatch: true, response: "Referral"),
        .init(method: "GET", path: "referrals/:referralId/messages", id: "listMessages", summary: "Messages on a referral", tag: "referrals", response: "List:Message"),
        .init(method: "POST", path: "referrals/:referralId/messages", id: "sendMessage", summary: "Send a message", tag: "referrals", body: "NewMessage", success: 201, response: "Message", conflicts: true),
        .init(method: "POST", path: "referrals/:referralId/messages/:messageId/read", id: "markMessageRead", summary: "Record a read receipt", tag: "referrals", response: "Message"),
        .init(method: "GET", path: "referrals/:referralId/timeline", id: "referralTimeline", summary: "The referral's history from the activity ledger", tag: "referrals", response: "List:ActivityEntry"),
    ]
}
