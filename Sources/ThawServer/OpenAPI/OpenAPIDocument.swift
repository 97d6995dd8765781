import ThawCore

/// The OpenAPI 3.1 description of `/api/v1`, made from the operations as their
/// routes registered them (`DescribedRoutes`), with each body's and answer's
/// schema derived from its Swift type (`SchemaRegistry`).
enum OpenAPIDocument {
    static func build(_ operations: [APIOperation]) -> JSONValue {
        var registry = SchemaRegistry()
        var paths: [String: JSONValue] = [:]
        for op in operations {
            let segments = op.path.split(separator: "/")
            let openAPIPath = "/api/v1/" + segments.map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            var operation: [String: JSONValue] = [
                "operationId": .string(op.id), "summary": .string(op.summary), "tags": .array([.string(op.tag)]),
                "responses": .object(responses(op, &registry))
            ]
            var parameters: [JSONValue] = segments.filter { $0.hasPrefix(":") }.map {
                .object(["name": .string(String($0.dropFirst())), "in": "path", "required": true, "schema": .object(["type": "string"])])
            }
            parameters += op.query.map { .object(["name": .string($0), "in": "query", "required": false, "schema": .object(["type": "string"])]) }
            if op.ifMatch {
                parameters.append(.object(["name": "If-Match", "in": "header", "required": true, "schema": .object(["type": "string"])]))
            }
            if op.idempotent {
                parameters.append(
                    .object([
                        "name": "Idempotency-Key", "in": "header", "required": false,
                        "schema": .object(["type": "string", "maxLength": 200])
                    ]))
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if let body = op.body {
                operation["requestBody"] = .object([
                    "required": true,
                    "content": .object([
                        "application/json": .object(["schema": schema(body, &registry)])
                    ])
                ])
            }
            if op.path == "auth/sign-in" || op.path == "openapi.json" { operation["security"] = .array([]) }
            var item = paths[openAPIPath]?.objectValue ?? [:]
            item[op.method.rawValue.lowercased()] = .object(operation)
            paths[openAPIPath] = .object(item)
        }
        _ = schema(ProblemDetails.self, &registry)  // the component every problem answer names
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Thaw API", "version": "1.0.0",
                "description": "Closed-loop referrals between primary care and health and social partners."
            ]),
            "servers": .array([.object(["url": "/"])]),
            "security": .array([.object(["bearer": .array([])]), .object(["session": .array([])])]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "bearer": .object(["type": "http", "scheme": "bearer"]),
                    "session": .object(["type": "apiKey", "in": "cookie", "name": "thaw_session"])
                ]),
                // A field that may be left out may also be sent as null: the server reads both as absent.
                "schemas": .object(registry.components.mapValues(nullableOptionals))
            ])
        ])
    }

    /// The schema of a type the API reads or writes. Every one is derivable: the tests build the whole document.
    private static func schema(_ type: any Decodable.Type, _ registry: inout SchemaRegistry) -> JSONValue {
        do { return try registry.schema(of: type) } catch { preconditionFailure("\(error)") }
    }

    static func responses(_ op: APIOperation, _ registry: inout SchemaRegistry) -> [String: JSONValue] {
        let problem: JSONValue = .object([
            "description": "Problem details (RFC 9457)",
            "content": .object([
                "application/problem+json": .object(["schema": SchemaRegistry.ref("ProblemDetails")])
            ])
        ])
        let body: JSONValue
        switch op.answer {
        case .none: body = .object(["type": "object"])
        case .one(let type): body = schema(type, &registry)
        case .list(let type):
            body = .object([
                "type": "object",
                "properties": .object([
                    "items": .object(["type": "array", "items": schema(type, &registry)]),
                    "nextCursor": .object(["type": "string"])
                ]),
                "required": .array(["items"])
            ])
        }
        var result: [String: JSONValue] = [
            String(op.success): op.success == 204
                ? .object(["description": "Done"])
                : .object([
                    "description": "Success", "content": .object(["application/json": .object(["schema": body])])
                ])
        ]
        for code in op.errors { result[String(code)] = problem }
        return result
    }

    /// The schema with each property not in `required` also accepting null.
    static func nullableOptionals(_ schema: JSONValue) -> JSONValue {
        guard case .object(var fields) = schema, case .object(let properties)? = fields["properties"] else { return schema }
        let required = Set(fields["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var changed: [String: JSONValue] = [:]
        for (name, property) in properties {
            changed[name] = required.contains(name) ? property : .object(["anyOf": .array([property, .object(["type": "null"])])])
        }
        fields["properties"] = .object(changed)
        return .object(fields)
    }
}
