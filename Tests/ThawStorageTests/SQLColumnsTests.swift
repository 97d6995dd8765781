import Testing
@testable import ThawStorage

@Suite struct SQLColumnsTests {
    @Test func findsEveryColumnByNameAndTheFirstOfARepeatedName() {
        // Enough names that the probe sequences collide, as in a wide join.
        var names = (0..<70).map { "column_\($0)" } + ["id", "r.id", "", "é_name"]
        names.append("column_3")  // a join can repeat a name; the first one wins, as before
        let columns = SQLColumns(names)
        for (i, name) in names.enumerated().dropLast() {
            #expect(columns.position(of: name) == i, "\(name)")
        }
        #expect(columns.position(of: "column_3") == 3)
        #expect(columns.position(of: "missing") == nil)
        #expect(columns.position(of: "column_70") == nil)
        #expect(SQLColumns([]).position(of: "id") == nil)
    }
}
