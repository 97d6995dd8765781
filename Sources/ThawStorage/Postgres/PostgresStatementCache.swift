import PostgresNIO
import Synchronization

/// Names our queries so that each pooled connection prepares a query once, and PostgreSQL
/// parses and plans it once per connection rather than on every run (planning one of the
/// worklist queries alone took 1.4–2.7 ms; BENCHMARKS.md).
///
/// Data changes are prepared too: PostgreSQL spends as long parsing and planning our short
/// INSERTs and UPDATEs as running them (BENCHMARKS.md). PostgresNIO 1.33 gives no count for a
/// prepared statement (its `execute` that returns the command tag traps, as the tag is read
/// before the rows are marked consumed), so a data change run for its count gets `RETURNING 1`
/// and is counted by its rows (`counted`, decided once per statement shape).
///
/// A name stands for the SQL and the kinds of its bound values together: PostgreSQL fixes
/// a prepared statement's parameter types when it is prepared, from the first run's
/// values, and a NULL leaves a parameter's type to the server. A statement first run with
/// a NULL and later with a number must therefore be two statements, as two unnamed runs are.
enum PostgresStatementCache {
    /// A statement as it is sent: its name (nil: run it unnamed) and its `$n`-numbered SQL.
    struct Statement: Sendable {
        var name: String?
        var sql: String
    }

    /// Far more than the statement shapes the product runs. Past it, new shapes run unnamed, so a
    /// bug that put values into SQL text could not fill each connection's memory on the server
    /// with prepared statements.
    static let capacity = 2_000
    private static let statements = Mutex<[String: Statement]>([:])

    /// The statement to send for `sql` with values of these kinds, worked out once per shape.
    /// `forCount`: it runs for the number of rows it changes (`execute`); a data change is then
    /// sent in its `counted` form, prepared, and anything else unnamed.
    static func statement(_ sql: String, _ binds: [SQLValue], forCount: Bool = false) -> Statement {
        var key = sql
        key.reserveCapacity(sql.utf8.count + binds.count + 2)
        key.append(forCount ? "\u{0}c" : "\u{0}")
        for value in binds {
            switch value {
            case .null: key.append("n")
            case .int: key.append("i")
            case .double: key.append("d")
            case .text: key.append("t")
            }
        }
        if let known = statements.withLock({ $0[key] }) { return known }
        let counted = forCount ? counted(sql, binds) : nil
        let numbered = PostgresSQLConnection.numbered(counted ?? sql)
        let preparable = forCount ? counted != nil : isPreparable(sql)
        return statements.withLock { statements in
            if let known = statements[key] { return known }
            guard statements.count < capacity else { return Statement(name: nil, sql: numbered) }
            // Short names: PostgreSQL cuts identifiers at 63 bytes.
            let statement = Statement(name: preparable ? "thaw_\(statements.count + 1)" : nil, sql: numbered)
            statements[key] = statement
            return statement
        }
    }

    /// A data change run for its count, as a statement that returns one row per row changed (an
    /// INSERT, UPDATE or DELETE that does not already return rows); nil for anything else, which
    /// runs unnamed and is counted by its command tag. A long list of values is a batch (the climate fold's DELETE of up to 500):
    /// every length would be a statement of its own, each planned once anyway.
    static func counted(_ sql: String, _ binds: [SQLValue]) -> String? {
        guard binds.count <= 64, ["INSERT", "UPDATE", "DELETE"].contains(firstWord(sql)),
            !sql.uppercased().contains("RETURNING")
        else { return nil }
        return sql + " RETURNING 1"
    }

    /// Queries and data changes get a name. Transaction control, `SET` and schema
    /// changes have no plan to keep, and PostgreSQL refuses to prepare most statements inside a
    /// transaction that has failed, which a ROLLBACK must still get through.
    static func isPreparable(_ sql: String) -> Bool { preparable.contains(firstWord(sql)) }
    private static let preparable: Set = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]

    private static func firstWord(_ sql: String) -> String {
        let word = sql.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }.prefix { $0 != 0x20 && $0 != 0x0A && $0 != 0x28 }
        return String(decoding: word, as: UTF8.self).uppercased()
    }

    /// PostgresNIO remembers a statement whose preparation failed, and fails every later run of
    /// that name on that connection with the same error, without asking the server. A
    /// preparation can fail for a passing reason (the transaction had already failed, the
    /// statement was cancelled, a lock or memory ran short); after such an error the statement
    /// is run once more unnamed, which either works or fails as the transaction now would.
    static func mayBeLeftFromFailedPreparation(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "25P02" || state == "57014" || state == "55P03" || state.hasPrefix("53")
    }
}

/// PostgresNIO prepares only statements whose name and SQL are static members of a type.
/// `NamedQuery` reads them from a task-local value, set just around each call (PostgresNIO reads
/// them when the call starts, and again only to describe an error, still inside the call).
struct CurrentStatement {
    @TaskLocal static var value = PostgresStatementCache.Statement(name: "", sql: "")
}

/// A statement prepared on its connection, run for its rows.
struct NamedQuery: PostgresPreparedStatement {
    static var name: String { CurrentStatement.value.name ?? "" }
    static var sql: String { CurrentStatement.value.sql }
    let bindings: PostgresBindings
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
