import ThawCore

// The types whose decoding branches on their input, so their schema is stated
// here rather than derived (`SchemaDescribed`).

extension ConsentGrantee: SchemaDescribed {
    static var placeholder: Self { .sector(.community) }

    /// Exactly one of an organisation or a sector.
    static var schema: JSONValue {
        .object([
            "oneOf": .array([
                .object([
                    "type": "object", "properties": .object(["organizationId": .object(["type": "string"])]),
                    "required": .array(["organizationId"])
                ]),
                .object(["type": "object", "properties": .object(["sector": enumeration(Sector.self)]), "required": .array(["sector"])])
            ])
        ])
    }
}

extension CommitmentChange: SchemaDescribed {
    static var placeholder: Self { .withdraw(reason: "x") }

    /// `action` names the change; each needs its own fields.
    static var schema: JSONValue {
        func change(_ action: String, _ fields: [String: JSONValue]) -> JSONValue {
            .object([
                "type": "object",
                "properties": .object(fields.merging(["action": .object(["type": "string", "enum": .array([.string(action)])])]) { a, _ in a }),
                "required": .array((["action"] + fields.keys.sorted()).map(JSONValue.string))
            ])
        }
        let text: JSONValue = .object(["type": "string"])
        return .object([
            "oneOf": .array([
                change("keep", ["evidence": text]),
                change("renegotiate", ["dueOn": CalendarDate.schema, "reason": text]),
                change("withdraw", ["reason": text])
            ])
        ])
    }
}

private func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> JSONValue where E.RawValue == String {
    .object(["type": "string", "enum": .array(E.allCases.map { .string($0.rawValue) })])
}
