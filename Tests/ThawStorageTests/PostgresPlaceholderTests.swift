import Testing
@testable import ThawStorage

/// Every statement on PostgreSQL has its `?` placeholders numbered first.
@Suite struct PostgresPlaceholderTests {
    @Test func numbersEachPlaceholderInOrderAndLeavesEverythingElse() {
        #expect(PostgresSQLConnection.numbered("SELECT 1") == "SELECT 1")
        #expect(
            PostgresSQLConnection.numbered("SELECT a FROM t WHERE b = ? AND c IN (?,?)")
                == "SELECT a FROM t WHERE b = $1 AND c IN ($2,$3)")
        let many = "VALUES (" + Array(repeating: "?", count: 12).joined(separator: ", ") + ")"
        #expect(PostgresSQLConnection.numbered(many) == "VALUES (" + (1...12).map { "$\($0)" }.joined(separator: ", ") + ")")
        // Text around them, in any script, comes through byte for byte.
        #expect(PostgresSQLConnection.numbered("SELECT 'é ✓ 👩‍⚕️' WHERE x = ?") == "SELECT 'é ✓ 👩‍⚕️' WHERE x = $1")
    }
}
