import Testing
@testable import ThawCore

/// SMART scopes as a system's token holds them: v2 and v1 spellings, the order v2 requires,
/// wildcards, and the intersection that keeps a token within its registration.
@Suite struct AccessScopesTests {
    @Test func readsBothSpellingsAndRefusesTheRest() throws {
        let scopes = try AccessScopes(parsing: "system/Task.rus system/Patient.read  system/Subscription.crds")
        #expect(scopes.allows("Task", .read) && scopes.allows("Task", .update) && scopes.allows("Task", .search))
        #expect(!scopes.allows("Task", .create) && !scopes.allows("Task", .delete))
        #expect(scopes.allows("Patient", .search) && !scopes.allows("Patient", .update))
        #expect(!scopes.allows("Consent", .read))
        #expect(scopes.text == "system/Patient.rs system/Subscription.crds system/Task.rus")
        for bad in ["user/Task.rs", "patient/*.read", "system/Task.sr", "system/Task.x", "system/.rs", "system/Task", "system/Ta-sk.rs"] {
            #expect(throws: ThawError.self, "\(bad)") { try AccessScopes(parsing: bad) }
        }
    }

    @Test func aTokenGetsNoMoreThanItsRegistration() throws {
        let registered = try AccessScopes(parsing: "system/*.rs system/Task.u")
        let asked = try AccessScopes(parsing: "system/Task.cruds system/Patient.r system/Consent.d")
        let granted = asked.intersection(registered)
        #expect(granted.text == "system/Patient.r system/Task.rus")
        #expect(try AccessScopes(parsing: "system/Consent.d").intersection(registered).isEmpty)
        #expect(try AccessScopes(parsing: "system/*.*").intersection(try AccessScopes(parsing: "system/Task.r")).text == "system/Task.r")
    }
}
