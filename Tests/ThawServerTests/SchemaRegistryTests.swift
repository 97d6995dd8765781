import Testing
import ThawCore
@testable import ThawServer

/// The API's schemas come from the Swift types: these hold the derivation to what
/// each type actually accepts.
@Suite struct SchemaRegistryTests {
    func component(_ type: any Decodable.Type) throws -> (registry: SchemaRegistry, schema: [String: JSONValue]) {
        var registry = SchemaRegistry()
        _ = try registry.schema(of: type)
        let schema = try #require(registry.components[SchemaRegistry.name(of: type)]?.objectValue)
        return (registry, schema)
    }

    func required(_ schema: [String: JSONValue]) -> Set<String> {
        Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    func properties(_ schema: [String: JSONValue]) -> [String: JSONValue] {
        schema["properties"]?.objectValue ?? [:]
    }

    @Test func optionalPropertiesAreNotRequiredAndEveryPropertyIsListed() throws {
        let (_, referral) = try component(NewReferral.self)
        #expect(required(referral) == ["clientId", "needCategory"])
        #expect(
            Set(properties(referral).keys) == [
                "clientId", "organizationId", "serviceId", "needCategory", "needIds", "priority",
                "note", "firstResponseDue", "followUpDue", "draft", "partOfReferralId"
            ])
        let needCategory = try #require(properties(referral)["needCategory"]?.objectValue)
        #expect(needCategory["enum"]?.arrayValue?.compactMap(\.stringValue) == NeedCategory.allCases.map(\.rawValue))
        #expect(properties(referral)["firstResponseDue"]?.objectValue?["format"]?.stringValue == "date-time")
        #expect(properties(referral)["needIds"]?.objectValue?["type"]?.stringValue == "array")
    }

    @Test func nestedTypesAreComponentsAndDictionariesDescribeTheirValues() throws {
        let (registry, change) = try component(StatusChange.self)
        #expect(properties(change)["outcome"]?.objectValue?["$ref"]?.stringValue == "#/components/schemas/ReferralOutcome")
        let outcome = try #require(registry.components["ReferralOutcome"]?.objectValue)
        #expect(required(outcome) == ["code", "summary"])

        let (_, screening) = try component(NewScreening.self)
        let answers = try #require(properties(screening)["answers"]?.objectValue)
        #expect(answers["additionalProperties"]?.objectValue?["enum"]?.arrayValue?.count == ScreeningAnswer.allCases.count)
        #expect(required(screening) == ["answers"])
    }

    @Test func aTaggedUnionStatesItsOwnForms() throws {
        let (_, consent) = try component(NewConsent.self)
        #expect(properties(consent)["grantee"]?.objectValue?["$ref"]?.stringValue == "#/components/schemas/ConsentGrantee")
        var registry = SchemaRegistry()
        _ = try registry.schema(of: CommitmentChange.self)
        let forms = try #require(registry.components["CommitmentChange"]?.objectValue?["oneOf"]?.arrayValue)
        #expect(forms.count == 3)
    }
}
